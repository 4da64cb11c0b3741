/**
 * Capacity changes over time (deliveries, maintenance, failures), checked against
 * the fleet and turned into node indices.
 *
 * Node states: absent ─join─► schedulable ─leave─► cordoned (running work finishes)
 *                                        └─fail──► cordoned, running work killed
 * A node named in any `join` event is absent until its first join. A later join
 * brings a cordoned node back.
 */
import type { ClusterState } from "../core/model/cluster.ts";
import { GongjangError } from "../core/errors.ts";

export const CAPACITY_KINDS = ["join", "leave", "fail"] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];

export interface CapacityEvent {
  /** Virtual time, seconds. */
  readonly time: number;
  /** Node id as in the fleet. */
  readonly node: string;
  readonly kind: CapacityKind;
}

export interface CompiledCapacity {
  readonly time: Float64Array;
  readonly node: Int32Array;
  readonly kind: readonly CapacityKind[];
  /** Nodes that start absent (named in a join). */
  readonly absent: readonly number[];
  /** Nodes that may fail: the world tracks their running jobs. */
  readonly failing: ReadonlySet<number>;
}

/**
 * Validates events against the fleet. Unknown nodes, unknown kinds and times that are
 * not finite and ≥ 0 throw GJ_ERR_ARGUMENT naming the event.
 */
export function compileCapacity(state: ClusterState, events: readonly CapacityEvent[]): CompiledCapacity {
  const index = new Map(state.nodeIds.map((id, i) => [id, i]));
  const time = new Float64Array(events.length);
  const node = new Int32Array(events.length);
  const absent: number[] = [];
  const failing = new Set<number>();
  const seenAbsent = new Set<number>();
  events.forEach((e, i) => {
    const path = `capacityEvents[${i}]`;
    const n = index.get(e.node);
    if (n === undefined) throw new GongjangError("GJ_ERR_ARGUMENT", `unknown node "${e.node}"`, { path: `${path}.node` });
    if (!Number.isFinite(e.time) || e.time < 0) {
      throw new GongjangError("GJ_ERR_ARGUMENT", `time must be a finite number ≥ 0, got ${e.time}`, { path: `${path}.time` });
    }
    if (!(CAPACITY_KINDS as readonly string[]).includes(e.kind)) {
      throw new GongjangError("GJ_ERR_ARGUMENT", `kind must be one of ${CAPACITY_KINDS.join(", ")}`, { path: `${path}.kind` });
    }
    time[i] = e.time;
    node[i] = n;
    if (e.kind === "join" && !seenAbsent.has(n)) {
      seenAbsent.add(n);
      absent.push(n);
    }
    if (e.kind === "fail") failing.add(n);
  });
  return { time, node, kind: events.map((e) => e.kind), absent, failing };
}
