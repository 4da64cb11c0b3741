/**
 * Capacity changes over time (deliveries, maintenance, failures), checked against
 * the fleet and turned into node indices.
 *
 * Node states: absent ─join─► schedulable ─leave─► cordoned (running work finishes)
 *                                        └─fail──► cordoned, running work killed
 * A node whose first event (by time) is a `join` is absent until then: a delivery.
 * A join after a leave or fail brings the node back: a repair.
 */

import { GongjangError } from "../core/errors.ts";
import type { ClusterState } from "../core/model/cluster.ts";

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
  /** Nodes that start absent (their first event is a join). */
  readonly absent: readonly number[];
  /** Nodes that may fail: the world tracks their running jobs. */
  readonly failing: ReadonlySet<number>;
}

/**
 * Validates events against the fleet. Unknown nodes, unknown kinds and times that are
 * not finite and ≥ 0 throw GJ_ERR_ARGUMENT naming the event.
 */
export function compileCapacity(
  state: ClusterState,
  events: readonly CapacityEvent[],
): CompiledCapacity {
  const index = new Map(state.nodeIds.map((id, i) => [id, i]));
  const time = new Float64Array(events.length);
  const node = new Int32Array(events.length);
  const absent: number[] = [];
  const failing = new Set<number>();
  const first = new Map<number, { time: number; kind: CapacityKind }>();
  events.forEach((e, i) => {
    const path = `capacityEvents[${i}]`;
    const n = index.get(e.node);
    if (n === undefined)
      throw new GongjangError("GJ_ERR_ARGUMENT", `unknown node "${e.node}"`, {
        path: `${path}.node`,
      });
    if (!Number.isFinite(e.time) || e.time < 0) {
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `time must be a finite number ≥ 0, got ${e.time}`,
        { path: `${path}.time` },
      );
    }
    if (!(CAPACITY_KINDS as readonly string[]).includes(e.kind)) {
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `kind must be one of ${CAPACITY_KINDS.join(", ")}`,
        { path: `${path}.kind` },
      );
    }
    time[i] = e.time;
    node[i] = n;
    const seen = first.get(n);
    if (seen === undefined || e.time < seen.time) first.set(n, { time: e.time, kind: e.kind });
    if (e.kind === "fail") failing.add(n);
  });
  for (const [n, e] of first) if (e.kind === "join") absent.push(n);
  return { time, node, kind: events.map((e) => e.kind), absent, failing };
}
