/**
 * Choosing victims. Two reasons to preempt:
 * - reclaim: the workload's queue is within its guarantee, but borrowers hold the
 *   devices. Victims come from queues (or ancestors) above their own guarantee, and
 *   never from the beneficiary's own branch at that level.
 * - lower tier: a workload of a higher tier (priority, or a lower 2D-LAS level) waits.
 *   Victims come from its own queue or from borrowers, never from another queue's
 *   guarantee.
 * Candidates are preemptible running work, lowest tier first, then youngest first.
 * They are released one at a time, tentatively, until the workload fits; then
 * everything is put back and the victims are returned. Inference services only give
 * up replicas above their minimum.
 */

import type { ClusterState } from "../model/cluster.ts";
import { allocate, type Placement, release as releaseOne } from "../model/ledger.ts";
import type { CycleContext } from "../plugins/types.ts";
import { StatusCode } from "../status.ts";
import { charge, type QueueTree, withinGuarantee } from "../tenancy/tree.ts";
import { WorkloadClass, workloadMilli } from "../workload/index.ts";
import { tier } from "./order.ts";
import { keyedTypes, placeWorkload, release } from "./place.ts";
import type {
  PendingWorkload,
  PreemptReason,
  RunningWorkload,
  SchedulerPolicy,
  WorkloadDecision,
} from "./types.ts";

/** True when `r` borrows (at some level outside `entry`'s own branch) its device type. */
function borrowingOutside(
  tree: QueueTree,
  entry: PendingWorkload,
): (r: RunningWorkload) => boolean {
  const T = tree.typeIds.length;
  const onMyPath = (a: number) => {
    for (let x = entry.queue; x >= 0; x = tree.parent[x]) if (x === a) return true;
    return false;
  };
  return (r) => {
    for (let a = r.queue; a > 0; a = tree.parent[a])
      if (tree.usage[a * T + r.type] > tree.guaranteed[a * T + r.type] + 1e-6 && !onMyPath(a))
        return true;
    return false;
  };
}

/**
 * Which running work `entry` may preempt for `reason` (whether or not it is already
 * exiting), or null when the reason does not apply to it at all (a reclaim by a queue
 * that is not within its guarantee).
 */
export function victimRule(
  policy: SchedulerPolicy,
  tree: QueueTree,
  entry: PendingWorkload,
  types: readonly number[],
  reason: PreemptReason,
): ((r: RunningWorkload) => boolean) | null {
  const myTier = tier(policy.order, entry, policy.lasThresholds);
  const borrowingElsewhere = borrowingOutside(tree, entry);
  if (reason === "reclaim") {
    const milli = workloadMilli(entry.w, entry.w.minMembers);
    if (!types.some((t) => t >= 0 && withinGuarantee(tree, entry.queue, t, milli))) return null;
  }
  return (r) => {
    if (!r.w.preemptible || stoppable(r) === 0) return false;
    if (r.type >= 0 && !types.includes(r.type)) return false;
    if (reason === "reclaim") return r.type >= 0 && borrowingElsewhere(r);
    const theirs = tier(policy.order, r, policy.lasThresholds);
    if (theirs >= myTier) return false;
    return r.queue === entry.queue || (r.type >= 0 && borrowingElsewhere(r));
  };
}

/**
 * Running work `entry` may preempt under the policy (reclaim or lower tier), exiting or
 * not; null when no rule applies to it at all (then nothing qualifies).
 */
export function preemptionRule(
  policy: SchedulerPolicy,
  tree: QueueTree,
  entry: PendingWorkload,
  types: readonly number[],
): ((r: RunningWorkload) => boolean) | null {
  const rules = [
    policy.reclaim ? victimRule(policy, tree, entry, types, "reclaim") : null,
    policy.preemptLowerTier ? victimRule(policy, tree, entry, types, "priority") : null,
  ].filter((rule) => rule !== null);
  if (rules.length === 0) return null;
  return (r) => rules.some((rule) => rule(r));
}

export interface Victim {
  readonly victim: RunningWorkload;
  readonly members: number;
}

/** Victims tried at most per workload: bounds the cost of a hopeless search. */
const MAX_VICTIMS = 64;

/** How many members of `r` preemption may stop (services keep their minimum). */
export function stoppable(r: RunningWorkload): number {
  const n = r.placements.length;
  return r.w.class === WorkloadClass.Inference ? Math.max(0, n - r.w.minMembers) : n;
}

/**
 * The smallest prefix of eligible victims (in preemption order, leaving out work already
 * `exiting`) after whose exit `entry` would fit, or null. `reason` picks the eligibility
 * rule. The state and tree are as they were when it returns.
 */
export function findVictims(
  ctx: CycleContext,
  policy: SchedulerPolicy,
  tree: QueueTree,
  capacity: Float64Array,
  entry: PendingWorkload,
  types: readonly number[],
  running: readonly RunningWorkload[],
  exiting: ReadonlyMap<RunningWorkload, number>,
  reason: PreemptReason,
): Victim[] | null {
  const borrowingElsewhere = borrowingOutside(tree, entry);
  const eligible = victimRule(policy, tree, entry, types, reason);
  if (!eligible) return null;
  const candidates = running
    .filter((r) => !r.terminating && !exiting.has(r) && eligible(r))
    .sort(
      (a, b) =>
        tier(policy.order, a, policy.lasThresholds) - tier(policy.order, b, policy.lasThresholds) ||
        b.startTime - a.startTime ||
        (a.w.id < b.w.id ? -1 : a.w.id > b.w.id ? 1 : 0),
    );
  const taken: Victim[] = [];
  const freed: { r: RunningWorkload; p: Placement }[] = [];
  let found = false;
  try {
    for (const r of candidates) {
      if (taken.length >= MAX_VICTIMS) break;
      // A reclaim stops once the victim's queue is back within its guarantee.
      if (reason === "reclaim" && !borrowingElsewhere(r)) continue;
      const members = stoppable(r);
      const perMember = r.w.member.devices * r.w.member.deviceMilli;
      for (let k = r.placements.length - members; k < r.placements.length; k++) {
        releaseOne(ctx.state, r.request, r.placements[k]);
        freed.push({ r, p: r.placements[k] });
      }
      if (r.type >= 0) charge(tree, r.queue, r.type, -perMember * members);
      taken.push({ victim: r, members });
      const placed = placeWorkload(ctx, policy, tree, capacity, entry, types);
      if (!("code" in placed)) {
        release(ctx, tree, entry, placed);
        found = true;
        break;
      }
    }
  } finally {
    for (let i = freed.length - 1; i >= 0; i--) allocate(ctx.state, freed[i].r.request, freed[i].p);
    for (const { victim, members } of taken)
      if (victim.type >= 0)
        charge(
          tree,
          victim.queue,
          victim.type,
          victim.w.member.devices * victim.w.member.deviceMilli * members,
        );
  }
  return found ? taken : null;
}

/**
 * True when a workload may have failed only because one started earlier in the same
 * cycle took room it could preempt (a borrower ahead of a reclaimer in the order, or
 * lower-tier work ahead of higher). A cycle cannot preempt what it only just started,
 * so the driver should run another cycle once those starts are running work.
 */
export function startsTookPreemptibleRoom(
  policy: SchedulerPolicy,
  tree: QueueTree,
  state: ClusterState,
  decisions: readonly WorkloadDecision[],
): boolean {
  if (!policy.reclaim && !policy.preemptLowerTier) return false;
  // The starts as running work (victim rules read queue, type, members and tier only).
  const started = decisions.flatMap((d): RunningWorkload[] =>
    d.kind === "start"
      ? [
          {
            ...d.entry,
            type: d.type,
            request: d.request,
            placements: d.placements,
            startTime: 0,
            estimatedEnd: 0,
            terminating: false,
          },
        ]
      : [],
  );
  if (started.length === 0) return false;
  // The rules read a waiting workload's queue, tier, types and (reclaim) size only, and a
  // backlog's waits share few of those: each combination is checked once.
  const checked = new Set<string>();
  return decisions.some((d) => {
    if (d.kind !== "wait" || d.status.code !== StatusCode.Unschedulable) return false;
    if (d.status.plugin === "Preemption") return false;
    const { w } = d.entry;
    const { types, typesKey } = keyedTypes(state, w);
    const key = `${d.entry.queue}|${tier(policy.order, d.entry, policy.lasThresholds)}|${workloadMilli(w, w.minMembers)}|${typesKey}`;
    if (checked.has(key)) return false;
    checked.add(key);
    const mayTake = preemptionRule(policy, tree, d.entry, types);
    return mayTake !== null && started.some(mayTake);
  });
}
