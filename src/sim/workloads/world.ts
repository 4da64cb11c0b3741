/**
 * simulateWorkloads(): the digital twin for a multi-tenant fleet. The same pure
 * schedule() the service runs, driven by a virtual clock over workloads, quotas,
 * tranches, maintenance, failures and reservations.
 *
 * Each step pops every event at the next time (in kind order: completions, timeouts,
 * grace ends, node changes, reservation edges, LAS demotions, arrivals), applies them
 * through ./runs.ts, then runs schedule() and applies its decisions (starts, then
 * preemptions), again while cycleAgain() says more may start (CYCLES_PER_INSTANT at most).
 *
 * Determinism: randomness comes from createRng(seed) only; events tie-break by push
 * order; same input and seed ⇒ byte-identical JSON.stringify(result).
 */

import { buildClusterState, type ClusterState } from "../../core/model/cluster.ts";
import { setSchedulable } from "../../core/model/ledger.ts";
import { typicalShapes } from "../../core/plugins/fgd/typical.ts";
import { ownsHold } from "../../core/plugins/hold/index.ts";
import { createRng, type Rng } from "../../core/rng.ts";
import { schedule } from "../../core/schedule/index.ts";
import { withinQueue } from "../../core/schedule/order.ts";
import { createSchedulerPolicy } from "../../core/schedule/policies.ts";
import type { SchedulerPolicy, WorkloadDecision } from "../../core/schedule/types.ts";
import { type Status, StatusCode } from "../../core/status.ts";
import type { DecayedUsage } from "../../core/tenancy/fairshare.ts";
import { compileTenancy, type QueueTree } from "../../core/tenancy/tree.ts";
import { memberJob } from "../../core/workload/index.ts";
import { EventHeap, type HeapEvent } from "../engine.ts";
import { applyNodeEvent, type CompiledDisruptions, compileDisruptions } from "./disruptions.ts";
import { CYCLES_PER_INSTANT, cycleAgain, Ev, pushDisruptions, stepEnd } from "./events.ts";
import { HoldBook } from "./holds.ts";
import { placeAt, placeInitial } from "./initial.ts";
import type { InitialRun, WorkloadSimInput } from "./input.ts";
import { RunQueues, usableTypes } from "./queues.ts";
import { Recorder } from "./recorder.ts";
import type { WorkloadSimResult } from "./result.ts";
import {
  advance,
  chargeFairShare,
  createRuns,
  finish,
  grow,
  type Run,
  type RunDeps,
  RunState,
  requeue,
  ShortRuns,
  start,
  startingUsage,
  stopMembers,
} from "./runs.ts";

export type { AuditView, WorkloadSimInput } from "./input.ts";

/**
 * Runs one multi-tenant simulation. Throws GJ_ERR_POLICY_UNKNOWN, GJ_ERR_TENANT_UNKNOWN
 * (a workload names a queue the tenancy lacks), GJ_ERR_TENANCY_INVALID, GJ_ERR_ARGUMENT.
 */
export function simulateWorkloads(input: WorkloadSimInput): WorkloadSimResult {
  return new WorkloadWorld(input).run();
}

class WorkloadWorld {
  private readonly input: WorkloadSimInput;
  private readonly state: ClusterState;
  private readonly tree: QueueTree;
  private readonly policy: SchedulerPolicy;
  private readonly rng: Rng;
  private readonly deps: RunDeps;
  private readonly runs: Run[];
  private readonly queues: RunQueues;
  private readonly heap = new EventHeap(1024);
  private readonly disruptions: CompiledDisruptions;
  private readonly usage: DecayedUsage;
  private readonly grace: number;
  private readonly recorder: Recorder;
  private readonly holds: HoldBook;
  /** Victim run → what its grace-end does. */
  private readonly exits = new Map<number, { members: number; beneficiary: number }>();
  /** Pending runs the last cycle told to wait for preempted work to exit. */
  private readonly waitingOnExits = new Set<number>();
  /** Beneficiary run → when its reclaim was decided. */
  private readonly reclaimAt = new Map<number, number>();
  private readonly short = new ShortRuns();
  private dirty = false;
  private cycles = 0;
  /** Workloads done, timed out or rejected. */
  private finished = 0;

  constructor(input: WorkloadSimInput) {
    this.input = input;
    const state = buildClusterState(input.fleet);
    this.state = state;
    const all = [...(input.initialRunning ?? []).map((x) => x.workload), ...input.workloads];
    const queues = all.map((w) => w.queue);
    this.tree = compileTenancy(input.tenancy, state.deviceTypes, queues);
    this.rng = createRng(input.seed);
    const memberJobs = all.map((w) => memberJob(w, 0));
    this.policy =
      input.schedulerPolicy ??
      createSchedulerPolicy(input.policy, {
        deviceTypes: state.deviceTypes,
        memberJobs,
        lasThresholds: input.lasThresholds,
        maxAttempts: input.maxAttempts,
        nodesToScore: input.nodesToScore,
      });
    this.grace = input.tenancy.reclaimGrace ?? 0;
    this.usage = startingUsage(this.tree, input.tenancy.halfLife ?? 7 * 86400, input.initialUsage);
    this.deps = {
      state,
      tree: this.tree,
      onNode: state.nodeIds.map(() => new Set<Run>()),
      touch: (n) => this.recorder.touch(n),
    };
    this.runs = createRuns(all, this.tree);
    this.queues = new RunQueues(
      this.tree.paths.length,
      withinQueue(this.policy.order, this.policy.lasThresholds),
      state.deviceTypes.length,
      usableTypes(state),
    );
    const horizon = input.horizon ?? Number.POSITIVE_INFINITY;
    this.disruptions = compileDisruptions(state, input, horizon, this.rng);
    for (const n of this.disruptions.absent) setSchedulable(state, n, false);
    this.holds = new HoldBook(state, this.disruptions);
    this.recorder = new Recorder(
      state,
      this.tree,
      input.horizon,
      typicalShapes(memberJobs, state.deviceTypes),
    );
  }

  run(): WorkloadSimResult {
    const { heap, input } = this;
    const horizon = input.horizon ?? Number.POSITIVE_INFINITY;
    pushDisruptions(heap, this.disruptions);
    const initial = input.initialRunning ?? [];
    this.runs.forEach((r, i) => {
      if (i >= initial.length || !this.startInitial(r, initial[i]))
        heap.push(Math.max(0, r.w.submitTime), Ev.Arrival, i);
    });
    const ev: HeapEvent = { time: 0, priority: 0, data: 0, tag: 0 };
    let now = 0;
    let cut = false;
    while (heap.size > 0) {
      const next = heap.peekTime();
      if (next > horizon) {
        cut = true;
        break;
      }
      // A step's events apply at their own times; the cycle runs once, at the last.
      const edge = Math.min(horizon, stepEnd(next, input.quantum, input.relativeQuantum));
      let t = next;
      while (heap.size > 0 && heap.peekTime() <= edge) {
        t = heap.peekTime();
        this.apply(heap.pop(ev)!, t);
      }
      now = t;
      for (let c = 0; c < CYCLES_PER_INSTANT && this.dirty; c++) this.cycle(t);
      this.recorder.sample(t, this.queues);
      // Only capacity events left: nothing more to learn.
      if (this.finished === this.runs.length || input.stopWhen?.(t)) break;
    }
    const end = cut ? horizon : now;
    for (const r of this.queues.running) advance(this.deps, r, end);
    return this.recorder.result({
      scenario: input.name ?? "inline",
      policy: this.policy.name,
      seed: input.seed,
      horizon: Number.isFinite(horizon) ? horizon : end,
      cycles: this.cycles,
      runs: this.runs,
      end,
    });
  }

  /** Starts work running at 0 where it fits; false when it must queue instead. */
  private startInitial(r: Run, { at, elapsed }: InitialRun): boolean {
    const got =
      (at !== undefined && placeAt(this.state, r.w, at)) ||
      placeInitial(this.state, this.policy, this.rng, r.w);
    if (!got) return false;
    start(this.deps, r, got.type, got.request, got.placements, 0);
    r.attained = elapsed * r.devices();
    this.queues.running.add(r);
    this.scheduleEnd(r, 0);
    if (r.w.maxRuntime !== undefined) this.heap.push(r.w.maxRuntime, Ev.Timeout, r.index, 1);
    return true;
  }

  private apply(ev: HeapEvent, t: number): void {
    const r = this.runs[ev.data];
    switch (ev.priority) {
      case Ev.Completion:
        if (r.state === RunState.Running && r.attempt === ev.tag) this.end(r, t, RunState.Done);
        break;
      case Ev.Timeout:
        if (r.state === RunState.Running && r.startCount() === ev.tag)
          this.end(r, t, RunState.TimedOut);
        break;
      case Ev.GraceEnd:
        this.exit(r, t);
        break;
      case Ev.Node:
        this.nodeEvent(ev.data, t);
        break;
      case Ev.HoldEdge:
        this.holdEdge(ev.data, ev.tag === 0, t);
        break;
      case Ev.Demotion:
        if (r.state === RunState.Running && r.attempt === ev.tag) this.dirty = true;
        break;
      case Ev.Arrival:
        r.state = RunState.Pending;
        r.updated = t;
        this.queues.enqueue(r);
        this.dirty = true;
        break;
      default:
        throw new Error(`unknown event kind ${ev.priority}`);
    }
  }

  /** The run is over: its work is done, or its QoS run time ran out. */
  private end(r: Run, t: number, how: RunState): void {
    finish(this.deps, r, t, how);
    this.queues.running.delete(r);
    this.finished++;
    this.dirty = true;
  }

  private cycle(t: number): void {
    this.dirty = false;
    this.cycles++;
    const running = [...this.queues.running];
    const short = this.short.at(this.deps, running, t);
    if (this.policy.order === "fairshare")
      chargeFairShare(this.usage, this.state, running, this.input.tenancy.chargeWeights ?? {}, t);
    // Room promised before this cycle: to beneficiaries of exits under way, then waiters.
    const promised = [
      ...new Set([...[...this.exits.values()].map((x) => x.beneficiary), ...this.waitingOnExits]),
    ]
      .map((i) => this.runs[i])
      .filter((r) => r.state === RunState.Pending);
    const decisions = schedule({
      state: this.state,
      tree: this.tree,
      pending: this.queues.pending,
      running,
      short,
      promised,
      policy: this.policy,
      now: t,
      rng: this.rng,
      holds: this.holds.forCore(this.input.liveHolds === true),
      usage: this.usage,
      briefReasons: t > (this.input.briefReasonsAfter ?? Number.POSITIVE_INFINITY),
    });
    for (const d of decisions) {
      if (d.kind === "start") this.startRun(d.entry as Run, d, t);
      else if (d.kind === "wait") this.waiting(d.entry as Run, d.status);
    }
    for (const d of decisions) if (d.kind === "preempt") this.preempt(d, t);
    for (const d of decisions) {
      if (d.kind !== "grow") continue;
      grow(this.deps, d.running as Run, d.placements, t);
      this.scheduleEnd(d.running as Run, t);
    }
    this.short.changed(decisions);
    if (cycleAgain(this.policy, this.tree, this.state, decisions)) this.dirty = true;
    const { queues } = this;
    this.input.audit?.({
      t,
      state: this.state,
      tree: this.tree,
      decisions,
      // Copied only when read: a forecast's audit never reads it.
      get running() {
        return [...queues.running];
      },
      grace: this.grace,
    });
  }

  private waiting(r: Run, status: Status): void {
    r.reason = status.reason;
    if (status.plugin === "Preemption") this.waitingOnExits.add(r.index);
    else this.waitingOnExits.delete(r.index);
    if (status.code !== StatusCode.Unresolvable) return;
    this.queues.dequeue(r);
    r.state = RunState.Rejected;
    this.finished++;
  }

  private startRun(r: Run, d: Extract<WorkloadDecision, { kind: "start" }>, t: number): void {
    this.queues.dequeue(r);
    this.waitingOnExits.delete(r.index);
    start(this.deps, r, d.type, d.request, d.placements, t);
    this.queues.running.add(r);
    r.reason = "";
    if (r.crossed < 0 && d.placements.length > 1) this.recorder.gangStart(d.crossed);
    if (r.crossed < 0) r.crossed = d.crossed;
    this.scheduleEnd(r, t);
    if (r.w.maxRuntime !== undefined)
      this.heap.push(t + r.w.maxRuntime, Ev.Timeout, r.index, r.startCount());
    const since = this.reclaimAt.get(r.index);
    if (since !== undefined) {
      this.recorder.reclaimed(t - since);
      this.reclaimAt.delete(r.index);
    }
    if (this.holds.drop(r.index)) this.holds.refresh(t);
  }

  /** Pushes the run's completion (and, under LAS, its next demotion) for its current rate. */
  private scheduleEnd(r: Run, t: number): void {
    r.attempt++;
    const left = r.timeLeft(this.state);
    if (Number.isFinite(left)) this.heap.push(t + left, Ev.Completion, r.index, r.attempt);
    if (this.policy.order !== "las") return;
    const next = this.policy.lasThresholds.find((x) => x > r.attained);
    const devices = r.devices();
    if (next !== undefined && devices > 0)
      this.heap.push(t + (next - r.attained) / devices, Ev.Demotion, r.index, r.attempt);
  }

  private preempt(d: Extract<WorkloadDecision, { kind: "preempt" }>, t: number): void {
    const victim = d.victim as Run;
    const beneficiary = d.beneficiary as Run;
    this.recorder.preempted(victim, d.reason);
    if (d.reason === "reclaim" && !this.reclaimAt.has(beneficiary.index))
      this.reclaimAt.set(beneficiary.index, t);
    this.exits.set(victim.index, { members: d.members, beneficiary: beneficiary.index });
    if (this.grace > 0) {
      victim.terminating = true;
      this.heap.push(t + this.grace, Ev.GraceEnd, victim.index);
    } else this.exit(victim, t);
  }

  /** A preempted run's grace period is over: it stops (or a service sheds replicas). */
  private exit(r: Run, t: number): void {
    const plan = this.exits.get(r.index);
    this.exits.delete(r.index);
    if (!plan || r.state !== RunState.Running) return;
    const nodes = r.placements.slice(r.placements.length - plan.members).map((p) => p.node);
    if (plan.members >= r.placements.length) {
      this.requeue(r, t, false);
    } else {
      stopMembers(this.deps, r, t, plan.members);
      r.terminating = false;
      this.scheduleEnd(r, t);
    }
    // The room is held for the workload it was freed for and for those the cycle told to
    // wait for exits (the cycle counted them in, after the beneficiary), so that nobody
    // else, such as the victims themselves, takes it first.
    const owners = [...new Set([plan.beneficiary, ...this.waitingOnExits])]
      .map((o) => this.runs[o])
      .filter((o) => o.state === RunState.Pending);
    this.holds.holdFor(owners, nodes, t);
    this.dirty = true;
  }

  private nodeEvent(i: number, t: number): void {
    const n = this.disruptions.events[i].node;
    const effect = applyNodeEvent(this.state, this.disruptions.events[i]);
    for (const r of effect === "keep" ? [] : [...this.deps.onNode[n]]) {
      if (effect === "evict") this.evict(r, t, "maintenance");
      else {
        this.requeue(r, t, true);
        this.recorder.restarted();
      }
    }
    this.recorder.touch(n);
    this.dirty = true;
  }

  /** A reservation window opens (evict others from its nodes) or closes (drop it). */
  private holdEdge(i: number, opening: boolean, t: number): void {
    const hold = this.disruptions.holds[i];
    if (opening)
      for (const n of this.disruptions.holdNodes[i])
        for (const r of [...this.deps.onNode[n]])
          if (!ownsHold(hold, r.request)) this.evict(r, t, "reservation");
    this.holds.refresh(t);
    this.dirty = true;
  }

  private evict(r: Run, t: number, why: "maintenance" | "reservation"): void {
    this.recorder.preempted(r, why);
    this.requeue(r, t, false);
  }

  /** Stops a running workload and queues it again; `lose`: its progress is lost. */
  private requeue(r: Run, t: number, lose: boolean): void {
    requeue(this.deps, r, t, lose);
    this.queues.running.delete(r);
    this.queues.enqueue(r);
  }
}
