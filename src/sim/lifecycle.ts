/**
 * Every job of a run, struct-of-arrays, and the only code that moves a job between
 * states. Each transition also keeps the cluster state, the gauge, the pending queue
 * and the completion events in step.
 *
 *   future ─arrive─► pending ─start─► running ─finish─► done
 *                     │   ▲              │
 *              reject │   └────kill──────┘  (its node failed: requeued, keeps its
 *                     ▼                      submit time, counts a restart)
 *                  rejected  (can never fit this fleet)
 */
import type { ClusterState } from "../core/model/cluster.ts";
import { type Job, jobDeviceMilli } from "../core/model/job.ts";
import { allocate, type Placement, release } from "../core/model/ledger.ts";
import { compileRequest, fitShapeKey, type Request } from "../core/model/request.ts";
import { fitsWhenEmpty } from "../core/plugins/fit/index.ts";
import type { EventHeap } from "./engine.ts";
import type { ClusterGauge } from "./gauge.ts";
import { type JobOutcomes, JobState } from "./metrics.ts";
import type { NodeSet } from "./node-set.ts";
import type { PendingQueue, SimRequest } from "./pending.ts";

/** What the transitions act on besides the jobs; owned by the world. */
export interface LifecycleDeps {
  readonly state: ClusterState;
  readonly gauge: ClusterGauge;
  readonly pending: PendingQueue;
  readonly heap: EventHeap;
  /** Nodes released since the last cycle. */
  readonly freed: NodeSet;
  /** Event priority of completions. */
  readonly completion: number;
  /** Nodes that may fail: their running jobs are tracked so a failure can kill them. */
  readonly failing: Iterable<number>;
}

export class Lifecycle {
  private readonly jobs: readonly Job[];
  private readonly deps: LifecycleDeps;
  private readonly nodeSpeed: Float64Array;
  private readonly state: Uint8Array;
  private readonly firstStart: Float64Array;
  private readonly end: Float64Array;
  private readonly runStart: Float64Array;
  private readonly deviceSeconds: Float64Array;
  /** Runs started per job: tags completion events so a killed run's one is ignored. */
  private readonly attempt: Int32Array;
  private readonly requests: (SimRequest | undefined)[];
  private readonly placements: (Placement | undefined)[];
  /** Running jobs on nodes that may fail, in start order. */
  private readonly onFailingNode = new Map<number, Set<number>>();
  private readonly resolvable = new Map<string, boolean>();
  /** Jobs running now. */
  running = 0;
  /** Jobs done or rejected. */
  finished = 0;
  /** Runs started (restarts included). */
  placed = 0;
  restarts = 0;

  constructor(jobs: readonly Job[], deps: LifecycleDeps) {
    this.jobs = jobs;
    this.deps = deps;
    const { state } = deps;
    this.nodeSpeed = Float64Array.from(state.nodeType, (t) =>
      t >= 0 ? state.deviceTypes[t].speed : 1,
    );
    const n = jobs.length;
    this.state = new Uint8Array(n);
    this.firstStart = new Float64Array(n).fill(Number.NaN);
    this.end = new Float64Array(n).fill(Number.NaN);
    this.runStart = new Float64Array(n);
    this.deviceSeconds = new Float64Array(n);
    this.attempt = new Int32Array(n);
    this.requests = new Array(n);
    this.placements = new Array(n);
    for (const node of deps.failing) this.onFailingNode.set(node, new Set());
  }

  /** True when job `j` is waiting (not lent out as started or rejected). */
  isPending(j: number): boolean {
    return this.state[j] === JobState.Pending;
  }

  /** True when a completion event (job `j`, tag `attempt`) ends the job's current run. */
  isCurrentRun(j: number, attempt: number): boolean {
    return this.state[j] === JobState.Running && this.attempt[j] === attempt;
  }

  /** The job is submitted: it waits, or is rejected at once if no node could ever hold it. */
  arrive(j: number): void {
    const req: SimRequest = { ...compileRequest(this.deps.state, this.jobs[j]), index: j };
    this.requests[j] = req;
    if (!this.couldEverFit(req)) {
      this.reject(j);
      return;
    }
    this.state[j] = JobState.Pending;
    this.deps.pending.add(req);
  }

  /** Gives up on a job that can never fit. */
  reject(j: number): void {
    this.state[j] = JobState.Rejected;
    this.finished++;
  }

  /** Applies a cycle's start decision at time `t` and schedules the completion. */
  start(j: number, placement: Placement, t: number): void {
    const { state, gauge, heap } = this.deps;
    const job = this.jobs[j];
    allocate(state, this.requests[j]!, placement);
    this.placements[j] = placement;
    gauge.touch(placement.node);
    gauge.allocate(jobDeviceMilli(job));
    this.state[j] = JobState.Running;
    this.running++;
    this.placed++;
    if (Number.isNaN(this.firstStart[j])) this.firstStart[j] = t;
    this.runStart[j] = t;
    const attempt = ++this.attempt[j];
    // Devices set the pace; CPU-only work runs at speed 1 wherever it lands.
    const speed = job.devices > 0 ? this.nodeSpeed[placement.node] : 1;
    const end = t + job.duration / speed;
    if (end !== Number.POSITIVE_INFINITY) heap.push(end, this.deps.completion, j, attempt);
    this.onFailingNode.get(placement.node)?.add(j);
  }

  /** The current run completed at `t`. */
  finish(j: number, t: number): void {
    this.stopRun(j, t);
    this.state[j] = JobState.Done;
    this.end[j] = t;
    this.finished++;
  }

  /** Kills every run on `node` (it failed at `t`); the jobs wait again. */
  killAll(node: number, t: number): void {
    for (const j of [...(this.onFailingNode.get(node) ?? [])]) {
      this.stopRun(j, t);
      this.state[j] = JobState.Pending;
      this.restarts++;
      this.deps.pending.add(this.requests[j]!);
    }
  }

  /** Charges runs still going at the end of the run for their device time so far. */
  closeRuns(t: number): void {
    for (let j = 0; j < this.jobs.length; j++) {
      if (this.state[j] === JobState.Running)
        this.deviceSeconds[j] += this.deviceShare(j) * (t - this.runStart[j]);
    }
  }

  /** The per-job record metrics are computed from. */
  outcomes(): JobOutcomes {
    return {
      jobs: this.jobs,
      state: this.state,
      firstStart: this.firstStart,
      end: this.end,
      deviceSeconds: this.deviceSeconds,
      restarts: this.restarts,
    };
  }

  private stopRun(j: number, t: number): void {
    const { state, gauge, freed } = this.deps;
    const placement = this.placements[j]!;
    release(state, this.requests[j]!, placement);
    this.placements[j] = undefined;
    freed.add(placement.node);
    gauge.touch(placement.node);
    gauge.allocate(-jobDeviceMilli(this.jobs[j]));
    this.running--;
    this.deviceSeconds[j] += this.deviceShare(j) * (t - this.runStart[j]);
    this.onFailingNode.get(placement.node)?.delete(j);
  }

  /** Whether some node, empty, could host the shape: cycle()'s Unresolvable test, cached. */
  private couldEverFit(req: Request): boolean {
    const key = fitShapeKey(req);
    let ok = this.resolvable.get(key);
    if (ok === undefined) {
      const { state } = this.deps;
      ok = false;
      for (let n = 0; n < state.nodeCount && !ok; n++) ok = fitsWhenEmpty(state, req, n);
      this.resolvable.set(key, ok);
    }
    return ok;
  }

  /** Whole devices the job holds (a 0.25 share counts 0.25). */
  private deviceShare(j: number): number {
    return jobDeviceMilli(this.jobs[j]) / 1000;
  }
}
