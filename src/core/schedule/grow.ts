/**
 * Growing running work back to size: elastic jobs that started with fewer members
 * than they asked for, and services that gave up replicas to a preemption. Growth
 * comes after every pending workload has had its turn in the cycle, takes only room
 * that quota and holds allow, and never delays a backfill reservation (the members'
 * runtime estimate meets the hold filter like any other job's).
 */
import { placeElastic, undo } from "../gang/place.ts";
import type { Placement } from "../model/ledger.ts";
import type { CycleContext } from "../plugins/types.ts";
import { charge, type QueueTree, quotaBlock } from "../tenancy/tree.ts";
import type { RunningWorkload, SchedulerPolicy } from "./types.ts";

export interface Growth {
  readonly running: RunningWorkload;
  readonly placements: readonly Placement[];
}

/** Running with fewer members than it asked for: grow() may add the rest. */
export function belowSize(r: RunningWorkload): boolean {
  return r.placements.length < r.w.members;
}

/**
 * New members for `short` (running workloads below their size), highest priority and
 * oldest first. Placements stay applied and charged; the caller undoes them with
 * undoGrowth().
 */
export function grow(
  ctx: CycleContext,
  policy: SchedulerPolicy,
  tree: QueueTree,
  capacity: Float64Array,
  short: readonly RunningWorkload[],
  skip: ReadonlySet<RunningWorkload>,
): Growth[] {
  const order = short
    .filter((r) => !r.terminating && !skip.has(r))
    .sort(
      (a, b) =>
        b.w.priority - a.w.priority ||
        a.startTime - b.startTime ||
        (a.w.id < b.w.id ? -1 : a.w.id > b.w.id ? 1 : 0),
    );
  const out: Growth[] = [];
  for (const r of order) {
    const perMember = r.w.member.devices * r.w.member.deviceMilli;
    let want = r.w.members - r.placements.length;
    // The quota decides how many more members may run; room decides how many do.
    while (
      want > 0 &&
      r.type >= 0 &&
      quotaBlock(tree, r.queue, r.type, perMember * want, capacity[r.type])
    )
      want--;
    if (want === 0) continue;
    const got = placeElastic(ctx, policy.node, r.request, want, 1);
    if (!got) continue;
    if (r.type >= 0) charge(tree, r.queue, r.type, perMember * got.placements.length);
    out.push({ running: r, placements: got.placements });
  }
  return out;
}

/** Undoes grow(): releases the new members and their quota, newest first. */
export function undoGrowth(ctx: CycleContext, tree: QueueTree, grown: readonly Growth[]): void {
  for (let i = grown.length - 1; i >= 0; i--) {
    const { running: r, placements } = grown[i];
    undo(ctx, r.request, placements);
    if (r.type >= 0)
      charge(
        tree,
        r.queue,
        r.type,
        -r.w.member.devices * r.w.member.deviceMilli * placements.length,
      );
  }
}
