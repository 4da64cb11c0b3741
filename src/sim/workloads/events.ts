/**
 * Event kinds of a multi-tenant run. At one instant they apply in this order
 * (completions first, arrivals last), so room freed at t is seen by work arriving at t.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import { startsTookPreemptibleRoom } from "../../core/schedule/preempt.ts";
import type { SchedulerPolicy, WorkloadDecision } from "../../core/schedule/types.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import type { EventHeap } from "../engine.ts";
import type { CompiledDisruptions } from "./disruptions.ts";

export const Ev = {
  Completion: 0,
  Timeout: 1,
  GraceEnd: 2,
  Node: 3,
  HoldEdge: 4,
  Demotion: 5,
  Arrival: 6,
} as const;

/** Cycles per instant at most (preemptions without grace re-run the cycle). */
export const CYCLES_PER_INSTANT = 64;

/**
 * The instant needs another cycle: starts took room that preemptible work held, or
 * the cycle used its attempt budget and started work (more may fit now).
 */
export function cycleAgain(
  policy: SchedulerPolicy,
  tree: QueueTree,
  state: ClusterState,
  decisions: readonly WorkloadDecision[],
): boolean {
  // The cheap test first: most repeat cycles at one instant come from the budget.
  const tried = decisions.filter((d) => d.kind === "start" || d.kind === "wait").length;
  if (tried >= policy.maxAttempts && decisions.some((d) => d.kind === "start")) return true;
  return startsTookPreemptibleRoom(policy, tree, state, decisions);
}

/**
 * Where the step holding time `t` ends: steps of `quantum` × 2^k seconds (nested grids),
 * k growing while the step stays under `relative` × t (see WorkloadSimInput.quantum).
 * Without a quantum, `t` itself: every event time is its own step.
 */
export function stepEnd(t: number, quantum = 0, relative = 0): number {
  if (!(quantum > 0)) return t;
  let q = quantum;
  while (2 * q <= relative * t) q *= 2;
  return Math.ceil(t / q) * q;
}

/** Pushes every node event and reservation window edge (tag 0 opens, 1 closes). */
export function pushDisruptions(heap: EventHeap, d: CompiledDisruptions): void {
  d.events.forEach((e, i) => {
    heap.push(e.time, Ev.Node, i);
  });
  d.holds.forEach((h, i) => {
    heap.push(h.start, Ev.HoldEdge, i, 0);
    if (Number.isFinite(h.end)) heap.push(h.end, Ev.HoldEdge, i, 1);
  });
}
