/**
 * Pending workloads per leaf queue, each list kept sorted by the policy's
 * within-queue order (the cycle merges the heads; see core/schedule/order.ts),
 * and the set of running ones, in start order.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import { siteMask } from "../../core/model/request.ts";
import type { Run } from "./runs.ts";

export class RunQueues {
  /** Index = leaf queue index in the tree. */
  readonly pending: Run[][];
  readonly running = new Set<Run>();
  /**
   * Pending runs by the devices they can start with (minMembers × devices × share):
   * size → counts at queue × types + type, for each type the run could use. Sizes
   * ascending. Feeds the guarantee-met measure (waitingFits).
   */
  private readonly sizes: number[] = [];
  private readonly bySize = new Map<number, Int32Array>();
  private readonly queueCount: number;
  private readonly types: number;
  private readonly typesOf: (r: Run) => readonly number[];
  private readonly compare: (a: Run, b: Run) => number;
  private waiting = 0;

  /** `typesOf` gives the type indexes (of `types`) a run could use, for pendingDevices. */
  constructor(
    queues: number,
    compare: (a: Run, b: Run) => number,
    types = 0,
    typesOf: (r: Run) => readonly number[] = () => [],
  ) {
    this.pending = Array.from({ length: queues }, () => []);
    this.queueCount = queues;
    this.types = types;
    this.typesOf = typesOf;
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
    this.count(r, 1);
  }

  dequeue(r: Run): void {
    const list = this.pending[r.queue];
    list.splice(list.indexOf(r), 1);
    this.waiting--;
    this.count(r, -1);
  }

  /**
   * True when a pending run of `queue` that could use type `type` can start with at
   * most `room` devices: work its unused guarantee would hold is waiting.
   */
  waitingFits(queue: number, type: number, room: number): boolean {
    for (const s of this.sizes) {
      if (s > room + 1e-9) return false;
      if (this.bySize.get(s)![queue * this.types + type] > 0) return true;
    }
    return false;
  }

  private count(r: Run, sign: number): void {
    if (this.types === 0) return;
    const size = (r.w.minMembers * r.w.member.devices * r.w.member.deviceMilli) / 1000;
    let counts = this.bySize.get(size);
    if (counts === undefined) {
      counts = new Int32Array(this.queueCount * this.types);
      this.bySize.set(size, counts);
      this.sizes.push(size);
      this.sizes.sort((a, b) => a - b);
    }
    for (const k of this.typesOf(r)) counts[r.queue * this.types + k] += sign;
  }
}

/**
 * The device types (indexes) a run could use: those it accepts (all when it names
 * none) that have nodes at a site its residency allows. Cached per types and residency.
 */
export function usableTypes(state: ClusterState): (r: Run) => readonly number[] {
  const cache = new Map<string, number[]>();
  return (r) => {
    const key = `${r.w.deviceTypes.join(",")}@${r.w.residency ?? ""}`;
    let out = cache.get(key);
    if (out === undefined) {
      const sites = siteMask(state, r.w.residency);
      const present = new Set<number>();
      for (let n = 0; n < state.nodeCount; n++)
        if (state.nodeType[n] >= 0 && (sites & (1 << state.nodeSite[n])) !== 0)
          present.add(state.nodeType[n]);
      const ids = r.w.deviceTypes;
      out = [...present]
        .filter((k) => ids.length === 0 || ids.includes(state.deviceTypes[k].id))
        .sort((a, b) => a - b);
      cache.set(key, out);
    }
    return out;
  };
}
