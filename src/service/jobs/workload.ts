/**
 * A stored job as the core's Workload. A job's spec never changes, so parsed ones are
 * cached by id; the entry also keeps the spec text it came from, so that two stores in
 * one process (tests) whose ids collide never share an entry.
 */
import type { Workload } from "../../core/workload/index.ts";
import type { JobRow } from "../../store/jobs.ts";
import { type JobSpec, toWorkload } from "./spec.ts";

/** The submitted spec with priority class and QoS resolved at admission. */
export interface StoredSpec extends JobSpec {
  readonly priority: number;
  readonly preemptible: boolean;
  readonly maxRuntime?: number;
}

const cache = new Map<number, { spec: string; submitted: number; w: Workload }>();
const CACHE_LIMIT = 200_000;

export function storedSpec(row: Pick<JobRow, "spec">): StoredSpec {
  return JSON.parse(row.spec) as StoredSpec;
}

export function workloadOf(row: Pick<JobRow, "id" | "spec" | "submitted_at">): Workload {
  const hit = cache.get(row.id);
  if (hit !== undefined && hit.spec === row.spec && hit.submitted === row.submitted_at)
    return hit.w;
  const s = storedSpec(row);
  const w = toWorkload(row.id, s, s, row.submitted_at);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(row.id, { spec: row.spec, submitted: row.submitted_at, w });
  return w;
}
