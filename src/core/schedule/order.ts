/**
 * Queue orders. Drivers keep each leaf queue's pending list sorted by withinQueue();
 * a cycle then walks the queues' heads in the policy's global order, so it costs
 * O(attempts × log queues), not a sort of every pending workload.
 *
 * fifo       submit time
 * sjf        runtime estimate (shortest first), then submit time
 * priority   priority (high first), then submit time
 * las        Tiresias's discretised 2D-LAS: the queue level of the attained service
 *            (device-seconds; lower first), then submit time. Needs no runtime estimate.
 * fairshare  priority, then the queue's Slurm fair-share factor (high first), then submit
 * drf        priority tier first; within it the queue with the smallest weighted
 *            dominant share (hierarchically), recomputed after every start
 */
import { type DecayedUsage, dominantShare, fairShareFactor } from "../tenancy/fairshare.ts";
import type { QueueTree } from "../tenancy/tree.ts";
import { estimateOf } from "../workload/index.ts";
import type { OrderName, PendingWorkload } from "./types.ts";

type Compare = (a: PendingWorkload, b: PendingWorkload) => number;

/** 2D-LAS level: how many thresholds the attained service has passed. */
export function lasLevel(attained: number, thresholds: readonly number[]): number {
  let level = 0;
  while (level < thresholds.length && attained >= thresholds[level]) level++;
  return level;
}

const bySubmit: Compare = (a, b) =>
  a.w.submitTime - b.w.submitTime || (a.w.id < b.w.id ? -1 : a.w.id > b.w.id ? 1 : 0);

/** The order pending workloads keep inside one leaf queue. A total order. */
export function withinQueue(order: OrderName, thresholds: readonly number[]): Compare {
  switch (order) {
    case "fifo":
      return bySubmit;
    case "sjf":
      return (a, b) => estimateOf(a.w) - estimateOf(b.w) || bySubmit(a, b);
    case "las":
      return (a, b) =>
        lasLevel(a.attained, thresholds) - lasLevel(b.attained, thresholds) || bySubmit(a, b);
    case "priority":
    case "fairshare":
    case "drf":
      return (a, b) => b.w.priority - a.w.priority || bySubmit(a, b);
    default: {
      const never: never = order;
      throw new Error(`unknown order ${never}`);
    }
  }
}

/**
 * The tier preemption compares: work of a lower tier may make room for a higher one.
 * Priority everywhere; under LAS, the (negated) level, so less-served work wins.
 */
export function tier(order: OrderName, e: PendingWorkload, thresholds: readonly number[]): number {
  return order === "las" ? -lasLevel(e.attained, thresholds) : e.w.priority;
}

/** Walks pending workloads in global order; call started() after a start (DRF rebalances). */
export interface Walk {
  next(): PendingWorkload | undefined;
  /** The last workload next() gave was started (charged to its queues). */
  started(): void;
}

/**
 * Global order over the per-queue lists. `capacity` (milli-devices per type) scales
 * DRF shares; `usage` feeds fairshare. DRF reads tree.usage live, so starts the cycle
 * charges tentatively are seen by the next pick.
 */
export function walk(
  order: OrderName,
  thresholds: readonly number[],
  queues: readonly (readonly PendingWorkload[])[],
  tree: QueueTree,
  capacity: Float64Array,
  usage: DecayedUsage | undefined,
): Walk {
  const cursor = new Int32Array(queues.length);
  const head = (q: number): PendingWorkload | undefined => queues[q]?.[cursor[q]];
  if (order === "drf") return drfWalk(queues, cursor, head, tree, capacity);
  const inQueue = withinQueue(order, thresholds);
  let compare = inQueue;
  if (order === "fairshare") {
    const factor = queues.map((_, q) => (usage ? fairShareFactor(tree, usage, q) : 1));
    compare = (a, b) =>
      b.w.priority - a.w.priority || factor[b.queue] - factor[a.queue] || bySubmit(a, b);
  }
  const heap = new HeadHeap((a, b) => compare(head(a)!, head(b)!) || a - b);
  queues.forEach((list, q) => {
    if (list.length > 0) heap.push(q);
  });
  return {
    next() {
      const q = heap.pop();
      if (q === undefined) return undefined;
      const e = head(q)!;
      cursor[q]++;
      if (head(q)) heap.push(q);
      return e;
    },
    started() {},
  };
}

function drfWalk(
  queues: readonly (readonly PendingWorkload[])[],
  cursor: Int32Array,
  head: (q: number) => PendingWorkload | undefined,
  tree: QueueTree,
  capacity: Float64Array,
): Walk {
  // Pending workloads left per subtree, so the descent skips empty branches.
  const left = new Int32Array(tree.paths.length);
  queues.forEach((list, q) => {
    for (let a = q; a >= 0; a = tree.parent[a]) left[a] += list.length;
  });
  // The leaf picked last and the priority tier it was picked in. Until a start changes
  // the shares, nothing but that leaf's head has moved since: while its new head is of
  // the same tier, the descent would pick it again (a quota-refused backlog is walked
  // in O(1) per workload, not a descent and a scan of every queue's head).
  let last = -1;
  let top = Number.NEGATIVE_INFINITY;
  return {
    next() {
      if (left[0] === 0) return undefined;
      let q = last;
      if (q < 0 || head(q)?.w.priority !== top) {
        // Highest priority among the heads goes first; DRF decides among equals.
        top = Number.NEGATIVE_INFINITY;
        queues.forEach((_, i) => {
          const e = head(i);
          if (e && e.w.priority > top) top = e.w.priority;
        });
        q = 0;
        while (tree.children[q].length > 0) {
          let best = -1;
          let bestShare = Number.POSITIVE_INFINITY;
          for (const c of tree.children[q]) {
            if (left[c] === 0 || !hasTier(tree, queues, cursor, c, top)) continue;
            const share = dominantShare(tree, c, capacity);
            if (share < bestShare) {
              bestShare = share;
              best = c;
            }
          }
          if (best < 0) break;
          q = best;
        }
      }
      const e = head(q);
      if (!e) return undefined;
      last = q;
      cursor[q]++;
      for (let a = q; a >= 0; a = tree.parent[a]) left[a]--;
      return e;
    },
    started() {
      last = -1;
    },
  };
}

/** True when subtree `root` has a queue whose head has priority `top`. */
function hasTier(
  tree: QueueTree,
  queues: readonly (readonly PendingWorkload[])[],
  cursor: Int32Array,
  root: number,
  top: number,
): boolean {
  const e = queues[root]?.[cursor[root]];
  if (e && e.w.priority === top) return true;
  return tree.children[root].some((c) => hasTier(tree, queues, cursor, c, top));
}

/** A binary min-heap of queue indices under a comparator. */
class HeadHeap {
  private readonly items: number[] = [];
  private readonly less: (a: number, b: number) => number;

  constructor(less: (a: number, b: number) => number) {
    this.less = less;
  }

  push(q: number): void {
    const h = this.items;
    h.push(q);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(h[i], h[p]) >= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): number | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m]) < 0) m = l;
        if (r < h.length && this.less(h[r], h[m]) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
