/**
 * A cheap test that preemption cannot help a workload, run before the cycle builds the
 * future state for it (./future.ts), which costs a placement per promised workload.
 *
 * Whether running work may be preempted for `entry` (victimRule in ./preempt.ts) reads
 * the quota tree only: the reclaim rule needs the entry's queue within its guarantee,
 * and both rules take victims from queues that borrow. In the future state usage is the
 * present usage, less the exiting work, plus what the promised workloads were placed
 * with, which is at most their whole demand on each type they accept. So the reclaim
 * precondition is tested with the least usage the future can have, and victims with
 * the most: when no running workload qualifies even then, findVictims would find none.
 * Only the tree is touched, and it is restored.
 */
import { charge, type QueueTree } from "../tenancy/tree.ts";
import { workloadMilli } from "../workload/index.ts";
import type { Promised } from "./future.ts";
import { victimRule } from "./preempt.ts";
import type { PendingWorkload, PreemptReason, RunningWorkload, SchedulerPolicy } from "./types.ts";

/** False when no preemption reason of `policy` can find a victim for `e` in the future state. */
export function mayPreempt(
  policy: SchedulerPolicy,
  tree: QueueTree,
  e: PendingWorkload,
  types: readonly number[],
  running: readonly RunningWorkload[],
  exiting: ReadonlyMap<RunningWorkload, number>,
  promised: readonly Promised[],
): boolean {
  const reasons: PreemptReason[] = [];
  if (policy.reclaim) reasons.push("reclaim");
  if (policy.preemptLowerTier) reasons.push("priority");
  if (reasons.length === 0) return false;
  const exitCharge = (sign: number) => {
    for (const [r, members] of exiting)
      if (r.type >= 0)
        charge(tree, r.queue, r.type, sign * r.w.member.devices * r.w.member.deviceMilli * members);
  };
  const promisedCharge = (sign: number) => {
    for (const p of promised)
      for (const t of p.types)
        if (t >= 0) charge(tree, p.entry.queue, t, sign * workloadMilli(p.entry.w));
  };
  exitCharge(-1);
  try {
    // Least future usage: a precondition that fails here fails in the future state.
    const open = reasons.filter((reason) => victimRule(policy, tree, e, types, reason) !== null);
    if (open.length === 0) return false;
    promisedCharge(1);
    try {
      // Most future usage: a workload that is no victim here is none in the future state.
      for (const reason of open) {
        const rule = victimRule(policy, tree, e, types, reason);
        if (rule === null) return true; // cannot tell at this bound: build the future
        for (const r of running) if (!r.terminating && !exiting.has(r) && rule(r)) return true;
      }
      return false;
    } finally {
      promisedCharge(-1);
    }
  } finally {
    exitCharge(1);
  }
}
