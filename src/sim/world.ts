/**
 * simulate(): the digital twin's discrete-event loop around the pure core.
 *
 * Each step pops every event at the next time as one batch (completions, then
 * capacity changes, then arrivals, each in push order) and applies it through the
 * job lifecycle (./lifecycle.ts, which opens with the job state machine). Then ONE
 * cycle runs over the waiting jobs that might start (./candidates.ts explains why
 * that is all that matters), its starts are applied through the ledger, and the
 * cluster is sampled. A batch in which nothing was freed and no job arrived runs no
 * cycle at all.
 *
 * Determinism: everything random comes from createRng(seed), events are ordered by
 * (time, priority, seq), and no Map/Set order depends on anything but input order.
 * Same input and seed ⇒ byte-identical JSON.stringify(result).
 */
import { cycle } from "../core/cycle.ts";
import { buildClusterState, type ClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import type { Job } from "../core/model/job.ts";
import { setSchedulable } from "../core/model/ledger.ts";
import { typicalShapes } from "../core/plugins/fgd/typical.ts";
import type { QueueOrderName } from "../core/plugins/queue-sort.ts";
import type { Policy } from "../core/plugins/types.ts";
import { createPolicy, type PolicyName } from "../core/registry.ts";
import { createRng, type Rng, shuffle } from "../core/rng.ts";
import { StatusCode } from "../core/status.ts";
import { CandidatePicker } from "./candidates.ts";
import { type CapacityEvent, type CompiledCapacity, compileCapacity } from "./capacity.ts";
import { EventHeap, type HeapEvent } from "./engine.ts";
import { ClusterGauge } from "./gauge.ts";
import { Lifecycle } from "./lifecycle.ts";
import { buildMetrics } from "./metrics.ts";
import { NodeSet } from "./node-set.ts";
import { PendingQueue, type SimRequest } from "./pending.ts";
import type { SimResult } from "./result.ts";
import { Timeline } from "./timeline.ts";

export interface SimInput {
  readonly fleet: Fleet;
  /** Any order; jobs submitted at the same time arrive in this order. */
  readonly jobs: readonly Job[];
  readonly policy: PolicyName;
  readonly seed: number;
  readonly queue?: QueueOrderName;
  readonly capacityEvents?: readonly CapacityEvent[];
  /** Stop before the first event later than this (seconds). Default: run to the end. */
  readonly until?: number;
  /** Feasible nodes to find before scoring; see Policy.nodesToScore. Default: the core's. */
  readonly nodesToScore?: Policy["nodesToScore"];
  /** Equal scores: "random" (default) picks uniformly; "rank" follows a seeded node order. */
  readonly tieBreak?: "random" | "rank";
  /** Recorded in the result; default "inline". */
  readonly traceName?: string;
  /** Called now and then, and once at the end, with (completed + rejected, all jobs). */
  readonly onProgress?: (doneJobs: number, totalJobs: number) => void;
  /**
   * Hand every waiting job to a cycle at every batch: slow; the reference the default
   * path is tested against (see ./candidates.ts for when the two agree exactly).
   */
  readonly exhaustive?: boolean;
}

/** Batch order within one instant: work ends before nodes fail, before jobs arrive. */
const EventKind = { Completion: 0, Capacity: 1, Arrival: 2 } as const;
type EventKind = (typeof EventKind)[keyof typeof EventKind];

/**
 * Runs one simulation to the end (or `until`) and summarises it. Pure apart from
 * onProgress calls. Throws GJ_ERR_POLICY_UNKNOWN for an unknown policy and
 * GJ_ERR_ARGUMENT for capacity events that name unknown nodes or bad times.
 */
export function simulate(input: SimInput): SimResult {
  return new World(input).run();
}

class World {
  private readonly input: SimInput;
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
  private readonly life: Lifecycle;
  private cycles = 0;
  private events = 0;

  constructor(input: SimInput) {
    this.input = input;
    const state = buildClusterState(input.fleet);
    this.state = state;
    this.rng = createRng(input.seed);
    this.nodeRank = input.tieBreak === "rank" ? rankNodes(state.nodeCount, this.rng) : undefined;
    this.policy = createPolicy(input.policy, {
      deviceTypes: state.deviceTypes,
      workload: input.jobs,
      queue: input.queue,
      nodesToScore: input.nodesToScore,
    });
    // Under strict order a failing job blocks those behind it, so none may be left out.
    this.exhaustive = (input.exhaustive ?? false) || this.policy.blocking;
    this.capacity = compileCapacity(state, input.capacityEvents ?? []);
    for (const n of this.capacity.absent) setSchedulable(state, n, false);
    this.gauge = new ClusterGauge(state, typicalShapes(input.jobs, state.deviceTypes));
    this.pending = new PendingQueue((a, b) => this.policy.sort.compare(a, b));
    this.picker = new CandidatePicker(state, this.policy);
    this.freed = new NodeSet(state.nodeCount);
    this.life = new Lifecycle(input.jobs, {
      state,
      gauge: this.gauge,
      pending: this.pending,
      heap: this.heap,
      freed: this.freed,
      completion: EventKind.Completion,
      failing: this.capacity.failing,
    });
  }

  run(): SimResult {
    const { heap, input, life } = this;
    const total = input.jobs.length;
    const until = input.until ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.capacity.time.length; i++)
      heap.push(this.capacity.time[i], EventKind.Capacity, i);
    let firstSubmit = Number.POSITIVE_INFINITY;
    input.jobs.forEach((job, j) => {
      heap.push(job.submitTime, EventKind.Arrival, j);
      firstSubmit = Math.min(firstSubmit, job.submitTime);
    });
    let now = Number.isFinite(firstSubmit) ? firstSubmit : 0;
    const timeline = new Timeline(now);
    const progressStep = Math.max(1, Math.floor(total / 200));
    let reported = 0;
    let cut = false;
    const ev: HeapEvent = { time: 0, priority: 0, data: 0, tag: 0 };
    while (heap.size > 0 && life.finished < total) {
      const t = heap.peekTime();
      if (t > until) {
        cut = true;
        break;
      }
      now = t;
      while (heap.size > 0 && heap.peekTime() === t) this.apply(heap.pop(ev)!, t);
      this.schedule(t);
      this.gauge.refresh();
      timeline.sample(
        t,
        this.gauge.allocationPct(),
        this.gauge.fragmentationPct(),
        this.pending.size,
        life.running,
      );
      if (input.onProgress && life.finished - reported >= progressStep) {
        reported = life.finished;
        input.onProgress(life.finished, total);
      }
    }
    const endTime = cut ? until : now;
    life.closeRuns(endTime);
    timeline.close(endTime);
    input.onProgress?.(life.finished, total);
    return {
      fleet: input.fleet.name,
      trace: input.traceName ?? "inline",
      policy: input.policy,
      seed: input.seed,
      cycles: this.cycles,
      placements: life.placed,
      events: this.events,
      metrics: buildMetrics(life.outcomes(), timeline),
    };
  }

  private apply(ev: HeapEvent, t: number): void {
    const kind = ev.priority as EventKind;
    switch (kind) {
      case EventKind.Completion:
        // A run killed by a node failure leaves its completion behind: skip it.
        if (!this.life.isCurrentRun(ev.data, ev.tag)) return;
        this.life.finish(ev.data, t);
        break;
      case EventKind.Capacity:
        this.changeCapacity(ev.data, t);
        break;
      case EventKind.Arrival:
        this.life.arrive(ev.data);
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
    const { pending, freed, life } = this;
    const candidates = this.picker.pick(pending, freed, this.exhaustive);
    freed.clear();
    if (candidates.length > 0) {
      this.cycles++;
      const decisions = cycle({
        state: this.state,
        pending: candidates,
        policy: this.policy,
        now: t,
        rng: this.rng,
        nodeRank: this.nodeRank,
      });
      let left = 0;
      for (const d of decisions) {
        switch (d.kind) {
          case "start":
            // cycle() hands back the Request objects it was given: these are ours.
            life.start((d.request as SimRequest).index, d.placement, t);
            left++;
            break;
          case "wait":
            // Arrivals are checked already; this only guards against a core that disagrees.
            if (d.status.code === StatusCode.Unresolvable) {
              life.reject(candidates.find((c) => c.job === d.job)!.index);
              left++;
            }
            break;
          default: {
            const never: never = d;
            throw new Error(`unknown decision ${JSON.stringify(never)}`);
          }
        }
      }
      for (const c of candidates) if (life.isPending(c.index)) pending.putBack(c);
      pending.removed(left);
    }
    pending.settle();
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
      case "fail":
        setSchedulable(this.state, node, false);
        this.life.killAll(node, t);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown capacity change ${never}`);
      }
    }
  }
}

/** A seeded permutation, node → rank, for tieBreak "rank". */
function rankNodes(count: number, rng: Rng): Int32Array {
  const rank = new Int32Array(count);
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    rng,
  );
  for (let r = 0; r < count; r++) rank[order[r]] = r;
  return rank;
}
