/**
 * Start-time forecasts from live state: `forecast(snapshot, options)` gives each
 * pending workload a P10/P50/P90 start (seconds from the snapshot's `now`) and a short
 * reason. Work that can never start is told apart first, without simulating
 * (./never.ts); the rest comes from Monte Carlo runs of the multi-tenant simulator
 * (./runs.ts). Pure: same snapshot and seed ⇒ identical output.
 */

import { SCHEDULER_POLICIES } from "../core/schedule/policies.ts";
import type { OrderName } from "../core/schedule/types.ts";
import type { Status } from "../core/status.ts";
import { nextCap, QUANTILES, rerunsNeeded } from "./censor.ts";
import { neverReasons } from "./never.ts";
import { quantile, seconds } from "./quantile.ts";
import { queuePositions, waitReason } from "./reason.ts";
import { DEFAULT_RUNS, type Prepared, prepare, type RunResult, simulateRun } from "./runs.ts";
import {
  type ForecastOptions,
  ForecastOutcome,
  type ForecastSnapshot,
  type JobForecast,
} from "./types.ts";

export { type Prepared, prepare, type RunResult, simulateRun } from "./runs.ts";
export * from "./types.ts";

/**
 * Forecasts every pending workload of `snap`, in `snap.pending` order. Throws
 * GJ_ERR_POLICY_UNKNOWN for an unknown policy and GJ_ERR_ARGUMENT for runs < 1.
 */
export function forecast(snap: ForecastSnapshot, opts: ForecastOptions = {}): JobForecast[] {
  const plan = planForecast(snap, opts);
  const results: RunResult[] = [];
  for (let k = 0; k < plan.runs; k++)
    results.push(simulateRun(plan.prepared, k, plan.cap(results)));
  for (const k of plan.reruns(results)) results[k] = simulateRun(plan.prepared, k);
  return plan.finish(results);
}

/**
 * A forecast split up so that callers may do its runs elsewhere (e.g. worker threads):
 * run k with the cap `cap` gives for the results so far, redo `reruns` uncut, then
 * `finish`. Caps change the cost only, never the answer.
 */
export interface ForecastPlan {
  readonly prepared: Prepared;
  readonly runs: number;
  /** The cap for a run started now, given the results in (undefined: still running). */
  cap(done: readonly (RunResult | undefined)[]): number;
  /** Cut runs to do again without a cap before `finish`. */
  reruns(results: readonly RunResult[]): number[];
  /** Combines the results of runs 0..runs-1 (in that order) into the answer. */
  finish(results: readonly RunResult[]): JobForecast[];
}

/** Prepares a forecast whose runs the caller does (e.g. on worker threads). */
export function planForecast(snap: ForecastSnapshot, opts: ForecastOptions = {}): ForecastPlan {
  const runs = opts.mode === "estimates" ? 1 : (opts.runs ?? DEFAULT_RUNS);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new RangeError(`runs must be ≥ 1, got ${runs}`);
  const never = neverReasons(snap.fleet, snap.tenancy, snap.policy, snap.pending);
  const watched = snap.pending.filter((w) => !never.has(w));
  const prepared = prepare(snap, watched, opts);
  const order = orderOf(snap.policy);
  const finish = (results: readonly RunResult[]): JobForecast[] => {
    if (rerunsNeeded(results).length > 0) throw new Error("cut runs leave quantiles open");
    const positions = queuePositions(snap.pending, order);
    const slot = new Map(watched.map((w, i) => [w, i]));
    const column = new Float64Array(results.length);
    return snap.pending.map((w) => {
      const ahead = positions.get(w) ?? 0;
      const i = slot.get(w);
      if (i === undefined) {
        const reason = never.get(w) ?? "never starts";
        return {
          id: w.id,
          p10: null,
          p50: null,
          p90: null,
          outcome: ForecastOutcome.Never,
          reason,
        };
      }
      results.forEach((r, k) => {
        column[k] = r.starts[i];
      });
      column.sort();
      const [p10, p50, p90] = QUANTILES.map((q) => seconds(quantile(column, q)));
      const status: Status | undefined = results[0]?.statuses.get(i);
      return {
        id: w.id,
        p10,
        p50,
        p90,
        outcome: p50 === null ? ForecastOutcome.BeyondHorizon : ForecastOutcome.Scheduled,
        reason: waitReason(w, ahead, p50, status, prepared.horizon),
      };
    });
  };
  const cap = (done: readonly (RunResult | undefined)[]) =>
    opts.censor === false ? Number.POSITIVE_INFINITY : nextCap(runs, done);
  return { prepared, runs, cap, reruns: rerunsNeeded, finish };
}

function orderOf(policy: string): OrderName {
  const def = (SCHEDULER_POLICIES as Record<string, { order: OrderName } | undefined>)[policy];
  return def?.order ?? "fifo";
}
