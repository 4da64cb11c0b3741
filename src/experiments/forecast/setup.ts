/**
 * The forecast backtest's inputs from public traces. openb (Alibaba 2023) is replayed
 * over a slice of days on a scaled-down openb fleet (every k-th GPU node), so that a
 * week of its pods queues for real; Tiresias's 60-job sample runs on a 2 × 4-GPU
 * cluster. Neither trace carries user run-time estimates, so each job gets a Slurm-style
 * time limit: its run time × a seeded factor in [1, 3), rounded up to a usual limit.
 */
import { join } from "node:path";
import type { Fleet, Rack } from "../../core/model/fleet.ts";
import { createRng } from "../../core/rng.ts";
import type { Workload } from "../../core/workload/index.ts";
import { openbFleet } from "../../fleet/builtin/openb.ts";
import { readOpenbPods } from "../../trace/openb/index.ts";
import { readTiresiasJobs, smallTiresiasFleet } from "../../trace/tiresias/index.ts";
import { jobsToWorkloads } from "../../trace/workloads.ts";

/** Time limits users pick from (s): 10 min … 30 days. */
const LIMITS = [600, 1800, 3600, 7200, 14_400, 28_800, 86_400, 259_200, 604_800, 2_592_000];

/** A trace slice, its fleet and where to forecast. */
export interface BacktestSetup {
  readonly name: string;
  readonly fleet: Fleet;
  readonly workloads: Workload[];
  readonly moments: number[];
}

export interface OpenbSliceOptions {
  readonly dir: string;
  /** First day of the slice (day 0 = trace start). */
  readonly fromDay: number;
  readonly days: number;
  /**
   * Days of submissions after the slice that the truth replays too (not forecast at):
   * the real cluster kept receiving work, and a truth that stops at the slice's end
   * would drain faster than any forecast made near it expects. Default 0.
   */
  readonly tailDays?: number;
  /** Keep every k-th GPU node of the openb fleet. */
  readonly nodeEvery: number;
  /** Forecast moments, evenly spread after the first day of the slice. */
  readonly moments: number;
  readonly seed: number;
}

/**
 * openb's default pod list, pods submitted in [fromDay, fromDay + days + tailDays), times
 * from the slice start; moments only in the first `days`.
 */
export function openbSlice(o: OpenbSliceOptions): BacktestSetup {
  const { jobs } = readOpenbPods(join(o.dir, "openb_pod_list_default.csv"));
  const from = o.fromDay * 86_400;
  const to = from + (o.days + (o.tailDays ?? 0)) * 86_400;
  const slice = jobs
    .filter((j) => j.submitTime >= from && j.submitTime < to && Number.isFinite(j.duration))
    .map((j) => ({ ...j, submitTime: j.submitTime - from }));
  const workloads = withEstimates(jobsToWorkloads(slice, "default"), o.seed);
  return {
    name: `openb days ${o.fromDay}–${o.fromDay + o.days}${tailNote(jobs, o)}, every ${o.nodeEvery}th node`,
    fleet: everyKthNode(openbFleet("gpu"), o.nodeEvery),
    workloads,
    moments: spread(86_400, o.days * 86_400, o.moments),
  };
}

/**
 * The tail in the slice's name, and how much of it the trace really has: near the
 * trace's end the truth runs out of arrivals that the forecasts still expect.
 */
function tailNote(jobs: readonly { readonly submitTime: number }[], o: OpenbSliceOptions): string {
  if (!o.tailDays) return "";
  const sliceEnd = (o.fromDay + o.days) * 86_400;
  let last = Number.NEGATIVE_INFINITY;
  for (const j of jobs) last = Math.max(last, j.submitTime);
  const has = Math.max(0, (last - sliceEnd) / 86_400);
  if (has >= o.tailDays) return ` (+${o.tailDays} d replayed)`;
  return ` (+${o.tailDays} d replayed, but the trace ends ${has.toFixed(1)} d after the slice: forecasts near its end meet a truth with no arrivals)`;
}

/** Tiresias's 60 jobs on 2 nodes × 4 GPUs, forecast every `step` seconds. */
export function tiresiasSample(dir: string, moments: number, seed: number): BacktestSetup {
  const { jobs } = readTiresiasJobs(join(dir, "60_job.csv"));
  const workloads = withEstimates(jobsToWorkloads(jobs, "default"), seed);
  const last = Math.max(...workloads.map((w) => w.submitTime));
  return {
    name: "tiresias 60 jobs, 2 × 4 GPUs",
    fleet: smallTiresiasFleet(2, 4),
    workloads,
    moments: spread(60, last + 1800, moments),
  };
}

/** `n` moments evenly spread over [from, to), rounded to seconds. */
function spread(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * (i + 0.5)) / n));
}

/**
 * Each workload with a Slurm-style time limit: its estimate (backfill plans with it) and
 * its maximum run time (Slurm ends a job at its limit; these fleets run at speed 1 and
 * the limit is at least the run time, so the replay never cuts one short).
 */
export function withEstimates(ws: readonly Workload[], seed: number): Workload[] {
  const rng = createRng(seed ^ 0x5eed);
  return ws.map((w) => {
    const want = w.duration * (1 + 2 * rng.next());
    const estimate = LIMITS.find((l) => l >= want) ?? Math.ceil(want / 86_400) * 86_400;
    return { ...w, estimate, maxRuntime: estimate };
  });
}

/** The fleet with only every k-th node (in fleet order); empty racks and domains dropped. */
export function everyKthNode(fleet: Fleet, k: number): Fleet {
  let i = 0;
  const keep = () => i++ % k === 0;
  return {
    ...fleet,
    name: `${fleet.name}/${k}`,
    sites: fleet.sites.map((s) => ({
      ...s,
      racks: s.racks
        .map(
          (r): Rack => ({
            ...r,
            domains: r.domains
              .map((d) => ({ ...d, nodes: d.nodes.filter(keep) }))
              .filter((d) => d.nodes.length > 0),
          }),
        )
        .filter((r) => r.domains.length > 0),
    })),
  };
}
