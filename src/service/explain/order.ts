/**
 * Where a pending job stands in line, and what the last cycle said about it. The
 * order is the policy's: inside the queue by withinQueue(), across queues by walk(),
 * both from src/core/schedule/order.ts, over the snapshot's pending lists.
 */
import { walk, withinQueue } from "../../core/schedule/order.ts";
import type { PendingWorkload, SchedulerPolicy } from "../../core/schedule/types.ts";
import type { DecayedUsage } from "../../core/tenancy/fairshare.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import { capacityByType, type PendingView } from "./pending.ts";
import { Constraint, type ExplainLine, line, plural } from "./types.ts";

/** The parts of a scheduler policy explain reads. */
export type OrderPolicy = Pick<
  SchedulerPolicy,
  "order" | "lasThresholds" | "strict" | "backfill" | "maxAttempts"
>;

/** Used when the caller names no policy: first come, first served, 128 tries a cycle. */
export const FIFO: OrderPolicy = {
  order: "fifo",
  lasThresholds: [],
  strict: false,
  backfill: false,
  maxAttempts: 128,
};

export interface OrderView extends PendingView {
  readonly tree: QueueTree;
  readonly pending: readonly (readonly PendingWorkload[])[];
  readonly usage?: DecayedUsage;
}

/**
 * How many pending jobs the cycle tries before `entry`: in its own queue, and across
 * the fleet (the order at the start of a cycle; DRF reorders as jobs start). Blocking
 * when it is beyond the attempts one cycle makes.
 */
export function orderLine(
  view: OrderView,
  entry: PendingWorkload,
  policy: OrderPolicy,
): ExplainLine {
  const inQueue = withinQueue(policy.order, policy.lasThresholds);
  const own = view.pending[entry.queue] ?? [];
  const aheadInQueue = own.filter((e) => e.w.id !== entry.w.id && inQueue(e, entry) < 0).length;
  const order = walk(
    policy.order,
    policy.lasThresholds,
    view.pending,
    view.tree,
    capacityByType(view.state),
    view.usage,
  );
  let ahead = 0;
  for (let e = order.next(); e && e.w.id !== entry.w.id; e = order.next()) ahead++;
  const rule = policy.strict
    ? policy.backfill
      ? "; the first one that cannot start gets a backfill reservation, the rest start around it"
      : "; the first one that cannot start blocks those behind it"
    : "; jobs ahead that do not fit are passed over";
  const beyond = ahead >= policy.maxAttempts;
  const budget = beyond
    ? `; a cycle tries at most ${policy.maxAttempts}, so it waits for jobs ahead to start or leave`
    : "";
  const queue = view.tree.paths[entry.queue];
  return line(
    Constraint.QueueOrder,
    beyond,
    null,
    `${plural(aheadInQueue, "pending job")} ahead of it in ${queue}, ${ahead} in the whole fleet (${policy.order} order)${rule}${budget}`,
    { aheadInQueue, ahead, order: policy.order, maxAttempts: policy.maxAttempts },
  );
}

/**
 * The last cycle's reason ("Plugin: reason"), verbatim, when it says something the
 * per-constraint lines do not: preemption in progress, strict order, a reservation.
 * A Quota or Gang reason is what those lines spell out, so it is kept only when they
 * find nothing blocking (then the snapshot has room the last cycle did not see). A
 * reason without a plugin is history ("preempted; requeued"): a note until the next
 * cycle replaces it.
 */
export function cycleLine(reason: string | null, blocked: boolean): ExplainLine | null {
  if (reason === null || reason === "") return null;
  const plugin = /^([A-Z][A-Za-z]*): /.exec(reason)?.[1];
  if (plugin === undefined)
    return line(Constraint.Cycle, false, null, `last change: ${reason}`, { plugin: "" });
  const known = plugin === "Quota" || plugin === "Gang";
  if (known && blocked) return null;
  const constraint =
    plugin === "Preemption"
      ? Constraint.Preemption
      : plugin === "Queue"
        ? Constraint.QueueOrder
        : Constraint.Cycle;
  const text = known
    ? `last cycle: ${reason} (the snapshot now has room: it may start at the next cycle)`
    : `last cycle: ${reason}`;
  return line(constraint, !known, null, text, { plugin });
}
