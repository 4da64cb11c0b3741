/**
 * The queue tree compiled for the hot path: queues × device types in flat arrays,
 * usage kept per subtree (a parent's usage is the sum of its children's).
 *
 * Quota rules (after Kueue's cohorts, with the tree as the cohort):
 * - a queue may use its guarantee, plus up to its borrowing limit of idle capacity,
 *   and so may every ancestor (each level checks its own limit);
 * - the unused part of a guarantee beyond its lending limit is protected: nobody
 *   else may borrow it;
 * - a queue above its guarantee is borrowing, and its preemptible work may be
 *   reclaimed by a queue that is below its own guarantee.
 * Units are milli-devices. Index 0 is the root.
 */
import { GongjangError } from "../errors.ts";
import type { DeviceType } from "../model/fleet.ts";
import type { TenancySpec } from "./spec.ts";

export interface QueueTree {
  readonly paths: readonly string[];
  readonly parent: Int32Array;
  readonly children: readonly (readonly number[])[];
  readonly weight: Float64Array;
  readonly typeIds: readonly string[];
  /** [queue * types + type]; Infinity where unlimited. */
  readonly guaranteed: Float64Array;
  readonly borrowLimit: Float64Array;
  readonly lendLimit: Float64Array;
  /** Subtree usage, [queue * types + type]. Changed only by charge(). */
  readonly usage: Float64Array;
  /** True when no queue has a guarantee: a plain replay with one shared pool. */
  readonly open: boolean;
}

const MILLI = 1000;

/**
 * Compiles a tenancy. Queues are the spec's, their implied parents, and (only when the
 * spec lists none, an open tenancy) `extraPaths`. Throws GJ_ERR_TENANCY_INVALID for a
 * quota on an unknown device type or a child guarantee sum above an explicit parent's.
 */
export function compileTenancy(
  spec: TenancySpec,
  deviceTypes: readonly DeviceType[],
  extraPaths: Iterable<string> = [],
): QueueTree {
  const open = spec.queues.length === 0;
  const typeIds = deviceTypes.map((t) => t.id);
  const T = typeIds.length;
  const index = new Map<string, number>([["", 0]]);
  const paths = [""];
  const parentList = [-1];
  const add = (path: string): number => {
    const known = index.get(path);
    if (known !== undefined) return known;
    const cut = path.lastIndexOf("/");
    const parent = add(cut < 0 ? "" : path.slice(0, cut));
    const i = paths.length;
    index.set(path, i);
    paths.push(path);
    parentList.push(parent);
    return i;
  };
  for (const q of spec.queues) add(q.path);
  if (open) for (const p of extraPaths) add(p);
  const Q = paths.length;
  const tree: QueueTree = {
    paths,
    parent: Int32Array.from(parentList),
    children: paths.map((_, i) => parentList.flatMap((p, c) => (p === i ? [c] : []))),
    weight: new Float64Array(Q).fill(1),
    typeIds,
    guaranteed: new Float64Array(Q * T).fill(Number.NaN),
    borrowLimit: new Float64Array(Q * T).fill(Number.POSITIVE_INFINITY),
    lendLimit: new Float64Array(Q * T).fill(Number.POSITIVE_INFINITY),
    usage: new Float64Array(Q * T),
    open,
  };
  spec.queues.forEach((q, at) => {
    const i = index.get(q.path)!;
    tree.weight[i] = q.weight ?? 1;
    for (const [type, quota] of Object.entries(q.quota ?? {})) {
      const t = typeIds.indexOf(type);
      if (t < 0)
        throw new GongjangError(
          "GJ_ERR_TENANCY_INVALID",
          `unknown device type "${type}"; the fleet has ${typeIds.join(", ")}`,
          { path: `queues[${at}].quota.${type}` },
        );
      tree.guaranteed[i * T + t] = quota.guaranteed * MILLI;
      if (quota.borrowLimit !== undefined) tree.borrowLimit[i * T + t] = quota.borrowLimit * MILLI;
      if (quota.lendLimit !== undefined) tree.lendLimit[i * T + t] = quota.lendLimit * MILLI;
    }
  });
  // Unset guarantees: the sum of the children's (0 for a leaf); the root is the whole fleet.
  for (let i = Q - 1; i >= 1; i--) {
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (const c of tree.children[i]) sum += tree.guaranteed[c * T + t];
      const own = tree.guaranteed[i * T + t];
      if (Number.isNaN(own)) tree.guaranteed[i * T + t] = sum;
      else if (sum > own + 1e-9)
        throw new GongjangError(
          "GJ_ERR_TENANCY_INVALID",
          `children of "${paths[i]}" are guaranteed ${sum / MILLI} ${typeIds[t]}, more than its ${own / MILLI}`,
          {
            path: `queues[${spec.queues.findIndex((q) => q.path === paths[i])}].quota.${typeIds[t]}`,
          },
        );
    }
  }
  for (let t = 0; t < T; t++) tree.guaranteed[t] = Number.POSITIVE_INFINITY;
  if (open) tree.guaranteed.fill(Number.POSITIVE_INFINITY);
  return tree;
}

/** Queue index of a path, or -1. */
export function queueIndex(tree: QueueTree, path: string): number {
  return tree.paths.indexOf(path);
}

/** Adds `milli` (negative to return) of type `t` to queue `q` and every ancestor. */
export function charge(tree: QueueTree, q: number, t: number, milli: number): void {
  const T = tree.typeIds.length;
  for (let a = q; a >= 0; a = tree.parent[a]) tree.usage[a * T + t] += milli;
}

/** Why `milli` more of type `t` may not be admitted to queue `q`, or null when it may. */
export function quotaBlock(
  tree: QueueTree,
  q: number,
  t: number,
  milli: number,
  capacity: number,
): string | null {
  if (tree.open) return null;
  const T = tree.typeIds.length;
  for (let a = q; a > 0; a = tree.parent[a]) {
    const k = a * T + t;
    const limit = tree.guaranteed[k] + tree.borrowLimit[k];
    if (tree.usage[k] + milli > limit + 1e-6)
      return `queue ${tree.paths[a]} would use ${fmt(tree.usage[k] + milli)} ${tree.typeIds[t]}, over its guarantee + borrowing limit of ${fmt(limit)}`;
  }
  // What others keep: unused guarantee they may not lend, summed over the path's siblings.
  let kept = 0;
  for (let a = q; a > 0; a = tree.parent[a]) {
    for (const s of tree.children[tree.parent[a]]) {
      if (s === a) continue;
      const k = s * T + t;
      kept += Math.max(0, tree.guaranteed[k] - tree.lendLimit[k] - tree.usage[k]);
    }
  }
  const free = capacity - tree.usage[t];
  if (free - kept < milli - 1e-6)
    return `${fmt(free)} ${tree.typeIds[t]} unallocated, ${fmt(kept)} of it kept by other queues' lending limits; needs ${fmt(milli)}`;
  return null;
}

/** True when queue `q` (and every ancestor) stays within its guarantee after `milli` more. */
export function withinGuarantee(tree: QueueTree, q: number, t: number, milli: number): boolean {
  const T = tree.typeIds.length;
  for (let a = q; a > 0; a = tree.parent[a])
    if (tree.usage[a * T + t] + milli > tree.guaranteed[a * T + t] + 1e-6) return false;
  return true;
}

/** How much of type `t` queue `q` uses beyond its guarantee (0 when within). */
export function borrowed(tree: QueueTree, q: number, t: number): number {
  const k = q * tree.typeIds.length + t;
  return Math.max(0, tree.usage[k] - tree.guaranteed[k]);
}

function fmt(milli: number): string {
  return String(Math.round(milli) / MILLI);
}
