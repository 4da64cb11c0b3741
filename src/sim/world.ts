/**
 * simulate(): the digital twin's discrete-event loop around the pure core.
 *
 * Job lifecycle; a job's state changes only through arrive(), start(), finish(),
 * kill() and reject():
 *
 *   future ─arrive─► pending ─start─► running ─finish─► done
 *                     │   ▲              │
 *              reject │   └────kill──────┘  (its node failed: requeued, keeps its
 *                     ▼                      submit time, counts a restart)
 *                  rejected  (can never fit this fleet)
 *
 * Each step pops every event at the next time as one batch (completions, then
 * capacity changes, then arrivals, each in push order), applies them, runs ONE cycle
 * over the jobs that might start (see pending.ts for why that equals all of them),
 * applies its starts through the ledger and samples the cluster.
 *
 * Determinism: everything random comes from createRng(seed), events are ordered by
 * (time, priority, seq), and no Map/Set order depends on anything but input order.
 * Same input and seed ⇒ byte-identical JSON.stringify(result).
 */
import { cycle } from "../core/cycle.ts";
import { buildClusterState, type ClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { type Job, jobDeviceMilli } from "../core/model/job.ts";
import { allocate, type Placement, release, setSchedulable } from "../core/model/ledger.ts";
import { compileRequest, type Request } from "../core/model/request.ts";
import { typicalShapes } from "../core/plugins/fgd/typical.ts";
import { fitsWhenEmpty } from "../core/plugins/fit/index.ts";
import type { QueueOrderName } from "../core/plugins/queue-sort.ts";
import type { Policy } from "../core/plugins/types.ts";
import { createPolicy, type PolicyName } from "../core/registry.ts";
import { createRng, type Rng, shuffle } from "../core/rng.ts";
import { StatusCode } from "../core/status.ts";
import { CandidatePicker } from "./candidates.ts";
import { type CapacityEvent, type CompiledCapacity, compileCapacity } from "./capacity.ts";
import { EventHeap, type HeapEvent } from "./engine.ts";
import { ClusterGauge } from "./gauge.ts";
import { buildMetrics, JobState } from "./metrics.ts";
import { NodeSet } from "./node-set.ts";
import { fitShapeKey, PendingQueue, type SimRequest } from "./pending.ts";
import type { SimResult } from "./result.ts";
import { Timeline } from "./timeline.ts";

export interface SimInput {
  readonly fleet: Fleet;
  /** Any order; ties in submit time keep this order. */
  readonly jobs: readonly Job[];
  readonly policy: PolicyName;
  readonly seed: number;
  readonly queue?: QueueOrderName;
  readonly capacityEvents?: readonly CapacityEvent[];
  /** Stop before the first event later than this (seconds). Default: run to the end. */
  readonly until?: number;
  /** Equal scores: "random" (default) picks uniformly; "rank" follows a seeded node order. */
  readonly tieBreak?: "random" | "rank";
  /** Recorded in the result; default "inline". */
  readonly traceName?: string;
  /** Called now and then, and once at the end, with (completed + rejected, all jobs). */
  readonly onProgress?: (doneJobs: number, totalJobs: number) => void;
  /**
   * Hand every waiting job to a cycle at every batch. Slow: it is the reference that
   * the default path must match decision for decision (tests use it).
   */
  readonly exhaustive?: boolean;
}

/** Batch order within one instant: work ends before nodes fail, before jobs arrive. */
const EventKind = { Completion: 0, Capacity: 1, Arrival: 2 } as const;
type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Runs one simulation to the end (or `until`). Pure apart from onProgress calls. */
export function simulate(input: SimInput): SimResult {
  return new World(input).run();
}

class World {
  private readonly input: SimInput;
  private readonly jobs: readonly Job[];
  private readonly state: ClusterState;
  private readonly rng: Rng;
  private readonly nodeRank: Int32Array | undefined;
  private readonly policy: Policy;
  /** Hand every waiting job to every cycle (see SimInput.exhaustive). */
  private readonly exhaustive: boolean;
  private readonly capacity: CompiledCapacity;
  private readonly gauge: ClusterGauge;
  private readonly pending: PendingQueue;
  private readonly picker: CandidatePicker;
  private readonly heap = new EventHeap(1024);
  private readonly freed: NodeSet;
  private readonly nodeSpeed: Float64Array;
  // Per job, indexed like input.jobs.
  private readonly jobState: Uint8Array;
  private readonly firstStart: Float64Array;
  private readonly end: Float64Array;
  private readonly runStart: Float64Array;
  private readonly deviceSeconds: Float64Array;
  private readonly attempt: Int32Array;
  private readonly requests: (SimRequest | undefined)[];
  private readonly placements: (Placement | undefined)[];
  /** Running jobs on nodes that may fail, in start order. */
  private readonly onFailingNode = new Map<number, Set<number>>();
  private readonly resolvable = new Map<string, boolean>();
  private running = 0;
  private finished = 0;
  private restarts = 0;
  private cycles = 0;
  private placed = 0;
  private events = 0;

  constructor(input: SimInput) {
    this.input = input;
    this.jobs = input.jobs;
    this.state = buildClusterState(input.fleet);
    const { state } = this;
    this.rng = createRng(input.seed);
    this.nodeRank = input.tieBreak === "rank" ? rankNodes(state.nodeCount, this.rng) : undefined;
    this.policy = createPolicy(input.policy, { deviceTypes: state.deviceTypes, workload: input.jobs, queue: input.queue });
    // Under strict order a failing job blocks those behind it, so no job may be left out.
    this.exhaustive = (input.exhaustive ?? false) || this.policy.blocking;
    this.capacity = compileCapacity(state, input.capacityEvents ?? []);
    for (const n of this.capacity.absent) setSchedulable(state, n, false);
    for (const n of this.capacity.failing) this.onFailingNode.set(n, new Set());
    this.gauge = new ClusterGauge(state, typicalShapes(input.jobs, state.deviceTypes));
    this.pending = new PendingQueue((a, b) => this.policy.sort.compare(a, b));
    this.freed = new NodeSet(state.nodeCount);
    this.picker = new CandidatePicker(state, this.policy);
    this.nodeSpeed = Float64Array.from(state.nodeType, (t) => (t >= 0 ? state.deviceTypes[t].speed : 1));
    const n = input.jobs.length;
    this.jobState = new Uint8Array(n);
    this.firstStart = new Float64Array(n).fill(Number.NaN);
    this.end = new Float64Array(n).fill(Number.NaN);
    this.runStart = new Float64Array(n);
    this.deviceSeconds = new Float64Array(n);
    this.attempt = new Int32Array(n);
    this.requests = new Array(n);
    this.placements = new Array(n);
  }

  run(): SimResult {
    const { heap, jobs, input } = this;
    const until = input.until ?? Number.POSITIVE_INFINITY;
    this.capacity.time.forEach((t, i) => heap.push(t, EventKind.Capacity, i));
    let firstSubmit = Number.POSITIVE_INFINITY;
    jobs.forEach((job, j) => {
      heap.push(job.submitTime, EventKind.Arrival, j);
      firstSubmit = Math.min(firstSubmit, job.submitTime);
    });
    const timeline = new Timeline(Number.isFinite(firstSubmit) ? firstSubmit : 0);
    const progressStep = Math.max(1, Math.floor(jobs.length / 200));
    let reported = 0;
    let now = Number.isFinite(firstSubmit) ? firstSubmit : 0;
    let cut = false;
    const ev: HeapEvent = { time: 0, priority: 0, data: 0, tag: 0 };
    while (heap.size > 0 && this.finished < jobs.length) {
      const t = heap.peekTime();
      if (t > until) {
        cut = true;
        break;
      }
      now = t;
      while (heap.size > 0 && heap.peekTime() === t) this.apply(heap.pop(ev)!, t);
      this.schedule(t);
      this.gauge.refresh();
      timeline.sample(t, this.gauge.allocationPct(), this.gauge.fragmentationPct(), this.pending.size, this.running);
      if (input.onProgress && this.finished - reported >= progressStep) {
        reported = this.finished;
        input.onProgress(this.finished, jobs.length);
      }
    }
    const endTime = cut ? until : now;
    // Work still running when the run ends has used its devices until then.
    for (let j = 0; j < jobs.length; j++) {
      if (this.jobState[j] === JobState.Running) this.deviceSeconds[j] += this.deviceShare(j) * (endTime - this.runStart[j]);
    }
    timeline.close(endTime);
    input.onProgress?.(this.finished, jobs.length);
    const metrics = buildMetrics(
      {
        jobs,
        state: this.jobState,
        firstStart: this.firstStart,
        end: this.end,
        deviceSeconds: this.deviceSeconds,
        restarts: this.restarts,
      },
      timeline,
    );
    return {
      fleet: input.fleet.name,
      trace: input.traceName ?? "inline",
      policy: input.policy,
      seed: input.seed,
      cycles: this.cycles,
      placements: this.placed,
      events: this.events,
      metrics,
    };
  }

  private apply(ev: HeapEvent, t: number): void {
    const kind = ev.priority as EventKind;
    switch (kind) {
      case EventKind.Completion:
        // A run killed by a node failure leaves its completion behind: skip it.
        if (this.jobState[ev.data] !== JobState.Running || this.attempt[ev.data] !== ev.tag) return;
        this.finish(ev.data, t);
        break;
      case EventKind.Capacity:
        this.changeCapacity(ev.data, t);
        break;
      case EventKind.Arrival:
        this.arrive(ev.data);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown event kind ${never}`);
      }
    }
    this.events++;
  }

  /** One cycle over the jobs that might start; applies its starts and rejections. */
  private schedule(t: number): void {
    const { pending, freed } = this;
    const candidates = this.picker.pick(pending, freed, this.exhaustive);
    freed.clear();
    if (candidates.length > 0) {
      this.cycles++;
      const decisions = cycle({ state: this.state, pending: candidates, policy: this.policy, now: t, rng: this.rng, nodeRank: this.nodeRank });
      let left = 0;
      for (const d of decisions) {
        switch (d.kind) {
          case "start":
            // cycle() hands back the Request objects it was given: these are ours.
            this.start((d.request as SimRequest).index, d.placement, t);
            left++;
            break;
          case "wait":
            if (d.status.code === StatusCode.Unresolvable) {
              this.reject(candidates.find((c) => c.job === d.job)!.index);
              left++;
            }
            break;
          default: {
            const never: never = d;
            throw new Error(`unknown decision ${JSON.stringify(never)}`);
          }
        }
      }
      for (const c of candidates) if (this.jobState[c.index] === JobState.Pending) pending.putBack(c);
      pending.removed(left);
    }
    pending.settle();
  }

  private arrive(j: number): void {
    const req: SimRequest = { ...compileRequest(this.state, this.jobs[j]), index: j };
    this.requests[j] = req;
    if (!this.couldEverFit(req)) {
      this.reject(j);
      return;
    }
    this.jobState[j] = JobState.Pending;
    this.pending.add(req);
  }

  /** Whether some node, empty, could host the shape: cycle()'s Unresolvable test, cached. */
  private couldEverFit(req: Request): boolean {
    const key = fitShapeKey(req);
    let ok = this.resolvable.get(key);
    if (ok === undefined) {
      ok = false;
      for (let n = 0; n < this.state.nodeCount && !ok; n++) ok = fitsWhenEmpty(this.state, req, n);
      this.resolvable.set(key, ok);
    }
    return ok;
  }

  private reject(j: number): void {
    this.jobState[j] = JobState.Rejected;
    this.finished++;
  }

  private start(j: number, placement: Placement, t: number): void {
    const req = this.requests[j]!;
    const job = this.jobs[j];
    allocate(this.state, req, placement);
    this.placements[j] = placement;
    this.gauge.touch(placement.node);
    this.gauge.allocate(jobDeviceMilli(job));
    this.jobState[j] = JobState.Running;
    this.running++;
    this.placed++;
    if (Number.isNaN(this.firstStart[j])) this.firstStart[j] = t;
    this.runStart[j] = t;
    const attempt = ++this.attempt[j];
    const speed = job.devices > 0 ? this.nodeSpeed[placement.node] : 1;
    const end = t + job.duration / speed;
    if (end !== Number.POSITIVE_INFINITY) this.heap.push(end, EventKind.Completion, j, attempt);
    this.onFailingNode.get(placement.node)?.add(j);
  }

  private finish(j: number, t: number): void {
    this.stopRun(j, t);
    this.jobState[j] = JobState.Done;
    this.end[j] = t;
    this.finished++;
  }

  /** Its node failed: the run is lost and the job waits again with its old submit time. */
  private kill(j: number, t: number): void {
    this.stopRun(j, t);
    this.jobState[j] = JobState.Pending;
    this.restarts++;
    this.pending.add(this.requests[j]!);
  }

  private stopRun(j: number, t: number): void {
    const placement = this.placements[j]!;
    release(this.state, this.requests[j]!, placement);
    this.placements[j] = undefined;
    this.freed.add(placement.node);
    this.gauge.touch(placement.node);
    this.gauge.allocate(-jobDeviceMilli(this.jobs[j]));
    this.running--;
    this.deviceSeconds[j] += this.deviceShare(j) * (t - this.runStart[j]);
    this.onFailingNode.get(placement.node)?.delete(j);
  }

  private changeCapacity(i: number, t: number): void {
    const node = this.capacity.node[i];
    const kind = this.capacity.kind[i];
    this.gauge.touch(node);
    switch (kind) {
      case "join":
        setSchedulable(this.state, node, true);
        this.freed.add(node);
        break;
      case "leave":
        setSchedulable(this.state, node, false);
        break;
      case "fail": {
        setSchedulable(this.state, node, false);
        for (const j of [...(this.onFailingNode.get(node) ?? [])]) this.kill(j, t);
        break;
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown capacity change ${never}`);
      }
    }
  }

  /** Whole devices the job holds (a 0.25 share counts 0.25). */
  private deviceShare(j: number): number {
    return jobDeviceMilli(this.jobs[j]) / 1000;
  }
}

/** A seeded permutation: node → rank, for tieBreak "rank". */
function rankNodes(count: number, rng: Rng): Int32Array {
  const rank = new Int32Array(count);
  shuffle(
    Array.from({ length: count }, (_, i) => i),
    rng,
  ).forEach((node, r) => {
    rank[node] = r;
  });
  return rank;
}
