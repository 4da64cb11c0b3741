/**
 * Run metrics: pure statistics (nearest-rank percentiles, CDF, Jain's index) and
 * buildMetrics(), which turns the world's per-job outcome arrays and the timeline
 * into a SimMetrics. Every number that reaches the result is rounded to 6 decimals,
 * so golden files stay readable and last-bit float noise never shows.
 */
import type { Job } from "../core/model/job.ts";
import type { Distribution, SimMetrics, TenantMetrics } from "./result.ts";
import type { Timeline } from "./timeline.ts";

/** Job states as the world records them (see world.ts for the state machine). */
export const JobState = {
  Future: 0,
  Pending: 1,
  Running: 2,
  Done: 3,
  Rejected: 4,
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

/** What the world knows about every job when the run ends; arrays are indexed like `jobs`. */
export interface JobOutcomes {
  readonly jobs: readonly Job[];
  /** A JobState per job. */
  readonly state: Uint8Array;
  /** First start time, NaN when never started. */
  readonly firstStart: Float64Array;
  /** Completion time, NaN unless done. */
  readonly end: Float64Array;
  /** Device-seconds used, killed runs and runs cut off at the end included. */
  readonly deviceSeconds: Float64Array;
  /** Runs killed by node failures, summed over jobs. */
  readonly restarts: number;
}

/** Rounds to 6 decimals; -0 becomes 0. */
export function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

/**
 * Nearest-rank percentile of an ascending array: the value at rank ⌈p/100 · n⌉
 * (1-based). `p` in (0, 100]; 0 for an empty array.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1];
}

/** Count, mean, p50/p95/p99 (nearest rank) and max of `values`; all 0 when empty. */
export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  return distributionOfSorted(sorted);
}

function distributionOfSorted(sorted: Float64Array): Distribution {
  const n = sorted.length;
  if (n === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    count: n,
    mean: round6(sum / n),
    p50: round6(percentile(sorted, 50)),
    p95: round6(percentile(sorted, 95)),
    p99: round6(percentile(sorted, 99)),
    max: round6(sorted[n - 1]),
  };
}

/**
 * Empirical CDF of an ascending array as [value, fraction ≤ value] pairs, at most
 * `maxPoints` of them: point k (1-based) is the sample at rank ⌈k·n/maxPoints⌉, so the
 * last point is always (max, 1).
 */
export function cdf(sorted: ArrayLike<number>, maxPoints = 200): [number, number][] {
  const n = sorted.length;
  const points = Math.min(n, maxPoints);
  const out: [number, number][] = [];
  for (let k = 1; k <= points; k++) {
    const rank = Math.ceil((k * n) / points);
    out.push([round6(sorted[rank - 1]), round6(rank / n)]);
  }
  return out;
}

/**
 * Jain's fairness index (Σx)² / (n·Σx²): 1 when all equal, 1/n when one takes all.
 * 1 for no values or all zeros (nothing was shared unfairly).
 */
export function jainIndex(values: readonly number[]): number {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  if (values.length === 0 || sq === 0) return 1;
  return (sum * sum) / (values.length * sq);
}

/** Per-job samples gathered in one pass, so each distribution sorts only its own values. */
interface Samples {
  jct: number[];
  wait: number[];
  jobs: number;
  deviceSeconds: number;
}

function collect(o: JobOutcomes, into: (job: Job) => Samples): void {
  for (let j = 0; j < o.jobs.length; j++) {
    const s = into(o.jobs[j]);
    s.jobs++;
    s.deviceSeconds += o.deviceSeconds[j];
    const submit = o.jobs[j].submitTime;
    if (!Number.isNaN(o.firstStart[j])) s.wait.push(o.firstStart[j] - submit);
    if (o.state[j] === JobState.Done) s.jct.push(o.end[j] - submit);
  }
}

/**
 * Summarises a run. JCT covers completed jobs; queueing delay covers every job that
 * started at least once, measured to its first start; makespan runs from the first
 * submit to the last completion (0 when nothing completed). Tenants come sorted by
 * name (code-unit order, not locale, so the output never depends on the machine).
 */
export function buildMetrics(o: JobOutcomes, timeline: Timeline): SimMetrics {
  const all: Samples = { jct: [], wait: [], jobs: 0, deviceSeconds: 0 };
  const byTenant = new Map<string, Samples>();
  collect(o, (job) => {
    let s = byTenant.get(job.tenant);
    if (!s) {
      s = { jct: [], wait: [], jobs: 0, deviceSeconds: 0 };
      byTenant.set(job.tenant, s);
    }
    return s;
  });
  let completed = 0;
  let rejected = 0;
  let firstSubmit = Number.POSITIVE_INFINITY;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < o.jobs.length; j++) {
    firstSubmit = Math.min(firstSubmit, o.jobs[j].submitTime);
    if (o.state[j] === JobState.Done) {
      completed++;
      lastEnd = Math.max(lastEnd, o.end[j]);
    } else if (o.state[j] === JobState.Rejected) rejected++;
  }
  const names = [...byTenant.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const s = byTenant.get(name)!;
    all.jobs += s.jobs;
    all.deviceSeconds += s.deviceSeconds;
    for (const v of s.jct) all.jct.push(v);
    for (const v of s.wait) all.wait.push(v);
  }
  const tenants: TenantMetrics[] = names.map((tenant) => {
    const s = byTenant.get(tenant)!;
    return {
      tenant,
      jobs: s.jobs,
      jct: distribution(s.jct),
      queueingDelay: distribution(s.wait),
      deviceSeconds: round6(s.deviceSeconds),
      share: all.deviceSeconds > 0 ? round6(s.deviceSeconds / all.deviceSeconds) : 0,
    };
  });
  const jctSorted = Float64Array.from(all.jct).sort();
  const shares = names.map((n) =>
    all.deviceSeconds > 0 ? byTenant.get(n)!.deviceSeconds / all.deviceSeconds : 0,
  );
  return {
    jobs: o.jobs.length,
    completed,
    rejected,
    unfinished: o.jobs.length - completed - rejected,
    restarts: o.restarts,
    jct: distributionOfSorted(jctSorted),
    queueingDelay: distribution(all.wait),
    makespan: completed > 0 ? round6(lastEnd - firstSubmit) : 0,
    meanAllocation: round6(timeline.meanAllocation()),
    meanFragmentation: round6(timeline.meanFragmentation()),
    jainIndex: round6(jainIndex(shares)),
    tenants,
    timeline: timeline.points(),
    jctCdf: cdf(jctSorted),
  };
}
