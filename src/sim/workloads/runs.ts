/**
 * Every workload of a multi-tenant run, and the only code that moves one between
 * states. Each transition keeps the cluster state (ledger), the quota tree and the
 * node index in step.
 *
 *   future ─arrive─► pending ─start─► running ─finish─────────► done
 *             │        ▲  ▲             │  │ └─timeout────────► timedOut (QoS max runtime)
 *             │        │  └─requeue─────┘  └─shrink (services lose replicas above min)
 *             │        │   (preempted, drained, reserved-away: progress kept;
 *             │        │    node failure: progress lost)
 *             └────────┴─reject─► rejected (can never fit this fleet)
 *   A running workload told to exit is `terminating` until its grace period ends.
 *
 * Work is conserved: a workload needs duration × members member-seconds at speed 1;
 * it progresses at (members running × speed of its device type) per second.
 */

import { GongjangError } from "../../core/errors.ts";
import type { ClusterState } from "../../core/model/cluster.ts";
import { allocate, type Placement, release } from "../../core/model/ledger.ts";
import type { Request } from "../../core/model/request.ts";
import { belowSize } from "../../core/schedule/grow.ts";
import { speedOn } from "../../core/schedule/place.ts";
import type { RunningWorkload, WorkloadDecision } from "../../core/schedule/types.ts";
import { DecayedUsage } from "../../core/tenancy/fairshare.ts";
import { charge, type QueueTree, queueIndex } from "../../core/tenancy/tree.ts";
import { estimateOf, type Workload } from "../../core/workload/index.ts";

export const RunState = {
  Future: 0,
  Pending: 1,
  Running: 2,
  Done: 3,
  Rejected: 4,
  TimedOut: 5,
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

export class Run implements RunningWorkload {
  readonly w: Workload;
  readonly index: number;
  readonly queue: number;
  state: RunState = RunState.Future;
  type = -1;
  request!: Request;
  placements: Placement[] = [];
  startTime = 0;
  estimatedEnd = 0;
  /** Device-seconds received (2D-LAS). */
  attained = 0;
  terminating = false;
  /** Member-seconds (at speed 1) still to do. */
  remaining: number;
  /** When remaining and attained were last brought up to date. */
  updated = 0;
  firstStart = Number.NaN;
  end = Number.NaN;
  /** Bumped whenever the completion time changes: stale completion events are skipped. */
  attempt = 0;
  preemptions = 0;
  restarts = 0;
  /** Topology levels the first start spanned. */
  crossed = -1;
  /** Why it waits, from the last cycle that tried it. */
  reason = "";
  /** Device-seconds used. */
  deviceSeconds = 0;
  /** Work done in device-seconds at speed 1.0 (H100-equivalent), lost progress included. */
  work = 0;
  /** Fair-share usage is charged up to this time. */
  charged = 0;
  private starts = 0;

  constructor(w: Workload, index: number, queue: number) {
    this.w = w;
    this.index = index;
    this.queue = queue;
    this.remaining = w.duration * w.members;
  }

  /** Runs started so far; tags timeout events so an old run's one is ignored. */
  startCount(): number {
    return this.starts;
  }

  /** Counts a start. */
  started(t: number): void {
    this.starts++;
    this.charged = t;
  }

  /** Members running × device speed: member-seconds of work done per second. */
  rate(state: ClusterState): number {
    return this.placements.length * speedOn(state, this.w, this.type);
  }

  /** Whole devices held (a 0.25 share counts 0.25). */
  devices(): number {
    return (this.placements.length * this.w.member.devices * this.w.member.deviceMilli) / 1000;
  }

  /** Seconds until the work is done at the current rate; Infinity for services. */
  timeLeft(state: ClusterState): number {
    const rate = this.rate(state);
    return rate > 0 ? this.remaining / rate : Number.POSITIVE_INFINITY;
  }
}

/**
 * One run per workload, in input order. Throws GJ_ERR_TENANT_UNKNOWN for a workload
 * whose queue is not a leaf queue of the tenancy.
 */
export function createRuns(workloads: readonly Workload[], tree: QueueTree): Run[] {
  return workloads.map((w, i) => {
    const q = queueIndex(tree, w.queue);
    if (q < 0 || tree.children[q].length > 0)
      throw new GongjangError(
        "GJ_ERR_TENANT_UNKNOWN",
        `workload ${w.id} names queue "${w.queue}", which is not a leaf queue of the tenancy`,
        { path: `workloads[${i}].queue` },
      );
    return new Run(w, i, q);
  });
}

/**
 * Charges decayed fair-share usage for running work since it was last charged: device
 * count × the type's charge weight (default its speed) × seconds.
 */
export function chargeFairShare(
  usage: DecayedUsage,
  state: ClusterState,
  running: readonly Run[],
  weights: Readonly<Record<string, number>>,
  t: number,
): void {
  usage.advance(t);
  for (const r of running) {
    if (r.type < 0) continue;
    const type = state.deviceTypes[r.type];
    usage.charge(
      r.queue,
      r.devices() * (weights[type.id] ?? type.speed) * Math.max(0, t - r.charged),
    );
    r.charged = t;
  }
}

/**
 * Fair-share usage at t = 0: each queue's decayed usage from before the simulation
 * (`initialUsage`, by queue path; a live forecast reads it from the store), else none.
 */
export function startingUsage(
  tree: QueueTree,
  halfLife: number,
  initial: Readonly<Record<string, number>> = {},
): DecayedUsage {
  const usage = new DecayedUsage(tree, halfLife);
  for (const [path, amount] of Object.entries(initial)) {
    const q = queueIndex(tree, path);
    if (q >= 0) usage.charge(q, amount); // a queue removed since charges nothing
  }
  return usage;
}

/** What the transitions act on besides the runs; owned by the world. */
export interface RunDeps {
  readonly state: ClusterState;
  readonly tree: QueueTree;
  /** Runs with a member on each node. */
  readonly onNode: Set<Run>[];
  /** Told of every node whose free devices change (for the fragmentation gauge). */
  readonly touch?: (node: number) => void;
}

/** Brings progress and attained service up to `t`. */
export function advance(deps: RunDeps, r: Run, t: number): void {
  if (r.state === RunState.Running && t > r.updated) {
    const dt = t - r.updated;
    r.remaining = Math.max(0, r.remaining - dt * r.rate(deps.state));
    r.attained += dt * r.devices();
    r.deviceSeconds += dt * r.devices();
    r.work += (dt * r.rate(deps.state) * r.w.member.devices * r.w.member.deviceMilli) / 1000;
  }
  r.updated = t;
}

/** Advances every run in `running` to `t`; returns those below their size (to grow). */
export function advanceAll(deps: RunDeps, running: readonly Run[], t: number): Run[] {
  const short: Run[] = [];
  for (const r of running) {
    advance(deps, r, t);
    if (belowSize(r)) short.push(r);
  }
  return short;
}

/**
 * The running work below its size, for each cycle to grow. A repeat cycle at the same
 * instant finds every run advanced already, and none below its size unless the cycle
 * before left or made one (it starts, grows and preempts only): then the pass over all
 * running work is skipped.
 */
export class ShortRuns {
  private t = Number.NaN;
  private short: readonly Run[] = [];
  private touched: Run[] = [];

  /** Advances `running` to `t` (where it may be behind); returns the runs below their size. */
  at(deps: RunDeps, running: readonly Run[], t: number): Run[] {
    const same =
      t === this.t &&
      this.short.length === 0 &&
      !this.touched.some((r) => r.state === RunState.Running && belowSize(r));
    this.t = t;
    this.short = same ? [] : advanceAll(deps, running, t);
    return this.short as Run[];
  }

  /** The decisions of the cycle that just ran, applied. */
  changed(decisions: readonly WorkloadDecision[]): void {
    this.touched = [];
    for (const d of decisions)
      if (d.kind === "start") this.touched.push(d.entry as Run);
      else if (d.kind === "grow") this.touched.push(d.running as Run);
      else if (d.kind === "preempt") this.touched.push(d.victim as Run);
  }
}

/** Applies a start decision: takes the devices, charges the quota. */
export function start(
  deps: RunDeps,
  r: Run,
  type: number,
  request: Request,
  placements: readonly Placement[],
  t: number,
): void {
  r.state = RunState.Running;
  r.type = type;
  r.request = request;
  r.placements = [];
  r.updated = t;
  r.startTime = t;
  r.started(t);
  if (Number.isNaN(r.firstStart)) r.firstStart = t;
  for (const p of placements) addMember(deps, r, p);
  const full = (estimateOf(r.w) * r.w.members) / Math.max(1e-9, r.rate(deps.state));
  r.estimatedEnd = t + Math.min(full, r.w.maxRuntime ?? Number.POSITIVE_INFINITY);
  r.attempt++;
}

/** Adds members to a running workload (it grows back towards its size). */
export function grow(deps: RunDeps, r: Run, placements: readonly Placement[], t: number): void {
  advance(deps, r, t);
  for (const p of placements) addMember(deps, r, p);
}

/** Stops the newest `members` members (all by default); the rest keep running. */
export function stopMembers(deps: RunDeps, r: Run, t: number, members = r.placements.length): void {
  advance(deps, r, t);
  for (let k = 0; k < members; k++) {
    const p = r.placements.pop()!;
    release(deps.state, r.request, p);
    deps.touch?.(p.node);
    if (r.type >= 0) charge(deps.tree, r.queue, r.type, -memberMilli(r));
    if (!r.placements.some((q) => q.node === p.node)) deps.onNode[p.node].delete(r);
  }
  r.attempt++;
}

/** Stops every member and sends the workload back to the queue. `lose`: progress is lost. */
export function requeue(deps: RunDeps, r: Run, t: number, lose: boolean): void {
  stopMembers(deps, r, t);
  r.state = RunState.Pending;
  r.terminating = false;
  if (lose) {
    r.remaining = r.w.duration * r.w.members;
    r.restarts++;
  } else {
    r.preemptions++;
  }
}

/** Ends the workload: `Done` or `TimedOut`. */
export function finish(deps: RunDeps, r: Run, t: number, how: RunState): void {
  stopMembers(deps, r, t);
  r.state = how;
  r.terminating = false;
  r.end = t;
}

function addMember(deps: RunDeps, r: Run, p: Placement): void {
  allocate(deps.state, r.request, p);
  deps.touch?.(p.node);
  r.placements.push(p);
  if (r.type >= 0) charge(deps.tree, r.queue, r.type, memberMilli(r));
  deps.onNode[p.node].add(r);
}

function memberMilli(r: Run): number {
  return r.w.member.devices * r.w.member.deviceMilli;
}
