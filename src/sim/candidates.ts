/**
 * Which waiting jobs a cycle is handed. cycle() scans the fleet for every job it
 * tries, so handing it a long queue at every event is what would make a big run
 * slow. This picks a subset that leads to the decisions that handing over the whole
 * queue would.
 *
 * Why that is exact. Filters depend only on node state and are monotone: a node that
 * gets fuller never starts to fit. Jobs with the same fit shape (pending.ts) pass on
 * the same nodes, and cycle() tries jobs in queue order, so once one job of a shape
 * fails every later one fails. Hence after each cycle no waiting job fits anywhere,
 * and a group that waited through it ("blocked") can only fit on nodes freed since
 * (released or joined). A job that fails places nothing, and when the core scans the
 * whole fleet it draws no random number for it either (scorers and reserves run only
 * for feasible nodes), so leaving out jobs that would fail changes nothing; the cycle
 * re-sorts what it is given. (A partial scan draws one random start per job tried:
 * there the run stays deterministic but uses the random stream differently.)
 *
 * The walk. Groups are merged in queue order: unblocked ones, and blocked ones that
 * pass the filters on some freed node. Each blocked head job is tried on a scratch
 * copy of the freed nodes. If it fits on none, its group fails this cycle and is left
 * out. If it fits on exactly one whose state is known, with devices whose free shares
 * are all equal (any pick leaves the same shares), it surely starts there: it is
 * handed over and recorded on the scratch state. Otherwise where it goes depends on
 * the policy: its group hands over as many jobs as the freed nodes could hold
 * (fitCount, an upper bound; all of an unblocked group, which may go anywhere) and
 * the freed nodes it fits on become "uncertain". The scratch state only ever
 * overstates free space, so a job it rules out really fails.
 */
import { type ClusterState, MILLI } from "../core/model/cluster.ts";
import { allocate, type Placement, release } from "../core/model/ledger.ts";
import { type Request, typeAllowed } from "../core/model/request.ts";
import type { CycleContext, Policy } from "../core/plugins/types.ts";
import type { Rng } from "../core/rng.ts";
import { NodeSet } from "./node-set.ts";
import { type Group, OrderedHeap, type PendingQueue, type SimRequest } from "./pending.ts";

/** Filters may not draw randomness: a draw here would shift the cycle's stream. */
const noRng: Rng = {
  next: () => {
    throw new Error(
      "a filter drew from the rng; the simulator's candidate walk assumes filters are deterministic",
    );
  },
  int: () => noRng.next(),
};

/**
 * Picks cycle candidates for one cluster state and policy. Reuses its buffers across
 * calls, so a batch allocates little beyond the candidate list.
 */
export class CandidatePicker {
  private readonly state: ClusterState;
  private readonly policy: Policy;
  /** Freed nodes whose state the walk no longer knows exactly. */
  private readonly uncertain: NodeSet;
  private readonly ctx: CycleContext;

  constructor(state: ClusterState, policy: Policy) {
    this.state = state;
    this.policy = policy;
    this.uncertain = new NodeSet(state.nodeCount);
    this.ctx = { state, now: 0, rng: noRng };
  }

  /**
   * Lends the next cycle's candidates out of `queue` and returns them. `freed` lists
   * the nodes released or joined since the previous call; the state is left as found.
   * `exhaustive` hands over every waiting job (the reference behaviour, for tests).
   */
  pick(queue: PendingQueue, freed: NodeSet, exhaustive = false): SimRequest[] {
    const out: SimRequest[] = [];
    if (exhaustive) {
      for (const g of queue.groups()) while (g.jobs.size > 0) queue.lend(g, out);
      return out;
    }
    const { state, uncertain } = this;
    const heads = new OrderedHeap<Group>((a, b) => queue.compare(a.jobs.peek()!, b.jobs.peek()!));
    if (freed.count === 0) {
      // Nothing freed: blocked groups cannot start, so only new groups are looked at.
      for (const g of queue.freshGroups()) heads.push(g);
    } else {
      const most = this.summarise(freed);
      for (const g of queue.groups()) {
        if (!g.blocked || (mightFit(g.rep, most) && this.fitsAny(g.rep, freed))) heads.push(g);
      }
    }
    const scratch: { req: Request; placement: Placement }[] = [];
    try {
      for (let g = heads.pop(); g !== undefined; g = heads.pop()) {
        const req = g.jobs.peek()!;
        const placement = g.blocked ? this.forcedPlacement(req, freed) : "unknown";
        if (placement === "none") continue; // the whole group fails this cycle
        if (placement === "unknown") {
          this.lendUncertain(queue, g, freed, out);
          continue;
        }
        queue.lend(g, out);
        allocate(state, req, placement);
        scratch.push({ req, placement });
        if (g.jobs.size > 0) heads.push(g);
      }
    } finally {
      for (let i = scratch.length - 1; i >= 0; i--)
        release(state, scratch[i].req, scratch[i].placement);
      uncertain.clear();
    }
    return out;
  }

  /**
   * A group whose next job may go to more than one place: lend as many of its jobs
   * as the freed nodes could hold (all of an unblocked group, which may also go to
   * any other node), and mark the freed nodes it fits on as no longer known.
   */
  private lendUncertain(queue: PendingQueue, g: Group, freed: NodeSet, out: SimRequest[]): void {
    const size = g.jobs.size;
    let k = g.blocked ? 0 : size;
    for (let i = 0; i < freed.count; i++) {
      const n = freed.list[i];
      if (!this.passes(g.rep, n)) continue;
      this.uncertain.add(n);
      if (k < size) k += fitCount(this.state, g.rep, n, size - k);
    }
    for (let i = 0; i < k; i++) queue.lend(g, out);
  }

  /** The most any one freed node offers of each resource (a quick necessary test). */
  private summarise(freed: NodeSet): FreedSummary {
    const { state } = this;
    const most: FreedSummary = { cpu: 0, mem: 0, deviceFree: 0, idle: 0 };
    for (let i = 0; i < freed.count; i++) {
      const n = freed.list[i];
      if (state.schedulable[n] === 0) continue;
      most.cpu = Math.max(most.cpu, state.cpuFree[n]);
      most.mem = Math.max(most.mem, state.memFree[n]);
      let idle = 0;
      for (let d = state.devOffset[n]; d < state.devOffset[n + 1]; d++) {
        most.deviceFree = Math.max(most.deviceFree, state.devFree[d]);
        if (state.devFree[d] === MILLI) idle++;
      }
      most.idle = Math.max(most.idle, idle);
    }
    return most;
  }

  private passes(req: Request, node: number): boolean {
    for (const f of this.policy.filters) if (f.filter(this.ctx, req, node) !== 0) return false;
    return true;
  }

  private fitsAny(req: Request, freed: NodeSet): boolean {
    for (let i = 0; i < freed.count; i++) if (this.passes(req, freed.list[i])) return true;
    return false;
  }

  /**
   * Where a blocked job must go, when that does not depend on the policy: "none"
   * when no freed node passes the filters; a placement when exactly one does, its
   * state is known, and every device that could take the job has the same free
   * share (any pick leaves the same shares behind); else "unknown".
   */
  private forcedPlacement(req: Request, freed: NodeSet): Placement | "none" | "unknown" {
    let node = -1;
    for (let i = 0; i < freed.count; i++) {
      const n = freed.list[i];
      if (!this.passes(req, n)) continue;
      if (node >= 0 || this.uncertain.has(n)) return "unknown";
      node = n;
    }
    if (node < 0) return "none";
    const { state } = this;
    const { devices: want, deviceMilli } = req.job;
    const devices: number[] = [];
    if (want === 0) return { node, devices };
    let share = -1;
    for (let d = state.devOffset[node]; d < state.devOffset[node + 1]; d++) {
      const free = state.devFree[d];
      if (free < deviceMilli) continue;
      if (share >= 0 && free !== share) return "unknown";
      share = free;
      if (devices.length < want) devices.push(d);
    }
    return devices.length === want ? { node, devices } : "unknown";
  }
}

interface FreedSummary {
  cpu: number;
  mem: number;
  /** Largest free share of one device. */
  deviceFree: number;
  /** Most idle devices on one node. */
  idle: number;
}

/** False when no freed node can hold `req`, judged from the summary alone. */
function mightFit(req: Request, most: FreedSummary): boolean {
  const job = req.job;
  if (job.cpuMilli > most.cpu || job.memoryMiB > most.mem) return false;
  if (job.devices === 0) return true;
  if (job.deviceMilli > most.deviceFree) return false;
  return job.deviceMilli < MILLI || job.devices <= most.idle;
}

/**
 * An upper bound on how many jobs of `req`'s shape fit on `node` now, at most `cap`;
 * 0 whenever the fit filter would reject even one. Each job takes `devices` distinct
 * devices, so it uses `devices` of the node's ⌊free/share⌋ device slots.
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
    for (let d = state.devOffset[node]; d < end; d++)
      slots += Math.floor(state.devFree[d] / job.deviceMilli);
    n = Math.min(n, Math.floor(slots / job.devices));
  }
  return Math.max(0, n);
}
