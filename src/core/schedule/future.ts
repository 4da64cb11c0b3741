/**
 * The state a cycle looks ahead to: running work told to exit has left, and the
 * workloads promised that room (they preempted, or wait for exits) have taken theirs.
 * Preemption and waiting decide against it (see inFuture in ./index.ts).
 *
 * Building it re-places every promised workload, and a cycle builds it for most
 * workloads that do not fit now, so without care a cycle that preempts for P workloads
 * costs O(P²) placements. The placements found are kept instead, and put back through
 * the ledger while they are still what a fresh search would find: the cycle's own
 * state has not changed (no start, no new hold), the same work is exiting, and the
 * promised workloads come in the same order. A new promise only adds its own placement.
 * (A fresh search could differ only in its random draws: the scan start and score ties.)
 */
import { allocate } from "../model/ledger.ts";
import type { CycleContext } from "../plugins/types.ts";
import { charge, type QueueTree } from "../tenancy/tree.ts";
import { type Placed, placeWorkload, release } from "./place.ts";
import type { PendingWorkload, RunningWorkload, SchedulerPolicy } from "./types.ts";

export interface Promised {
  readonly entry: PendingWorkload;
  readonly types: readonly number[];
}

interface Kept {
  readonly entry: PendingWorkload;
  /** Null when it did not fit in the future state. */
  readonly placed: Placed | null;
}

/** Promised placements of the last future state built in one cycle. */
export class FutureCache {
  private epoch = 0;
  private keptEpoch = -1;
  private exiting: [RunningWorkload, number][] = [];
  private kept: Kept[] = [];

  /** The cycle's state or holds changed: placements kept so far may no longer be found. */
  invalidate(): void {
    this.epoch++;
  }

  /**
   * Places the promised workloads on a state from which `exiting` has already left,
   * reusing kept placements where still valid; returns what it applied, for unplace().
   */
  place(
    ctx: CycleContext,
    policy: SchedulerPolicy,
    tree: QueueTree,
    capacity: Float64Array,
    exiting: readonly [RunningWorkload, number][],
    promised: readonly Promised[],
  ): Kept[] {
    if (this.keptEpoch !== this.epoch || !sameExits(this.exiting, exiting)) {
      this.keptEpoch = this.epoch;
      this.exiting = exiting.slice();
      this.kept = [];
    }
    const applied: Kept[] = [];
    let i = 0;
    for (; i < promised.length && i < this.kept.length; i++) {
      const k = this.kept[i];
      if (k.entry !== promised[i].entry) break;
      if (k.placed) reapply(ctx, tree, k.entry, k.placed);
      applied.push(k);
    }
    this.kept.length = i;
    for (; i < promised.length; i++) {
      const p = promised[i];
      const got = placeWorkload(ctx, policy, tree, capacity, p.entry, p.types);
      const k = { entry: p.entry, placed: "code" in got ? null : got };
      this.kept.push(k);
      applied.push(k);
    }
    return applied;
  }
}

/** Undoes FutureCache.place(), newest first. */
export function unplace(ctx: CycleContext, tree: QueueTree, applied: readonly Kept[]): void {
  for (let i = applied.length - 1; i >= 0; i--) {
    const { entry, placed } = applied[i];
    if (placed) release(ctx, tree, entry, placed);
  }
}

/** What placeWorkload applied for `entry`: the members through the ledger, then the quota. */
function reapply(ctx: CycleContext, tree: QueueTree, entry: PendingWorkload, p: Placed): void {
  for (const placement of p.placements) allocate(ctx.state, p.request, placement);
  const m = entry.w.member;
  if (p.type >= 0)
    charge(tree, entry.queue, p.type, m.devices * m.deviceMilli * p.placements.length);
}

function sameExits(
  a: readonly [RunningWorkload, number][],
  b: readonly [RunningWorkload, number][],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  return true;
}
