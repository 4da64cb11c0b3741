/**
 * `inspectTrace`: what a trace holds at a glance (size, time span, device demand by
 * shape, type constraints, tenants, durations), as plain data for the CLI and API.
 */
import type { Job } from "../core/model/job.ts";

/** What {@link inspectTrace} reads: a loader's result, or just jobs. */
export interface InspectInput {
  readonly jobs: readonly Job[];
  readonly skipped?: number;
  readonly errors?: readonly string[];
  readonly format?: string;
  readonly file?: string;
}

/** Demand shapes, in display order. Fractions are one device's share. */
export const DEMAND_BUCKETS = [
  "CPU-only",
  "fractional <0.5",
  "fractional ≥0.5",
  "1",
  "2",
  "4",
  "8",
  "other",
] as const;

/** One bucket of the demand histogram. */
export type DemandBucket = (typeof DEMAND_BUCKETS)[number];

/** How many entries the type and tenant lists keep (most jobs first). */
export const TOP_N = 10;

/** A trace summary. Times are seconds; `*Human` are the same as "3d 4h"-style text. */
export interface TraceSummary {
  readonly file?: string;
  readonly format?: string;
  readonly jobs: number;
  readonly skipped: number;
  readonly errors: readonly string[];
  readonly submit: {
    readonly first: number;
    readonly last: number;
    readonly span: number;
    readonly firstHuman: string;
    readonly lastHuman: string;
    readonly spanHuman: string;
  };
  /** Σ devices × deviceMilli / 1000: whole devices if every job ran at once. */
  readonly deviceDemand: number;
  readonly histogram: readonly { bucket: DemandBucket; jobs: number; devices: number }[];
  readonly deviceTypes: {
    /** Jobs that accept only some device types. */
    readonly constrainedJobs: number;
    readonly constrainedShare: number;
    /** Types by how many jobs accept them (a job counts once per type it names). */
    readonly top: readonly { type: string; jobs: number }[];
  };
  readonly tenantCount: number;
  readonly tenants: readonly { tenant: string; jobs: number; devices: number }[];
  /** Over finite durations only; null when every job runs forever. */
  readonly duration: {
    readonly finite: number;
    readonly neverEnding: number;
    readonly mean: number | null;
    readonly p50: number | null;
    readonly p95: number | null;
    readonly max: number | null;
  };
}

/**
 * Summarises a loaded trace. Pure; percentiles use the nearest-rank method
 * (p95 of 20 values is the 19th smallest). An empty job list gives zeros and nulls.
 */
export function inspectTrace(input: InspectInput): TraceSummary {
  const { jobs } = input;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let demandMilli = 0;
  let constrained = 0;
  const buckets = new Map<DemandBucket, { jobs: number; milli: number }>(
    DEMAND_BUCKETS.map((b) => [b, { jobs: 0, milli: 0 }]),
  );
  const types = new Map<string, number>();
  const tenants = new Map<string, { jobs: number; milli: number }>();
  const durations: number[] = [];
  for (const job of jobs) {
    first = Math.min(first, job.submitTime);
    last = Math.max(last, job.submitTime);
    const milli = job.devices * job.deviceMilli;
    demandMilli += milli;
    const b = buckets.get(bucketOf(job))!;
    b.jobs++;
    b.milli += milli;
    if (job.deviceTypes.length > 0) constrained++;
    for (const t of new Set(job.deviceTypes)) types.set(t, (types.get(t) ?? 0) + 1);
    const t = tenants.get(job.tenant) ?? { jobs: 0, milli: 0 };
    t.jobs++;
    t.milli += milli;
    tenants.set(job.tenant, t);
    if (Number.isFinite(job.duration)) durations.push(job.duration);
  }
  if (jobs.length === 0) first = last = 0;
  durations.sort((a, b) => a - b);
  return {
    ...(input.file === undefined ? {} : { file: input.file }),
    ...(input.format === undefined ? {} : { format: input.format }),
    jobs: jobs.length,
    skipped: input.skipped ?? 0,
    errors: [...(input.errors ?? [])],
    submit: {
      first,
      last,
      span: last - first,
      firstHuman: humanSeconds(first),
      lastHuman: humanSeconds(last),
      spanHuman: humanSeconds(last - first),
    },
    deviceDemand: demandMilli / 1000,
    histogram: DEMAND_BUCKETS.map((bucket) => {
      const b = buckets.get(bucket)!;
      return { bucket, jobs: b.jobs, devices: b.milli / 1000 };
    }),
    deviceTypes: {
      constrainedJobs: constrained,
      constrainedShare: jobs.length === 0 ? 0 : constrained / jobs.length,
      top: topN(types, (n) => n).map(([type, n]) => ({ type, jobs: n })),
    },
    tenantCount: tenants.size,
    tenants: topN(tenants, (v) => v.jobs).map(([tenant, v]) => ({
      tenant,
      jobs: v.jobs,
      devices: v.milli / 1000,
    })),
    duration: {
      finite: durations.length,
      neverEnding: jobs.length - durations.length,
      mean: durations.length === 0 ? null : durations.reduce((s, d) => s + d, 0) / durations.length,
      p50: percentile(durations, 0.5),
      p95: percentile(durations, 0.95),
      max: durations.length === 0 ? null : durations[durations.length - 1],
    },
  };
}

/** The histogram bucket of a job's device request. */
export function bucketOf(job: Pick<Job, "devices" | "deviceMilli">): DemandBucket {
  if (job.devices === 0) return "CPU-only";
  if (job.devices === 1 && job.deviceMilli < 500) return "fractional <0.5";
  if (job.devices === 1 && job.deviceMilli < 1000) return "fractional ≥0.5";
  if (job.devices === 1 || job.devices === 2 || job.devices === 4 || job.devices === 8) {
    return String(job.devices) as DemandBucket;
  }
  return "other";
}

/** Nearest-rank percentile of ascending `sorted`; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Seconds as short text with the two largest units: "45s", "12m 5s", "3h 12m",
 * "149d 7h"; "never" for Infinity. Rounds to whole seconds.
 */
export function humanSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "never";
  const sign = seconds < 0 ? "-" : "";
  let s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  if (m > 0) return `${sign}${m}m ${s}s`;
  return `${sign}${s}s`;
}

/** Entries by descending count, then name, cut to {@link TOP_N}. */
function topN<V>(map: Map<string, V>, count: (v: V) => number): [string, V][] {
  return [...map]
    .sort((a, b) => count(b[1]) - count(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_N);
}
