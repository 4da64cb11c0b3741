/**
 * A job's forecast as the API shows it: for a pending job the cached P10/P50/P90 start
 * (ISO times; null = never, or not within the horizon) and the reason; for a job that
 * started, its real start; while the first computation that sees the job is under way,
 * "computing" (the route answers 202).
 */
import { Type } from "typebox";
import { type JobRow, JobState } from "../../store/jobs.ts";
import type { Forecaster } from "./index.ts";

export const ForecastStatus = {
  Forecast: "forecast",
  Computing: "computing",
  Started: "started",
  Ended: "ended",
} as const;
export type ForecastStatus = (typeof ForecastStatus)[keyof typeof ForecastStatus];

const Time = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const ForecastView = Type.Object({
  jobId: Type.Integer(),
  status: Type.Union(
    Object.values(ForecastStatus).map((s) => Type.Literal(s)),
    {
      description:
        "forecast: pending, forecast below; computing: not forecast yet (HTTP 202), retry; started: p10 = p50 = p90 = its start; ended: ended without starting",
    },
  ),
  p10: Time,
  p50: Time,
  p90: Time,
  outcome: Type.Union([
    Type.Literal("scheduled"),
    Type.Literal("beyond-horizon"),
    Type.Literal("never"),
    Type.Null(),
  ]),
  reason: Type.String(),
  computedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "When the forecast was computed (null while computing)",
  }),
  runs: Type.Integer({ description: "Monte Carlo runs behind it" }),
  calibratedOn: Type.Integer({
    description:
      "past forecasts (started since, or already later than their P90) whose misses set the P10–P90 band's width; 0: the band as simulated",
  }),
});
export interface ForecastView {
  readonly jobId: number;
  readonly status: ForecastStatus;
  readonly p10: string | null;
  readonly p50: string | null;
  readonly p90: string | null;
  readonly outcome: "scheduled" | "beyond-horizon" | "never" | null;
  readonly reason: string;
  readonly computedAt: string | null;
  readonly runs: number;
  readonly calibratedOn: number;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** The view of `row`'s forecast from the forecaster's cache. */
export function forecastView(row: JobRow, f: Forecaster): ForecastView {
  const base = {
    jobId: row.id,
    computedAt: iso(f.computedAt),
    runs: f.runs,
    calibratedOn: f.calibratedOn,
  };
  if (row.state !== JobState.Pending) {
    const started = iso(row.started_at);
    if (started === null)
      return {
        ...base,
        status: ForecastStatus.Ended,
        p10: null,
        p50: null,
        p90: null,
        outcome: null,
        reason: `${row.state} without starting`,
      };
    return {
      ...base,
      status: ForecastStatus.Started,
      p10: started,
      p50: started,
      p90: started,
      outcome: null,
      reason: `started at ${started}`,
    };
  }
  const c = f.get(row.id);
  if (c === undefined)
    return {
      ...base,
      status: ForecastStatus.Computing,
      p10: null,
      p50: null,
      p90: null,
      outcome: null,
      reason: "computing: no forecast has seen this job yet; ask again shortly",
    };
  return {
    ...base,
    status: ForecastStatus.Forecast,
    p10: iso(c.p10),
    p50: iso(c.p50),
    p90: iso(c.p90),
    outcome: c.outcome,
    reason: c.reason,
  };
}
