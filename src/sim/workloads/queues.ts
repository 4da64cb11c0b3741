/**
 * Pending workloads per leaf queue, each list kept sorted by the policy's
 * within-queue order (the cycle merges the heads; see core/schedule/order.ts),
 * and the set of running ones, in start order.
 */
import type { Run } from "./runs.ts";

export class RunQueues {
  /** Index = leaf queue index in the tree. */
  readonly pending: Run[][];
  readonly running = new Set<Run>();
  private readonly compare: (a: Run, b: Run) => number;
  private waiting = 0;

  constructor(queues: number, compare: (a: Run, b: Run) => number) {
    this.pending = Array.from({ length: queues }, () => []);
    this.compare = compare;
  }

  /** Workloads waiting in all queues. */
  get pendingCount(): number {
    return this.waiting;
  }

  /** Inserts `r` at its place in its queue (after equals: binary search). */
  enqueue(r: Run): void {
    const list = this.pending[r.queue];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(list[mid], r) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, r);
    this.waiting++;
  }

  dequeue(r: Run): void {
    const list = this.pending[r.queue];
    list.splice(list.indexOf(r), 1);
    this.waiting--;
  }
}
