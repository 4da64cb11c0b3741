/**
 * Fair share, two ways:
 * - Hierarchical DRF (dominant resource fairness): at every level of the queue tree
 *   the child with the smallest weighted dominant share goes next. A queue's dominant
 *   share is its largest usage fraction over device types.
 * - Slurm's fair-share factor F = 2^(-U/S): U is the queue's share of decayed usage
 *   (device-seconds, weighted per type, halved every half-life), S its normalised
 *   share of weights down the tree. F is 1 for an unused queue, 0.5 at exactly its
 *   share, and falls towards 0 as it overuses.
 */
import type { QueueTree } from "./tree.ts";

/** Weighted dominant share of queue `q` given capacity per type (milli-devices). */
export function dominantShare(tree: QueueTree, q: number, capacity: Float64Array): number {
  const T = tree.typeIds.length;
  let share = 0;
  for (let t = 0; t < T; t++) {
    if (capacity[t] > 0) share = Math.max(share, tree.usage[q * T + t] / capacity[t]);
  }
  return share / tree.weight[q];
}

/**
 * Decayed usage per queue (and its ancestors), in weighted device-seconds. The driver
 * calls advance() with its clock and charge() as work runs; values only shrink by decay.
 */
export class DecayedUsage {
  readonly value: Float64Array;
  private readonly tree: QueueTree;
  private readonly halfLife: number;
  private last = 0;

  constructor(tree: QueueTree, halfLife: number) {
    this.tree = tree;
    this.halfLife = halfLife;
    this.value = new Float64Array(tree.paths.length);
  }

  /** Decays every value from the last call to `t`. */
  advance(t: number): void {
    if (t <= this.last) return;
    const f = 2 ** (-(t - this.last) / this.halfLife);
    for (let q = 0; q < this.value.length; q++) this.value[q] *= f;
    this.last = t;
  }

  /** Adds `amount` to queue `q` and its ancestors. */
  charge(q: number, amount: number): void {
    for (let a = q; a >= 0; a = this.tree.parent[a]) this.value[a] += amount;
  }
}

/** Slurm's fair-share factor for queue `q`: 2^(-usageShare / normalisedShares). */
export function fairShareFactor(tree: QueueTree, usage: DecayedUsage, q: number): number {
  let shares = 1;
  for (let a = q; a > 0; a = tree.parent[a]) {
    let siblings = 0;
    for (const s of tree.children[tree.parent[a]]) siblings += tree.weight[s];
    shares *= tree.weight[a] / siblings;
  }
  const total = usage.value[0];
  const used = total > 0 ? usage.value[q] / total : 0;
  // A share that underflows to 0 (a weight of 1e-300 beside ones of 1): idle is 1, any use 0.
  if (shares === 0) return used > 0 ? 0 : 1;
  return 2 ** (-used / shares);
}
