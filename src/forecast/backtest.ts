/**
 * Backtesting the forecaster honestly: replay a trace once with a policy (the truth),
 * then at sampled moments rebuild the live state from that replay (running work with
 * its start, pending work, work finished so far) and forecast every pending workload
 * from it alone. Run times of work not finished by then are never read. Compared with
 * the start that really came later in the same replay, as are two baselines: naive
 * (jobs ahead in its queue × the mean run time so far) and Slurm-like (one forward
 * plan on user estimates, like `squeue --start`).
 *
 * The replay must not preempt (a workload's end = its start + run time at its speed):
 * use a policy without reclaim or priority preemption (fifo, backfill, sjf).
 */
import { buildClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { speedOn } from "../core/schedule/place.ts";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import type { Workload } from "../core/workload/index.ts";
import { simulateWorkloads } from "../sim/workloads/world.ts";
import { Calibration, NO_SHIFT, widen } from "./calibrate.ts";
import { forecast } from "./index.ts";
import { queuePositions } from "./reason.ts";
import type { ForecastSnapshot, InitialAt, RunningSnapshot } from "./types.ts";

export interface BacktestInput {
  readonly fleet: Fleet;
  readonly tenancy: TenancySpec;
  readonly policy: string;
  readonly workloads: readonly Workload[];
  /** Moments (seconds) at which to forecast. */
  readonly moments: readonly number[];
  readonly runs: number;
  readonly seed: number;
  /** Forecast horizon; a start later than it (or never) counts as the horizon. */
  readonly horizon: number;
  readonly arrivalWindow: number;
  /** Step options of the forecast and the Slurm-like plan (see ForecastOptions). */
  readonly quantum?: number;
  readonly relativeQuantum?: number;
  /** See ForecastOptions.overdispersion (default true). */
  readonly overdispersion?: boolean;
  /** See ForecastOptions.batchEffects (default true). */
  readonly batchEffects?: boolean;
  /** See ForecastOptions.byEstimate (default false). */
  readonly byEstimate?: boolean;
  /**
   * Calibrate each moment's bands on the earlier moments' forecasts whose starts are
   * known by then (./calibrate.ts); default true. false: the simulated bands as they are.
   */
  readonly calibrate?: boolean;
}

/** One pending workload at one moment: the truth and the three predictions (s from the moment). */
export interface BacktestPoint {
  readonly moment: number;
  readonly id: string;
  readonly actual: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  /** The simulated band, before calibration. */
  readonly rawP10: number;
  readonly rawP90: number;
  readonly naive: number;
  readonly slurm: number;
}

/** Replays the trace, then forecasts at each moment. */
export function backtest(input: BacktestInput): BacktestPoint[] {
  const { start, end, at } = replay(input);
  const ws = input.workloads;
  const slot = new Map(ws.map((w, i) => [w.id, i]));
  const known = (id: string) => start[slot.get(id) ?? -1];
  const calibration = new Calibration({ spacing: 0 }); // every moment is a sample
  const points: BacktestPoint[] = [];
  for (const t of input.moments) {
    const running: RunningSnapshot[] = [];
    const pending: Workload[] = [];
    const finished: Workload[] = [];
    ws.forEach((w, i) => {
      if (w.submitTime > t) return;
      if (end[i] <= t) finished.push(w);
      else if (start[i] <= t) running.push({ workload: w, startTime: start[i], at: at[i] });
      else pending.push(w);
    });
    if (pending.length === 0) continue;
    const snap: ForecastSnapshot = {
      fleet: input.fleet,
      tenancy: input.tenancy,
      policy: input.policy,
      now: t,
      running,
      pending,
      finished,
      arrivalWindow: input.arrivalWindow,
    };
    const opts = {
      runs: input.runs,
      seed: input.seed,
      horizon: input.horizon,
      quantum: input.quantum,
      relativeQuantum: input.relativeQuantum,
      overdispersion: input.overdispersion,
      batchEffects: input.batchEffects,
      byEstimate: input.byEstimate,
    };
    const raw = forecast(snap, opts);
    const shift = input.calibrate === false ? NO_SHIFT : calibration.shift(t, known);
    calibration.record(t, raw, shift);
    const mc = raw.map((f) => widen(f, shift, input.horizon));
    const slurm = forecast(snap, { ...opts, mode: "estimates" });
    const mean = finished.reduce((s, w) => s + w.duration, 0) / Math.max(1, finished.length);
    const ahead = queuePositions(pending, "fifo");
    const cap = (x: number | null) => (x === null ? input.horizon : Math.min(x, input.horizon));
    pending.forEach((w, j) => {
      const i = ws.indexOf(w);
      points.push({
        moment: t,
        id: w.id,
        actual: cap(start[i] - t),
        p10: cap(mc[j].p10),
        p50: cap(mc[j].p50),
        p90: cap(mc[j].p90),
        rawP10: cap(raw[j].p10),
        rawP90: cap(raw[j].p90),
        naive: cap((ahead.get(w) ?? 0) * mean),
        slurm: cap(slurm[j].p50),
      });
    });
  }
  return points;
}

/**
 * First start, end and placement of every workload in one replay; Infinity when it
 * never started. The placement is what a live snapshot would read from the store.
 */
function replay(input: BacktestInput): {
  start: Float64Array;
  end: Float64Array;
  at: (InitialAt | undefined)[];
} {
  const n = input.workloads.length;
  const start = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const end = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const at: (InitialAt | undefined)[] = new Array(n).fill(undefined);
  const index = new Map(input.workloads.map((w, i) => [w, i]));
  const state = buildClusterState(input.fleet);
  simulateWorkloads({
    name: "backtest",
    fleet: input.fleet,
    tenancy: input.tenancy,
    policy: input.policy,
    seed: input.seed,
    workloads: input.workloads,
    audit: (view) => {
      for (const d of view.decisions) {
        if (d.kind === "preempt")
          throw new Error(`backtest replay preempted ${d.victim.w.id}: use a policy that does not`);
        if (d.kind !== "start") continue;
        const i = index.get(d.entry.w)!;
        start[i] = view.t;
        end[i] = view.t + d.entry.w.duration / speedOn(state, d.entry.w, d.type);
        at[i] = {
          deviceType: d.type >= 0 ? state.deviceTypes[d.type].id : null,
          members: d.placements.map((p) => ({
            node: state.nodeIds[p.node],
            devices: p.devices.map((x) => x - state.devOffset[p.node]),
          })),
        };
      }
    },
  });
  return { start, end, at };
}

/** Coverage and error figures of a backtest. */
export interface BacktestSummary {
  readonly points: number;
  readonly moments: number;
  /** Share of points whose actual start lies in [p10, p90], 0..1. */
  readonly coverage: number;
  /** The same for the simulated band, before calibration. */
  readonly rawCoverage: number;
  /** Points that started before their P10, and after their P90. */
  readonly early: number;
  readonly late: number;
  /** Median |prediction − actual| in seconds: forecaster P50, naive, Slurm-like. */
  readonly medianAbsError: {
    readonly forecast: number;
    readonly naive: number;
    readonly slurm: number;
  };
  /** Mean |prediction − actual| in seconds. */
  readonly meanAbsError: {
    readonly forecast: number;
    readonly naive: number;
    readonly slurm: number;
  };
  /** Median actual wait from the moment, seconds. */
  readonly medianActual: number;
}

/** Summarises backtest points. */
export function summarise(points: readonly BacktestPoint[]): BacktestSummary {
  const covered = points.filter((p) => p.p10 <= p.actual && p.actual <= p.p90).length;
  const rawCovered = points.filter((p) => p.rawP10 <= p.actual && p.actual <= p.rawP90).length;
  const share = (k: number) => (points.length ? Math.round((1000 * k) / points.length) / 1000 : 0);
  const errors = (k: "p50" | "naive" | "slurm") => points.map((p) => Math.abs(p[k] - p.actual));
  const med = (xs: number[]) => median(xs);
  const mean = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length));
  return {
    points: points.length,
    moments: new Set(points.map((p) => p.moment)).size,
    coverage: share(covered),
    rawCoverage: share(rawCovered),
    early: points.filter((p) => p.actual < p.p10).length,
    late: points.filter((p) => p.actual > p.p90).length,
    medianAbsError: {
      forecast: med(errors("p50")),
      naive: med(errors("naive")),
      slurm: med(errors("slurm")),
    },
    meanAbsError: {
      forecast: mean(errors("p50")),
      naive: mean(errors("naive")),
      slurm: mean(errors("slurm")),
    },
    medianActual: median(points.map((p) => p.actual)),
  };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
}
