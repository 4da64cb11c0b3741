/**
 * The Tiresias check (Gu et al., NSDI'19): replay the 60-job sample trace under FIFO,
 * SJF, 2D-LAS and EASY backfill on several cluster sizes and compare mean JCT. The
 * paper's finding to reproduce: 2D-LAS, which needs no runtime knowledge, beats FIFO.
 *
 * The bundled cluster specs (64 and 128 GPUs) are large for 60 jobs, so little
 * queues there; small clusters (16 and 8 GPUs, 4 per node) make the policies differ.
 * Each job of g GPUs is a gang of g one-GPU members (Tiresias's "count" placement
 * scheme: any free GPUs, packed where possible).
 */
import type { Fleet } from "../../core/model/fleet.ts";
import type { Job } from "../../core/model/job.ts";
import { TIRESIAS_THRESHOLDS } from "../../core/schedule/policies.ts";
import { round6 } from "../../sim/metrics.ts";
import { simulateWorkloads } from "../../sim/workloads/world.ts";
import { smallTiresiasFleet } from "../../trace/tiresias/cluster.ts";
import { jobsToWorkloads } from "../../trace/workloads.ts";

export const TIRESIAS_POLICIES = ["fifo", "sjf", "las", "backfill"] as const;

export interface TiresiasCluster {
  readonly name: string;
  readonly fleet: Fleet;
}

export interface TiresiasRow {
  readonly cluster: string;
  readonly gpus: number;
  readonly policy: string;
  readonly meanJct: number;
  readonly p95Jct: number;
  readonly meanWait: number;
  readonly makespan: number;
  readonly preemptions: number;
  readonly completed: number;
}

/** The small clusters the issue asks for besides the bundled specs. */
export function smallClusters(): TiresiasCluster[] {
  return [
    { name: "n4g4", fleet: smallTiresiasFleet(4, 4) },
    { name: "n2g4", fleet: smallTiresiasFleet(2, 4) },
  ];
}

/**
 * Runs every policy on every cluster. `thresholds`: 2D-LAS queue limits in
 * GPU-seconds (default Tiresias's 3,250). Deterministic for a seed.
 */
export function runTiresias(
  jobs: readonly Job[],
  clusters: readonly TiresiasCluster[],
  policies: readonly string[] = TIRESIAS_POLICIES,
  thresholds: readonly number[] = TIRESIAS_THRESHOLDS,
  seed = 1,
): TiresiasRow[] {
  const workloads = jobsToWorkloads(jobs, "default");
  const firstSubmit = Math.min(...jobs.map((j) => j.submitTime));
  const rows: TiresiasRow[] = [];
  for (const c of clusters) {
    const gpus = c.fleet.sites
      .flatMap((s) => s.racks.flatMap((r) => r.domains.flatMap((d) => d.nodes)))
      .reduce((n, node) => n + node.devices, 0);
    for (const policy of policies) {
      const r = simulateWorkloads({
        name: `tiresias-60/${c.name}`,
        fleet: c.fleet,
        tenancy: { queues: [] },
        workloads,
        policy,
        seed,
        lasThresholds: thresholds,
      });
      const p = r.preemptions;
      rows.push({
        cluster: c.name,
        gpus,
        policy,
        meanJct: r.jct.mean,
        p95Jct: r.jct.p95,
        meanWait: r.wait.mean,
        makespan: round6(r.horizon - firstSubmit),
        preemptions: p.priority + p.reclaim + p.maintenance + p.reservation,
        completed: r.workloads.completed,
      });
    }
  }
  return rows;
}

/** A markdown table of the rows, one line per (cluster, policy). */
export function tiresiasTable(rows: readonly TiresiasRow[]): string {
  const lines = [
    "| cluster | GPUs | policy | mean JCT (s) | p95 JCT (s) | mean wait (s) | makespan (s) | preemptions |",
    "|---|---:|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.cluster} | ${r.gpus} | ${r.policy} | ${r.meanJct.toFixed(1)} | ${r.p95Jct.toFixed(1)} | ${r.meanWait.toFixed(1)} | ${r.makespan.toFixed(0)} | ${r.preemptions} |`,
    );
  return lines.join("\n");
}
