/**
 * Demand that changes over time: a tenant's (or a whole subtree's) arrival rate, or
 * one workload class's, steps up or down at a time and then grows or shrinks by
 * compounding. The workload mix turns these multipliers into a non-homogeneous
 * Poisson process by thinning (workload-mix.ts); capacity planning uses them for
 * "the startup program doubles" and "inference grows 20 % a month".
 *
 *   multiplier(t) = 1                                        for t < from
 *                 = factor × (1 + rate)^((t − from) / per)   for t ≥ from
 *
 * Several changes that apply to one tenant and class multiply.
 */
import { WORKLOAD_CLASSES, type WorkloadClass } from "../core/workload/index.ts";
import type { PathIssue } from "./yaml-read.ts";

const DAY = 86400;

/** The `per` a change without one compounds over: 30 days. */
export const DEFAULT_GROWTH_PERIOD = 30 * DAY;

/** One change of demand; every field but one of `factor` and `rate` is optional. */
export interface DemandChange {
  /** A queue path: the change applies to this queue's workloads and its subtree's; absent: all. */
  readonly queue?: string;
  /** Only this workload class; absent: every class. */
  readonly class?: WorkloadClass;
  /** Seconds from the start of the run at which the change begins; default 0. */
  readonly from?: number;
  /** Step multiplier from `from` on; default 1. */
  readonly factor?: number;
  /** Compounding growth per `per` from `from` on (0.2 = +20 %, −0.5 halves); default 0. */
  readonly rate?: number;
  /** Seconds one step of `rate` takes; default 30 days. */
  readonly per?: number;
}

/** True when `change` covers workloads submitted to leaf queue `queue`. */
export function coversQueue(change: DemandChange, queue: string): boolean {
  const q = change.queue;
  return q === undefined || q === queue || queue.startsWith(`${q}/`);
}

/** The changes that cover `queue` and `cls`, in input order. */
export function changesFor(
  changes: readonly DemandChange[],
  queue: string,
  cls: WorkloadClass,
): DemandChange[] {
  return changes.filter((c) => coversQueue(c, queue) && (c.class === undefined || c.class === cls));
}

/** One change's multiplier at time `t`. */
function one(c: DemandChange, t: number): number {
  const from = c.from ?? 0;
  if (t < from) return 1;
  const rate = c.rate ?? 0;
  const growth = rate === 0 ? 1 : (1 + rate) ** ((t - from) / (c.per ?? DEFAULT_GROWTH_PERIOD));
  return (c.factor ?? 1) * growth;
}

/** The product of the changes' multipliers at `t` (1 for none). */
export function demandMultiplier(changes: readonly DemandChange[], t: number): number {
  let m = 1;
  for (const c of changes) m *= one(c, t);
  return m;
}

/**
 * An upper bound of {@link demandMultiplier} over [0, horizon]: each change is
 * monotone on either side of `from`, so its largest value is at 0, at `from` or at
 * the horizon; the product of those maxima bounds the product.
 */
export function maxDemandMultiplier(changes: readonly DemandChange[], horizon: number): number {
  let m = 1;
  for (const c of changes) {
    const from = c.from ?? 0;
    const at = from < horizon ? [from, horizon] : [];
    m *= Math.max(from > 0 ? 1 : 0, ...at.map((t) => one(c, t)));
  }
  return m;
}

/**
 * Problems with `changes`, by path inside them (`[2].rate`): unknown classes, a
 * change with neither factor nor rate, numbers out of range, and changes that
 * cover none of `queues` (the mix's tenants).
 */
export function demandChangeIssues(
  changes: readonly DemandChange[],
  queues: readonly string[],
): PathIssue[] {
  const issues: PathIssue[] = [];
  const bad = (path: string, message: string) =>
    issues.push({ code: "GJ_ERR_WORKLOAD_INVALID", path, message });
  changes.forEach((c, i) => {
    const at = `[${i}]`;
    if (c.class !== undefined && !WORKLOAD_CLASSES.includes(c.class))
      bad(`${at}.class`, `unknown workload class (classes: ${WORKLOAD_CLASSES.join(", ")})`);
    if (c.factor === undefined && c.rate === undefined)
      bad(at, "give factor (a step), rate (compounding growth) or both");
    if (c.factor !== undefined && !(c.factor >= 0))
      bad(`${at}.factor`, `expected a number >= 0, got ${c.factor}`);
    if (c.rate !== undefined && !(c.rate > -1))
      bad(`${at}.rate`, `expected a number > -1, got ${c.rate}`);
    if (c.per !== undefined && !(c.per > 0)) bad(`${at}.per`, `expected seconds > 0, got ${c.per}`);
    if (c.from !== undefined && !(c.from >= 0))
      bad(`${at}.from`, `expected seconds >= 0, got ${c.from}`);
    if (c.queue !== undefined && !queues.some((q) => coversQueue(c, q)))
      bad(`${at}.queue`, `"${c.queue}" covers none of the workload's tenants`);
  });
  return issues;
}
