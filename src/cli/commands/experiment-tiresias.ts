/**
 * `gongjang experiment tiresias`: FIFO, SJF, 2D-LAS and EASY backfill on Tiresias's
 * 60-job sample trace, over the bundled cluster specs and small clusters, as a
 * markdown table (or JSON). Exit 4 with --check when 2D-LAS does not beat FIFO on
 * mean JCT on every cluster where jobs queue.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { GongjangError } from "../../core/errors.ts";
import {
  runTiresias,
  smallClusters,
  type TiresiasCluster,
  type TiresiasRow,
  tiresiasTable,
} from "../../experiments/tiresias/index.ts";
import { tiresiasClusterFleet } from "../../trace/tiresias/cluster.ts";
import { readTiresiasJobs } from "../../trace/tiresias/jobs.ts";
import { EXIT } from "../exit-codes.ts";
import { parseList } from "../options.ts";

const SAMPLE_DIR = join("..", "shared", "traces", "tiresias-sample");
const BUNDLED = join("src", "trace", "tiresias", "fixtures");

interface TiresiasOptions {
  dir: string;
  specs: string;
  policy: string;
  thresholds: string;
  seed: string;
  check?: boolean;
  json?: boolean;
}

export function registerTiresias(experiment: Command): void {
  experiment
    .command("tiresias")
    .description("FIFO vs SJF vs 2D-LAS vs backfill on Tiresias's 60-job trace (NSDI'19)")
    .option(
      "--dir <dir>",
      "folder with 60_job.csv and the cluster specs",
      existsSync(SAMPLE_DIR) ? SAMPLE_DIR : BUNDLED,
    )
    .option(
      "--specs <files>",
      "cluster spec files in --dir, comma-separated",
      "cluster_spec.csv,n32g4.csv",
    )
    .option("--policy <names>", "policies, comma-separated", "fifo,sjf,las,backfill")
    .option("--thresholds <gpu-seconds>", "2D-LAS queue limits, comma-separated", "3250")
    .option("--seed <n>", "seed", "1")
    .option("--check", "exit 4 unless 2D-LAS beats FIFO on mean JCT wherever jobs queue")
    .option("--json", "print the rows as JSON")
    .action((opts: TiresiasOptions) => {
      process.exitCode = runTiresiasCommand(opts);
    });
}

function runTiresiasCommand(opts: TiresiasOptions): number {
  const { jobs } = readTiresiasJobs(join(opts.dir, "60_job.csv"));
  const specs = parseList(opts.specs, "--specs").filter((f) => existsSync(join(opts.dir, f)));
  const clusters: TiresiasCluster[] = [
    ...specs.map((f) => ({
      name: basename(f, ".csv"),
      fleet: tiresiasClusterFleet(join(opts.dir, f)),
    })),
    ...smallClusters(),
  ];
  const thresholds = parseList(opts.thresholds, "--thresholds").map(Number);
  if (thresholds.some((x) => !(x > 0)))
    throw new GongjangError("GJ_ERR_ARGUMENT", `--thresholds: expected positive numbers`, {
      path: "--thresholds",
    });
  const rows = runTiresias(
    jobs,
    clusters,
    parseList(opts.policy, "--policy"),
    thresholds,
    Number(opts.seed),
  );
  const failures = opts.check ? lasVersusFifo(rows) : [];
  if (opts.json) process.stdout.write(`${JSON.stringify({ rows, failures }, null, 2)}\n`);
  else {
    process.stdout.write(`${tiresiasTable(rows)}\n`);
    for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
  }
  return failures.length > 0 ? EXIT.CHECK_FAILED : EXIT.OK;
}

/** Clusters where FIFO queues (mean wait > 0) but 2D-LAS does not beat it on mean JCT. */
export function lasVersusFifo(rows: readonly TiresiasRow[]): string[] {
  const out: string[] = [];
  for (const fifo of rows.filter((r) => r.policy === "fifo" && r.meanWait > 0)) {
    const las = rows.find((r) => r.policy === "las" && r.cluster === fifo.cluster);
    if (las && !(las.meanJct < fifo.meanJct))
      out.push(`${fifo.cluster}: 2D-LAS mean JCT ${las.meanJct} ≥ FIFO ${fifo.meanJct}`);
  }
  return out;
}
