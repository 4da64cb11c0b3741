/**
 * The waiting jobs, grouped by fit shape, so each cycle is handed only the jobs that
 * might start instead of the whole queue. How take() picks them, and why that
 * changes no decision, is explained in ./candidates.ts.
 */
import { fitShapeKey, type Request } from "../core/model/request.ts";

/** A compiled job that remembers its index in the world's job arrays. */
export interface SimRequest extends Request {
  readonly index: number;
}

/** Binary min-heap under a comparator. */
export class OrderedHeap<T> {
  private items: T[] = [];
  private readonly compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.compare = compare;
  }

  get size(): number {
    return this.items.length;
  }

  /** The smallest item; undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
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

/** The waiting jobs of one fit shape, in queue order. */
export interface Group {
  readonly rep: Request;
  readonly jobs: OrderedHeap<SimRequest>;
  /** Waited through the last cycle: fits nowhere except on nodes freed since. */
  blocked: boolean;
  active: boolean;
}

/**
 * Waiting jobs by fit shape. Protocol per batch: add() arrivals and requeued jobs;
 * pick candidates from groups() (see ./candidates.ts), lending them out with
 * lend(); run the cycle; putBack() every candidate that did not start; settle().
 */
export class PendingQueue {
  private readonly byKey = new Map<string, Group>();
  private active: Group[] = [];
  private readonly lent: Group[] = [];
  /** Groups that turned active since the last settle(): the only unblocked ones. */
  private readonly fresh: Group[] = [];
  /** Group of each job by world index, so putBack() needs no key string. */
  private readonly groupOf: Group[] = [];
  readonly compare: (a: Request, b: Request) => number;
  private count = 0;

  /** `compare` is the policy's queue order (a total order). */
  constructor(compare: (a: Request, b: Request) => number) {
    this.compare = compare;
  }

  /** Jobs waiting, candidates out on loan included. */
  get size(): number {
    return this.count;
  }

  /** Groups holding jobs, in the order they first got one. */
  groups(): readonly Group[] {
    return this.active;
  }

  /** The unblocked groups: those that got their first job since the last settle(). */
  freshGroups(): readonly Group[] {
    return this.fresh;
  }

  add(req: SimRequest): void {
    const key = fitShapeKey(req);
    let g = this.byKey.get(key);
    if (!g) {
      g = {
        rep: req,
        jobs: new OrderedHeap<SimRequest>(this.compare),
        blocked: false,
        active: false,
      };
      this.byKey.set(key, g);
    }
    g.jobs.push(req);
    this.groupOf[req.index] = g;
    this.count++;
    if (!g.active) {
      g.active = true;
      this.active.push(g);
      this.fresh.push(g);
    }
  }

  /** Takes the first job of `g` out for the coming cycle. */
  lend(g: Group, out: SimRequest[]): void {
    const req = g.jobs.pop();
    if (req === undefined) return;
    out.push(req);
    this.lent.push(g);
  }

  /** Returns a candidate that did not start to its group. */
  putBack(req: SimRequest): void {
    this.groupOf[req.index].jobs.push(req);
  }

  /** Records that `n` candidates left the queue (started or rejected). */
  removed(n: number): void {
    this.count -= n;
  }

  /**
   * Ends a batch. Every group still holding jobs waited through the cycle, or was
   * shown unable to start, so it is blocked now; groups left empty go inactive. Only
   * lent groups can change: an unblocked group always lends all its jobs.
   */
  settle(): void {
    let emptied = false;
    for (const g of this.lent) {
      g.blocked = g.jobs.size > 0;
      if (!g.blocked && g.active) {
        g.active = false;
        emptied = true;
      }
    }
    this.lent.length = 0;
    this.fresh.length = 0;
    if (emptied) this.active = this.active.filter((g) => g.active);
  }
}
