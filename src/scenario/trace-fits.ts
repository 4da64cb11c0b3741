/**
 * The public-trace numbers the workload generator is drawn from, read at run time
 * from files in the repository (never from ../shared):
 *
 * - data/helios/cluster_summary.csv (AcmeTrace; Helios SC'21, Acme NSDI'24): median
 *   and mean GPU-job run times per cluster → log-normal run-time fits, and mean GPUs
 *   per job → the gang-size distribution;
 * - data/openb/openb_pod_list_default.csv (Alibaba, FGD ATC'23): real single-GPU pod
 *   shapes (GPU share, CPU, memory) for simulation jobs.
 */
import { join, resolve } from "node:path";
import { GongjangError } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { columnIndex, parseCsv } from "../trace/csv.ts";
import { readOpenbPods } from "../trace/openb/index.ts";
import { readTraceText } from "../trace/source.ts";

const DATA = resolve(import.meta.dirname, "..", "..", "data");
export const CLUSTER_SUMMARY_FILE = join(DATA, "helios", "cluster_summary.csv");
export const OPENB_PODS_FILE = join(DATA, "openb", "openb_pod_list_default.csv");

/** The columns we use of one cluster_summary.csv row (seconds, GPUs). */
export interface ClusterStats {
  readonly id: string;
  readonly meanRunTime: number;
  readonly medianRunTime: number;
  readonly meanGpus: number;
  readonly medianGpus: number;
}

const COLUMNS = [
  "id",
  "avg_run_time_gpu",
  "med_run_time_gpu",
  "avg_gpu_num",
  "med_gpu_num",
] as const;

let clusters: ReadonlyMap<string, ClusterStats> | undefined;

/** The clusters of data/helios/cluster_summary.csv by id (Seren, Kalos, Philly, Helios, PAI). */
export function clusterStats(): ReadonlyMap<string, ClusterStats> {
  if (clusters !== undefined) return clusters;
  const file = CLUSTER_SUMMARY_FILE;
  const table = parseCsv(readTraceText(file), file);
  const col = columnIndex<(typeof COLUMNS)[number]>(table, file, "cluster summary", COLUMNS, []);
  const out = new Map<string, ClusterStats>();
  for (const { cells } of table.rows) {
    const num = (c: (typeof COLUMNS)[number]) => Number(cells[col[c]]);
    out.set(cells[col.id], {
      id: cells[col.id],
      meanRunTime: num("avg_run_time_gpu"),
      medianRunTime: num("med_run_time_gpu"),
      meanGpus: num("avg_gpu_num"),
      medianGpus: num("med_gpu_num"),
    });
  }
  clusters = out;
  return out;
}

/** One cluster's row; GJ_ERR_WORKLOAD_INVALID naming the known ones if absent. */
export function cluster(id: string): ClusterStats {
  const c = clusterStats().get(id);
  if (c === undefined)
    throw new GongjangError(
      "GJ_ERR_WORKLOAD_INVALID",
      `no cluster "${id}" in ${CLUSTER_SUMMARY_FILE}; it has ${[...clusterStats().keys()].join(", ")}`,
    );
  return c;
}

/** A log-normal run-time distribution, clamped to [min, max] seconds. */
export interface LogNormal {
  readonly mu: number;
  readonly sigma: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The log-normal with median `median` and mean `mean` (mean ≥ median): median =
 * e^mu and mean = e^(mu + sigma²/2), so mu = ln median and sigma = √(2 ln(mean/median)).
 */
export function logNormalFromMedianMean(
  median: number,
  mean: number,
  min: number,
  max: number,
): LogNormal {
  if (!(median > 0) || !(mean >= median))
    throw new GongjangError(
      "GJ_ERR_WORKLOAD_INVALID",
      `a log-normal needs 0 < median <= mean, got median ${median}, mean ${mean}`,
    );
  return { mu: Math.log(median), sigma: Math.sqrt(2 * Math.log(mean / median)), min, max };
}

/** A standard normal draw (Box–Muller; two uniforms per draw, the second value dropped). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) is -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A draw from `d`, clamped and rounded to whole seconds. */
export function sampleLogNormal(d: LogNormal, rng: Rng): number {
  const x = Math.exp(d.mu + d.sigma * normal(rng));
  return Math.round(Math.min(d.max, Math.max(d.min, x)));
}

/**
 * Gang sizes over powers of two 1, 2, 4, … up to `max` members, with P(2^k) ∝ q^k.
 * Every trace row has a median of 1 GPU per job while the mean is far higher, so
 * sizes fall off from the smallest and the tail carries the mean: a geometric decay
 * over the power-of-two sizes real jobs use. q is found by bisection so that the
 * mean size is `mean` (clamped to what 1..max allows). Returns [size, probability].
 */
export function gangSizes(mean: number, max: number): [number, number][] {
  const sizes: number[] = [];
  for (let s = 1; s <= max; s *= 2) sizes.push(s);
  const weights = (q: number) => sizes.map((_, k) => q ** k);
  const meanOf = (q: number) => {
    const w = weights(q);
    const total = w.reduce((a, b) => a + b, 0);
    return w.reduce((a, x, k) => a + x * sizes[k], 0) / total;
  };
  let lo = 0;
  let hi = 8; // q > 1 puts the mode at the largest size; the mean is monotone in q
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanOf(mid) < mean) lo = mid;
    else hi = mid;
  }
  const w = weights(lo);
  const total = w.reduce((a, b) => a + b, 0);
  return sizes.map((s, k) => [s, w[k] / total]);
}

/** Draws a value from [value, probability] pairs (probabilities summing to 1). */
export function pick<T>(table: readonly (readonly [T, number])[], rng: Rng): T {
  let u = rng.next();
  for (const [v, p] of table) {
    if (u < p) return v;
    u -= p;
  }
  return table[table.length - 1][0];
}

/** A single-device pod's shape from openb: share of the device, CPU and memory. */
export interface PodShape {
  readonly deviceMilli: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

let podShapes: readonly PodShape[] | undefined;

/**
 * The openb pods that ask for exactly one GPU (whole or a share), in file order:
 * what one simulation worker looks like in a production GPU cluster.
 */
export function openbSingleGpuShapes(): readonly PodShape[] {
  if (podShapes !== undefined) return podShapes;
  podShapes = readOpenbPods(OPENB_PODS_FILE)
    .jobs.filter((j) => j.devices === 1)
    .map((j) => ({ deviceMilli: j.deviceMilli, cpuMilli: j.cpuMilli, memoryMiB: j.memoryMiB }));
  return podShapes;
}
