/**
 * Per-job GPU usage: which of nvidia-smi's compute processes belong to which run.
 *
 * A run's processes share its process group (see runner.ts), so a compute process
 * belongs to the run whose pgid it carries. nvidia-smi has no per-process utilisation
 * in `--query-compute-apps`, so a run's utilisation is that of the GPUs its processes
 * use, which is exact for whole-GPU jobs and an upper bound for shared ones.
 */
import { readFileSync } from "node:fs";
import { listComputeApps, type NvidiaSmiOptions, sampleGpus } from "./nvidia-smi.ts";
import type { ComputeApp, GpuSample } from "./nvidia-smi-csv.ts";

export interface RunUsage {
  readonly key: string;
  /** Compute processes of the run that hold GPU memory. */
  readonly pids: readonly number[];
  /** GPU memory held by the run, summed over its processes (MiB). */
  readonly memoryMiB: number;
  /** Physical GPUs (UUIDs) the run's processes use, sorted. */
  readonly gpus: readonly string[];
  /** Mean utilisation (%) of those GPUs; null without a sample or without GPUs. */
  readonly utilizationGpu: number | null;
}

/**
 * The process group id of `pid` from /proc (Linux), or null when the process is gone
 * or not visible (another pid namespace).
 */
export function pgidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state ppid pgrp …; comm may itself hold spaces or parens.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgid = Number(rest[2]);
    return Number.isInteger(pgid) ? pgid : null;
  } catch {
    return null;
  }
}

/**
 * Attributes compute processes to runs by process group. `runs` maps run key → pgid.
 * Every run gets an entry (zero usage when none of its processes is on a GPU).
 */
export function attributeUsage(
  runs: ReadonlyMap<string, number>,
  apps: readonly ComputeApp[],
  samples: readonly GpuSample[] = [],
  pgid: (pid: number) => number | null = pgidOf,
): Map<string, RunUsage> {
  const keyOfGroup = new Map([...runs].map(([key, group]) => [group, key]));
  const byRun = new Map<string, ComputeApp[]>([...runs.keys()].map((k) => [k, []]));
  for (const app of apps) {
    const group = pgid(app.pid);
    const key = group === null ? undefined : keyOfGroup.get(group);
    if (key !== undefined) byRun.get(key)?.push(app);
  }
  const util = new Map(samples.map((s) => [s.uuid, s.utilizationGpu]));
  const out = new Map<string, RunUsage>();
  for (const [key, mine] of byRun) {
    const gpus = [...new Set(mine.map((a) => a.gpuUuid))].sort();
    const known = gpus.map((g) => util.get(g)).filter((u): u is number => typeof u === "number");
    out.set(key, {
      key,
      pids: mine.map((a) => a.pid).sort((a, b) => a - b),
      memoryMiB: mine.reduce((sum, a) => sum + (a.usedMemoryMiB ?? 0), 0),
      gpus,
      utilizationGpu: known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length,
    });
  }
  return out;
}

/**
 * Samples the node once (compute apps and per-GPU utilisation, two nvidia-smi calls)
 * and attributes usage to `runs` (run key → process group id, i.e. JobRun.pid).
 */
export async function sampleRunUsage(
  runs: ReadonlyMap<string, number>,
  opts: NvidiaSmiOptions = {},
): Promise<Map<string, RunUsage>> {
  const [apps, samples] = await Promise.all([listComputeApps(opts), sampleGpus(opts)]);
  return attributeUsage(runs, apps, samples);
}
