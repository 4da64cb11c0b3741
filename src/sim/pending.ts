/**
 * The waiting jobs, grouped by fit shape, so each cycle is handed only the jobs that
 * might start instead of the whole queue.
 *
 * Why this is exact, not a heuristic. Two jobs with the same fit shape (CPU, memory,
 * devices, device share, accepted types) fit on exactly the same nodes, and fit is
 * monotone: a node that gets fuller never starts fitting. cycle() tries jobs in
 * policy order, and once one job of a shape fails, every later job of that shape
 * fails too. So after each cycle no waiting job fits anywhere, and until the next one
 * a waiting shape can only fit on nodes freed since (released or joined). A group that
 * waited through the last cycle is "blocked": at most `bound` of its jobs can start
 * now, where `bound` sums, over the freed nodes, how many of the shape each could
 * hold. Jobs past that bound would fail without side effects (no placement, no rng
 * draw), so leaving them out changes no decision. Groups that did not wait through
 * the last cycle (new shapes, requeued work) hand over every job.
 */
import type { ClusterState } from "../core/model/cluster.ts";
import { type Request, typeAllowed } from "../core/model/request.ts";

/** A compiled job that remembers its index in the world's job arrays. */
export interface SimRequest extends Request {
  readonly index: number;
}

/** Jobs with equal keys fit on exactly the same nodes. Mirrors cycle()'s failed-shape key. */
export function fitShapeKey(req: Request): string {
  const j = req.job;
  return `${j.cpuMilli}/${j.memoryMiB}/${j.devices}/${j.deviceMilli}/${req.typeMask}`;
}

/**
 * An upper bound on how many jobs of `req`'s shape fit on `node` now; 0 exactly when
 * a resource rules out even one. Each job takes `devices` distinct devices, so it
 * uses `devices` of the node's ⌊free/share⌋ device slots.
 */
export function fitCount(state: ClusterState, req: Request, node: number, cap: number): number {
  if (state.schedulable[node] === 0) return 0;
  const job = req.job;
  let n = cap;
  if (job.cpuMilli > 0) n = Math.min(n, Math.floor(state.cpuFree[node] / job.cpuMilli));
  if (job.memoryMiB > 0) n = Math.min(n, Math.floor(state.memFree[node] / job.memoryMiB));
  if (job.devices > 0 && n > 0) {
    const type = state.nodeType[node];
    if (type < 0 || !typeAllowed(req, type)) return 0;
    let slots = 0;
    const end = state.devOffset[node + 1];
    for (let d = state.devOffset[node]; d < end; d++) slots += Math.floor(state.devFree[d] / job.deviceMilli);
    n = Math.min(n, Math.floor(slots / job.devices));
  }
  return Math.max(0, n);
}

/** Binary min-heap under a comparator; the policy's queue order within one group. */
class OrderedHeap<T> {
  private items: T[] = [];
  private readonly compare: (a: T, b: T) => number;
  constructor(compare: (a: T, b: T) => number) {
    this.compare = compare;
  }
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(x, a[p]) >= 0) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && this.compare(a[r], a[l]) < 0 ? r : l;
        if (this.compare(a[c], last) >= 0) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

interface Group {
  readonly rep: Request;
  readonly heap: OrderedHeap<SimRequest>;
  /** Waited through the last cycle: fits nowhere except on nodes freed since. */
  blocked: boolean;
  active: boolean;
  touched: boolean;
}

/**
 * Waiting jobs by fit shape. Protocol per batch: add() arrivals and requeued jobs,
 * take() the candidates (given the nodes freed since the last take), run the cycle,
 * putBack() every candidate that did not start, then settle().
 */
export class PendingQueue {
  private readonly groups = new Map<string, Group>();
  private active: Group[] = [];
  private readonly touched: Group[] = [];
  /** Group of each job by world index, so putBack() needs no key string. */
  private readonly groupOf: Group[] = [];
  private readonly compare: (a: Request, b: Request) => number;
  private count = 0;

  /** `compare` is the policy's queue order (a total order). */
  constructor(compare: (a: Request, b: Request) => number) {
    this.compare = compare;
  }

  /** Jobs waiting, candidates out on loan included. */
  get size(): number {
    return this.count;
  }

  add(req: SimRequest): void {
    const key = fitShapeKey(req);
    let g = this.groups.get(key);
    if (!g) {
      g = { rep: req, heap: new OrderedHeap<SimRequest>(this.compare), blocked: false, active: false, touched: false };
      this.groups.set(key, g);
    }
    g.heap.push(req);
    this.groupOf[req.index] = g;
    this.count++;
    if (!g.active) {
      g.active = true;
      this.active.push(g);
    }
  }

  /**
   * Removes and returns the jobs that might start in the coming cycle. `freed` lists
   * the nodes released or joined since the previous take(); `all` hands over every
   * job (the reference behaviour the grouping must equal, for tests).
   */
  take(state: ClusterState, freed: ArrayLike<number>, freedCount: number, all = false): SimRequest[] {
    const out: SimRequest[] = [];
    for (const g of this.active) {
      const size = g.heap.size;
      let k = size;
      if (g.blocked && !all) {
        k = 0;
        for (let i = 0; i < freedCount && k < size; i++) k += fitCount(state, g.rep, freed[i], size - k);
      }
      if (k === 0) continue;
      g.touched = true;
      this.touched.push(g);
      for (let i = 0; i < k; i++) out.push(g.heap.pop()!);
    }
    return out;
  }

  /** Returns a candidate that did not start to its group. */
  putBack(req: SimRequest): void {
    this.groupOf[req.index].heap.push(req);
  }

  /** Records that `n` candidates left the queue (started or rejected). */
  removed(n: number): void {
    this.count -= n;
  }

  /** Ends a cycle: groups that still hold jobs waited through it and are blocked. */
  settle(): void {
    let emptied = false;
    for (const g of this.touched) {
      g.touched = false;
      g.blocked = g.heap.size > 0;
      if (!g.blocked) {
        g.active = false;
        emptied = true;
      }
    }
    this.touched.length = 0;
    // Untouched active groups were blocked already: take() hands over all of an unblocked one.
    if (emptied) this.active = this.active.filter((g) => g.active);
  }
}
