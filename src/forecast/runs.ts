/**
 * The Monte Carlo runs behind a forecast: each one simulates forward from the snapshot
 * with simulateWorkloads (the live policy, quotas and topology), running work's
 * remaining time and pending work's run time sampled from history, plus sampled
 * arrivals; it stops once every watched workload has started, or at the horizon.
 * Runs are independent, so callers may split them over worker threads.
 */
import { createRng } from "../core/rng.ts";
import { createSchedulerPolicy } from "../core/schedule/policies.ts";
import type { SchedulerPolicy } from "../core/schedule/types.ts";
import type { Status } from "../core/status.ts";
import { estimateOf, memberJob, type Workload } from "../core/workload/index.ts";
import type { InitialRun } from "../sim/workloads/input.ts";
import { simulateWorkloads } from "../sim/workloads/world.ts";
import { rateShape, sampleArrivals } from "./arrivals.ts";
import { batchEffects, batchSigma } from "./batch.ts";
import { RuntimeModel } from "./history.ts";
import type { ForecastOptions, ForecastSnapshot } from "./types.ts";

export const DEFAULT_RUNS = 20;
export const DEFAULT_HORIZON = 7 * 86400;
export const DEFAULT_WINDOW = 86400;
export const DEFAULT_QUANTUM = 60;
export const DEFAULT_RELATIVE_QUANTUM = 0.05;

/** What the runs share: the snapshot, the workloads watched, the history model. */
export interface Prepared {
  readonly snap: ForecastSnapshot;
  /** Pending workloads that may start (never-fitting ones are left out). */
  readonly watched: readonly Workload[];
  readonly model: RuntimeModel;
  /** Submissions within the arrival window (finished, running and pending). */
  readonly recent: readonly Workload[];
  readonly window: number;
  /** Gamma shape of each queue's arrival-rate multiplier (Infinity: plain Poisson). */
  readonly rateShape: number;
  /** σ of the per-hour run-time shift (./batch.ts); 0: none. */
  readonly batchSigma: number;
  readonly horizon: number;
  readonly seed: number;
  readonly mode: "sampled" | "estimates";
  readonly quantum: number;
  readonly relativeQuantum: number;
  /** The policy, its typical shapes compiled once for every run of this thread. */
  readonly policy: SchedulerPolicy;
}

/** Builds what every run reads. */
export function prepare(
  snap: ForecastSnapshot,
  watched: readonly Workload[],
  opts: ForecastOptions,
): Prepared {
  const window = opts.mode === "estimates" ? 0 : (snap.arrivalWindow ?? DEFAULT_WINDOW);
  const from = snap.now - window;
  const recent =
    window > 0
      ? [...snap.finished, ...snap.running.map((r) => r.workload), ...snap.pending].filter(
          (w) => w.submitTime >= from && w.submitTime < snap.now,
        )
      : [];
  const shapes = [...snap.running.map((r) => r.workload), ...watched, ...recent];
  const policy = createSchedulerPolicy(snap.policy, {
    deviceTypes: snap.fleet.deviceTypes,
    memberJobs: shapes.map((w) => memberJob(w, 0)),
  });
  return {
    snap,
    watched,
    model: new RuntimeModel(
      snap.finished,
      snap.running.map((r) => ({ w: r.workload, elapsed: Math.max(0, snap.now - r.startTime) })),
      snap.now - (snap.arrivalWindow ?? DEFAULT_WINDOW),
      opts.byEstimate === true,
    ),
    recent,
    window,
    batchSigma:
      opts.batchEffects === false || opts.mode === "estimates" ? 0 : batchSigma(snap.finished),
    rateShape:
      opts.overdispersion === false ? Number.POSITIVE_INFINITY : rateShape(recent, from, window),
    horizon: opts.horizon ?? DEFAULT_HORIZON,
    seed: opts.seed ?? 1,
    mode: opts.mode ?? "sampled",
    quantum: opts.quantum ?? DEFAULT_QUANTUM,
    relativeQuantum: opts.relativeQuantum ?? DEFAULT_RELATIVE_QUANTUM,
    policy,
  };
}

/** One run's answer: start times (seconds from now; Infinity = not started) by watched index. */
export interface RunResult {
  readonly starts: Float64Array;
  /** The instant a cap cut the run at (what it had not started starts later); else Infinity. */
  readonly cutAt: number;
  /** What the first cycle said to the watched workloads it tried and did not start. */
  readonly statuses: Map<number, Status>;
}

/** Seed of run k: spread so neighbouring runs draw unrelated streams. */
export function runSeed(seed: number, k: number): number {
  return (seed + Math.imul(k + 1, 0x9e3779b1)) >>> 0;
}

/**
 * Simulates run `k` of a prepared forecast; it stops at its first instant at or past
 * `cap` seconds (./censor.ts says when that leaves the answer as it is).
 */
export function simulateRun(p: Prepared, k: number, cap = Number.POSITIVE_INFINITY): RunResult {
  const { snap, model, mode } = p;
  const rng = createRng(runSeed(p.seed, k));
  const sampled = mode === "sampled";
  const initialRunning: InitialRun[] = snap.running.map(({ workload: w, startTime, at }) => {
    const elapsed = Math.max(0, snap.now - startTime);
    const believed = Math.max(1, estimateOf(w) - elapsed);
    let left = sampled ? model.remaining(w, elapsed, rng) : believed;
    if (w.maxRuntime !== undefined) left = Math.min(left, Math.max(1, w.maxRuntime - elapsed));
    const workload = {
      ...w,
      submitTime: w.submitTime - snap.now,
      duration: left,
      estimate: believed,
      maxRuntime: undefined,
    };
    return { workload, elapsed, at };
  });
  const effect = sampled ? batchEffects(p.batchSigma, rng) : () => 1;
  const index = new Map<Workload, number>();
  const pending = p.watched.map((w, i) => {
    const copy = {
      ...w,
      submitTime: w.submitTime - snap.now,
      duration: sampled ? model.sample(w, rng) * effect(w.submitTime) : estimateOf(w),
      estimate: estimateOf(w),
    };
    index.set(copy, i);
    return copy;
  });
  const arrivals = sampleArrivals(p.recent, p.window, p.horizon, model, rng, p.rateShape, (t) =>
    effect(snap.now + t),
  );
  const starts = new Float64Array(pending.length).fill(Number.POSITIVE_INFINITY);
  const statuses = new Map<number, Status>();
  let started = 0;
  let cutAt = Number.POSITIVE_INFINITY;
  simulateWorkloads({
    name: "forecast",
    fleet: snap.fleet,
    tenancy: snap.tenancy,
    policy: snap.policy,
    seed: rng.int(2 ** 31),
    horizon: p.horizon,
    workloads: [...pending, ...arrivals],
    initialRunning,
    initialUsage: snap.usage,
    schedulerPolicy: p.policy,
    quantum: p.quantum,
    relativeQuantum: p.relativeQuantum,
    liveHolds: true,
    briefReasonsAfter: 0, // reasons are read at t = 0 only
    audit: (view) => {
      for (const d of view.decisions) {
        if (d.kind !== "start" && d.kind !== "wait") continue;
        const i = index.get(d.entry.w);
        if (i === undefined) continue;
        if (d.kind === "wait") {
          if (view.t === 0) statuses.set(i, d.status);
        } else if (starts[i] === Number.POSITIVE_INFINITY) {
          starts[i] = view.t;
          started++;
        }
      }
    },
    stopWhen: (t) => {
      if (started === pending.length) return true;
      if (t >= cap) cutAt = t;
      return t >= cap;
    },
  });
  return { starts, cutAt, statuses };
}
