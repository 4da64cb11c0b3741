/**
 * Collects what a multi-tenant run reports: the timeline of allocation and tenant
 * shares (integrated at every event batch, stored thinned), preemption and reclaim
 * counts, gang topology, and the per-tenant summary at the end.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { TypicalShape } from "../../core/plugins/fgd/typical.ts";
import type { PreemptReason } from "../../core/schedule/types.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import { ClusterGauge } from "../gauge.ts";
import { cdf, distribution, jainIndex, round6 } from "../metrics.ts";
import type { RunQueues } from "./queues.ts";
import type { FragmentationPoint, SharePoint, TenantOutcome, WorkloadSimResult } from "./result.ts";
import { type Run, RunState } from "./runs.ts";

/** What the recorder reads of the queues when it samples. */
type SampledQueues = Pick<RunQueues, "pendingCount" | "running" | "waitingFits">;

/** Timeline points kept at most (thinned by time spacing). */
const MAX_POINTS = 400;

export class Recorder {
  private readonly state: ClusterState;
  private readonly tree: QueueTree;
  /** Top-level queues: the tenants. */
  private readonly tenants: readonly number[];
  private readonly spacing: number;
  private readonly points: SharePoint[] = [];
  /** FGD fragmentation, kept per node and refreshed for the touched nodes at each point. */
  private readonly gauge: ClusterGauge;
  private readonly fragPoints: FragmentationPoint[] = [];
  private readonly shareTime: Float64Array;
  private readonly guaranteeTime: Float64Array;
  /** Per tenant: time its demand up to its guarantee was met, and whether it is now. */
  private readonly metTime: Float64Array;
  private lastMet: boolean[] = [];
  /** Per tenant: whether it has any guarantee, and its leaf queues. */
  private readonly guaranteed: readonly boolean[];
  private readonly leaves: readonly (readonly number[])[];
  private allocationTime = 0;
  private lastT = Number.NaN;
  private lastShares: number[] = [];
  private lastGuarantees: number[] = [];
  private lastAllocation = 0;
  private firstT = 0;
  private readonly preemptions = { reclaim: 0, priority: 0, maintenance: 0, reservation: 0 };
  private readonly preemptedByTenant: Int32Array;
  private restarts = 0;
  private reclaims = 0;
  private maxReclaimLatency = 0;
  private readonly gangLevels = [0, 0, 0, 0];

  /**
   * `typical`: the workloads' typical member shapes, which fragmentation is measured
   * against (as in the trace simulator). Construct it once absent nodes are marked.
   */
  constructor(
    state: ClusterState,
    tree: QueueTree,
    horizon: number | undefined,
    typical: readonly TypicalShape[],
  ) {
    this.state = state;
    this.gauge = new ClusterGauge(state, typical);
    this.tree = tree;
    this.tenants = tree.children[0];
    this.spacing = horizon !== undefined && Number.isFinite(horizon) ? horizon / MAX_POINTS : 0;
    this.shareTime = new Float64Array(this.tenants.length);
    this.guaranteeTime = new Float64Array(this.tenants.length);
    this.metTime = new Float64Array(this.tenants.length);
    const T = tree.typeIds.length;
    this.guaranteed = this.tenants.map((q) => {
      let g = 0;
      for (let k = 0; k < T; k++) g += Math.min(tree.guaranteed[q * T + k], 1e15);
      return !tree.open && g > 0;
    });
    this.leaves = this.tenants.map(() => []);
    for (let q = 1; q < tree.paths.length; q++)
      if (tree.children[q].length === 0) {
        const i = this.tenants.indexOf(this.tenantOf(q));
        if (i >= 0) (this.leaves[i] as number[]).push(q);
      }
    this.preemptedByTenant = new Int32Array(tree.paths.length);
  }

  preempted(r: Run, why: PreemptReason | "maintenance" | "reservation"): void {
    this.preemptions[why]++;
    this.preemptedByTenant[this.tenantOf(r.queue)]++;
  }

  /** Notes that a node's free devices or schedulability changed. */
  touch(node: number): void {
    this.gauge.touch(node);
  }

  restarted(): void {
    this.restarts++;
  }

  reclaimed(latency: number): void {
    this.reclaims++;
    this.maxReclaimLatency = Math.max(this.maxReclaimLatency, latency);
  }

  gangStart(crossed: number): void {
    this.gangLevels[crossed]++;
  }

  /**
   * Records the state after an event batch at `t`. `queues` gives the pending and
   * running counts, and tells whether work that fits a queue's unused guarantee is
   * waiting (the guarantee-met measure); absent at the end, when nothing is sampled.
   */
  sample(t: number, queues?: SampledQueues): void {
    const present = this.presentDevices();
    const T = this.tree.typeIds.length;
    if (!Number.isNaN(this.lastT)) {
      const dt = t - this.lastT;
      this.allocationTime += dt * this.lastAllocation;
      this.lastShares.forEach((s, i) => {
        this.shareTime[i] += dt * s;
        this.guaranteeTime[i] += dt * this.lastGuarantees[i];
        if (this.lastMet[i]) this.metTime[i] += dt;
      });
    } else {
      this.firstT = t;
    }
    const shares = this.tenants.map((q) => {
      let used = 0;
      for (let k = 0; k < T; k++) used += this.tree.usage[q * T + k];
      return present > 0 ? used / 1000 / present : 0;
    });
    const guarantees = this.tenants.map((q) => {
      let g = 0;
      for (let k = 0; k < T; k++) g += Math.min(this.tree.guaranteed[q * T + k], 1e15);
      return present > 0 && !this.tree.open ? Math.min(1, g / 1000 / present) : 0;
    });
    let allocated = 0;
    for (let k = 0; k < T; k++) allocated += this.tree.usage[k];
    const allocation = present > 0 ? (100 * allocated) / 1000 / present : 0;
    const last = this.points[this.points.length - 1];
    if (!last || t - last.t >= this.spacing) {
      const c = {
        pending: queues?.pendingCount ?? 0,
        running: queues?.running.size ?? 0,
      };
      this.points.push({ t, allocation: round6(allocation), ...c, shares: shares.map(round6) });
      this.gauge.refresh();
      const frag = present > 0 ? (100 * this.gauge.fragmentedDevices()) / present : 0;
      this.fragPoints.push({ t, fragmentation: round6(frag) });
    }
    this.lastMet = this.tenants.map((q, i) => {
      if (!this.guaranteed[i]) return true;
      // Missed while some waiting workload would fit in the unused guarantee of a
      // type it can run on.
      for (let k = 0; k < T; k++) {
        const room = (this.tree.guaranteed[q * T + k] - this.tree.usage[q * T + k]) / 1000;
        if (!(room > 0) || queues === undefined) continue;
        for (const leaf of this.leaves[i]) if (queues.waitingFits(leaf, k, room)) return false;
      }
      return true;
    });
    this.lastT = t;
    this.lastShares = shares;
    this.lastGuarantees = guarantees;
    this.lastAllocation = allocation;
  }

  result(o: {
    scenario: string;
    policy: string;
    seed: number;
    horizon: number;
    cycles: number;
    runs: readonly Run[];
    end: number;
  }): WorkloadSimResult {
    this.sample(o.end);
    const span = Math.max(1e-9, o.end - this.firstT);
    const runs = o.runs;
    const count = (s: RunState) => runs.filter((r) => r.state === s).length;
    // Grouped in one pass: filtering every run per tenant was quadratic (50 tenants).
    const ofTenant = new Map<number, Run[]>(this.tenants.map((q) => [q, []]));
    for (const r of runs) ofTenant.get(this.tenantOf(r.queue))?.push(r);
    const byTenant = this.tenants.map((q, i): TenantOutcome => {
      const mine = ofTenant.get(q)!;
      const done = mine.filter((r) => r.state === RunState.Done);
      const meanShare = this.shareTime[i] / span;
      const guaranteedShare = this.guaranteeTime[i] / span;
      return {
        tenant: this.tree.paths[q],
        workloads: mine.length,
        completed: done.length,
        wait: distribution(started(mine).map((r) => r.firstStart - r.w.submitTime)),
        jct: distribution(done.map((r) => r.end - r.w.submitTime)),
        deviceHours: round6(mine.reduce((s, r) => s + r.deviceSeconds, 0) / 3600),
        meanShare: round6(meanShare),
        guaranteedShare: round6(guaranteedShare),
        preempted: this.preemptedByTenant[q],
        workHours: round6(mine.reduce((s, r) => s + r.work, 0) / 3600),
        guaranteeMet: round6(this.guaranteed[i] ? this.metTime[i] / span : 1),
      };
    });
    const jcts = runs.filter((r) => r.state === RunState.Done).map((r) => r.end - r.w.submitTime);
    const active = byTenant.filter((t) => t.workloads > 0);
    const jain = jainIndex(
      active.map((t) => (t.guaranteedShare > 0 ? t.meanShare / t.guaranteedShare : t.meanShare)),
    );
    return {
      scenario: o.scenario,
      policy: o.policy,
      seed: o.seed,
      horizon: o.horizon,
      cycles: o.cycles,
      workloads: {
        submitted: runs.length,
        completed: count(RunState.Done),
        running: count(RunState.Running),
        pending: count(RunState.Pending),
        rejected: count(RunState.Rejected),
        timedOut: count(RunState.TimedOut),
      },
      jct: distribution(jcts),
      wait: distribution(started(runs).map((r) => r.firstStart - r.w.submitTime)),
      meanAllocation: round6(this.allocationTime / span),
      preemptions: { ...this.preemptions },
      restarts: this.restarts,
      reclaim: { count: this.reclaims, maxLatency: round6(this.maxReclaimLatency) },
      gangLevels: [...this.gangLevels],
      jainIndex: round6(jain),
      tenants: byTenant,
      timeline: this.points,
      fragmentation: this.fragPoints,
      jctCdf: cdf(Float64Array.from(jcts).sort()),
    };
  }

  /** The top-level ancestor of queue `q`. */
  private tenantOf(q: number): number {
    let a = q;
    while (this.tree.parent[a] > 0) a = this.tree.parent[a];
    return a;
  }

  /** Devices on schedulable nodes. */
  private presentDevices(): number {
    const s = this.state;
    let n = 0;
    for (let i = 0; i < s.nodeCount; i++)
      if (s.schedulable[i]) n += s.devOffset[i + 1] - s.devOffset[i];
    return n;
  }
}

function started(runs: readonly Run[]): Run[] {
  return runs.filter((r) => !Number.isNaN(r.firstStart));
}
