/**
 * What a start-time forecast reads (a snapshot of live state) and what it answers.
 * Plain data: the service builds a snapshot from its store, the backtest from a replay.
 */
import type { Fleet } from "../core/model/fleet.ts";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import type { Workload } from "../core/workload/index.ts";
import type { InitialAt } from "../sim/workloads/input.ts";

export type { InitialAt } from "../sim/workloads/input.ts";

/** A workload running at the snapshot: it started at `startTime` (seconds, same clock as `now`). */
export interface RunningSnapshot {
  readonly workload: Workload;
  readonly startTime: number;
  /**
   * Where it runs (node ids, devices local to each node). Without it, or when it no
   * longer fits the fleet, it is placed again at `now` by the policy's node plugins,
   * which leaves the forecast's fleet less fragmented than the real one.
   */
  readonly at?: InitialAt;
}

/** Live state at `now`, with the recent history the forecast samples from. */
export interface ForecastSnapshot {
  readonly fleet: Fleet;
  readonly tenancy: TenancySpec;
  /** The scheduler policy the live loop runs (see core/schedule/policies.ts). */
  readonly policy: string;
  /** Seconds on the driver's clock; every other time is on the same clock. */
  readonly now: number;
  /** Running work, on its real placement where it has one. */
  readonly running: readonly RunningSnapshot[];
  /** Waiting work, each with its own submit time. Its `duration` is never read. */
  readonly pending: readonly Workload[];
  /**
   * Work that finished before `now`: its `duration` is the run time it really had.
   * Run times are sampled from it, per queue and size, falling back to all of it.
   */
  readonly finished: readonly Workload[];
  /**
   * Seconds before `now` whose submissions (finished, running and pending) set the
   * arrival rate of each queue; 0 forecasts no new arrivals. Default one day.
   */
  readonly arrivalWindow?: number;
  /**
   * Decayed fair-share usage per leaf queue path at `now`, as the live loop has it (the
   * `fairshare` order ranks queues by it). Default: none.
   */
  readonly usage?: Readonly<Record<string, number>>;
}

/** How hard to look. */
export interface ForecastOptions {
  /** Monte Carlo runs; default 20. */
  readonly runs?: number;
  readonly seed?: number;
  /** Seconds after `now` a run simulates at most; default 7 days. */
  readonly horizon?: number;
  /**
   * "sampled" (default): run times and arrivals drawn from history, `runs` runs.
   * "estimates": one run, every run time = the user's estimate, no arrivals (a
   * Slurm-like `squeue --start` plan).
   */
  readonly mode?: "sampled" | "estimates";
  /**
   * Seconds a run's events wait for the next multiple of (one scheduler cycle per step;
   * starts come up to this late). Default 60; 0 gives every event its own cycle.
   */
  readonly quantum?: number;
  /**
   * The step doubles while under this fraction of the time ahead (default 0.05: a start
   * 10 h out is known to 16 min), so that far-off cycles are few. 0 keeps `quantum`.
   */
  readonly relativeQuantum?: number;
  /**
   * Draw each queue's arrival rate per run from a Gamma fitted to the window's hourly
   * over-dispersion (./arrivals.ts); default true. false: plain Poisson at the mean rate.
   */
  readonly overdispersion?: boolean;
  /**
   * Run times of work submitted in the same hour share a random log-scale shift, its σ
   * fitted to the history (./batch.ts); default true. false: independent draws.
   */
  readonly batchEffects?: boolean;
  /**
   * Run times are drawn per queue, size and estimate bucket (a power of two of the
   * user's estimate) where that group holds enough finished runs; default false (on
   * openb it did not help, and real estimates are poorer than the backtest's).
   */
  readonly byEstimate?: boolean;
  /**
   * Let a run far longer than the others stop early where the answer cannot change
   * (./censor.ts); default true. false: every run goes to its end (for tests).
   */
  readonly censor?: boolean;
}

/**
 * How a forecast ended: it starts within the horizon in at least half the runs
 * ("scheduled"), later than the horizon, or it can never start on this fleet.
 */
export const ForecastOutcome = {
  Scheduled: "scheduled",
  BeyondHorizon: "beyond-horizon",
  Never: "never",
} as const;
export type ForecastOutcome = (typeof ForecastOutcome)[keyof typeof ForecastOutcome];

/** One pending workload's start, in seconds from `now`; null = never or past the horizon. */
export interface JobForecast {
  readonly id: string;
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly outcome: ForecastOutcome;
  /** Why it waits: its place in its queue, what it needs, what the scheduler said. */
  readonly reason: string;
}
