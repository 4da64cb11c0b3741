/**
 * One experiment task, as run in a worker or inline. Pods and the fleet are loaded
 * once per thread and reused across the tasks it receives.
 */
import { join } from "node:path";
import type { Fleet } from "../../core/model/fleet.ts";
import type { Job } from "../../core/model/job.ts";
import { loadFleet } from "../../fleet/index.ts";
import { readOpenbPods } from "../../trace/openb/index.ts";
import type { RunReply, RunTask } from "./experiment.ts";
import { runFgd } from "./run.ts";

const podCache = new Map<string, readonly Job[]>();
let fleet: Fleet | undefined;

/** Loads (cached) inputs and runs one task; errors come back as text, never thrown. */
export function executeTask(task: RunTask): RunReply {
  const start = performance.now();
  try {
    fleet ??= loadFleet("openb");
    const file = join(task.tracesDir, `${task.workload}.csv`);
    let pods = podCache.get(file);
    if (!pods) {
      pods = readOpenbPods(file).jobs;
      podCache.set(file, pods);
    }
    const result = runFgd({ ...task, pods, fleet });
    return { result, ms: performance.now() - start };
  } catch (err) {
    return {
      ms: performance.now() - start,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
