/**
 * `gongjang experiment fgd`: the FGD paper's workload-inflation experiment, with
 * the published allo.csv / frag.csv layout and an optional fidelity check.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { isPolicyName, type PolicyName } from "../../core/registry.ts";
import { alloCsv, fragCsv } from "../../experiments/fgd/csv.ts";
import { runExperiment } from "../../experiments/fgd/experiment.ts";
import {
  compareAllocation,
  type FidelityReport,
  readPublishedMeans,
  runMeans,
} from "../../experiments/fgd/validate.ts";
import { EXIT } from "../exit-codes.ts";
import { parseList, parseSeeds } from "../options.ts";
import { registerForecastBacktest } from "./experiment-forecast.ts";
import { registerTiresias } from "./experiment-tiresias.ts";

export const PUBLISHED_WORKLOADS = [
  "default",
  "cpu050",
  "cpu100",
  "cpu200",
  "cpu250",
  "gpushare40",
  "gpushare60",
  "gpushare80",
  "gpushare100",
  "gpuspec10",
  "gpuspec20",
  "gpuspec25",
  "gpuspec33",
  "multigpu20",
  "multigpu30",
  "multigpu40",
  "multigpu50",
].map((s) => `openb_pod_list_${s}`);

/** The four workloads the fidelity target names. */
export const FIDELITY_WORKLOADS = ["default", "gpushare100", "multigpu50", "gpuspec33"].map(
  (s) => `openb_pod_list_${s}`,
);

const DEFAULT_TRACES = join("..", "shared", "traces", "alibaba-gpu-v2023-openb");
const DEFAULT_EXPECTED = join("..", "shared", "results", "fgd-atc23-expected-results");
const ALL_POLICIES = "random,dotprod,gpuclustering,gpupacking,bestfit,fgd";

interface FgdOptions {
  workload: string;
  policy: string;
  seeds: string;
  out?: string;
  traces: string;
  expected: string;
  tune: string;
  workers?: string;
  validate?: boolean;
  tolerance: string;
  json?: boolean;
}

export function registerExperiment(program: Command): void {
  const experiment = program.command("experiment").description("reproduce published experiments");
  experiment
    .command("fgd")
    .description("the FGD paper's workload-inflation experiment on the openb trace (USENIX ATC'23)")
    .option(
      "--workload <names>",
      "pod lists, comma-separated, or 'all' (the 17 published) or 'fidelity' (the 4 checked)",
      "openb_pod_list_default",
    )
    .option("--policy <names>", "policies, comma-separated", ALL_POLICIES)
    .option("--seeds <range>", "seeds, e.g. 42-51 or 42,43", "42-51")
    .option("--out <dir>", "write allo.csv, frag.csv, report.html (and fidelity.json) here")
    .option(
      "--traces <dir>",
      "folder with the openb pod lists",
      process.env.GONGJANG_OPENB_DIR ?? DEFAULT_TRACES,
    )
    .option(
      "--expected <dir>",
      "folder with the published analysis_*_discrete.csv",
      DEFAULT_EXPECTED,
    )
    .option("--tune <ratio>", "inflate the pod list to this multiple of GPU capacity", "1.3")
    .option("--workers <n>", "worker threads (default: all cores)")
    .option(
      "--validate",
      "compare mean allocation curves with the published ones; exit 4 when off by more than --tolerance",
    )
    .option("--tolerance <pp>", "allowed deviation in percentage points", "1.0")
    .option("--json", "print machine-readable results")
    .action(async (opts: FgdOptions) => {
      process.exitCode = await runFgdCommand(opts);
    });
  registerTiresias(experiment);
  registerForecastBacktest(experiment);
}

async function runFgdCommand(opts: FgdOptions): Promise<number> {
  const workloads =
    opts.workload === "all"
      ? PUBLISHED_WORKLOADS
      : opts.workload === "fidelity"
        ? FIDELITY_WORKLOADS
        : parseList(opts.workload, "--workload");
  const policies = parseList(opts.policy, "--policy").map((p): PolicyName => {
    if (!isPolicyName(p))
      throw new GongjangError("GJ_ERR_POLICY_UNKNOWN", `unknown policy "${p}"`, {
        path: "--policy",
      });
    return p;
  });
  const seeds = parseSeeds(opts.seeds);
  const tune = Number(opts.tune);
  if (!(tune > 0))
    throw new GongjangError("GJ_ERR_ARGUMENT", `--tune must be > 0, got "${opts.tune}"`);
  const started = performance.now();
  const perPolicy = new Map<string, { runs: number; ms: number; placements: number }>();
  const runs = await runExperiment({
    workloads,
    policies,
    seeds,
    tracesDir: opts.traces,
    tune,
    workers: opts.workers === undefined ? undefined : Number(opts.workers),
    onRunDone: (done, total, run, ms) => {
      const p = perPolicy.get(run.policy) ?? { runs: 0, ms: 0, placements: 0 };
      perPolicy.set(run.policy, {
        runs: p.runs + 1,
        ms: p.ms + ms,
        placements: p.placements + run.placements,
      });
      if (!opts.json && process.stderr.isTTY) process.stderr.write(`\r${done}/${total} runs`);
    },
  });
  if (!opts.json && process.stderr.isTTY) process.stderr.write("\n");
  let fidelity: FidelityReport | undefined;
  if (opts.validate) {
    const published = readPublishedMeans(join(opts.expected, "analysis_allo_discrete.csv"));
    fidelity = compareAllocation(runMeans(runs, "allocation"), published, Number(opts.tolerance));
  }
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, "allo.csv"), alloCsv(runs));
    writeFileSync(join(opts.out, "frag.csv"), fragCsv(runs));
    if (fidelity)
      writeFileSync(join(opts.out, "fidelity.json"), `${JSON.stringify(fidelity, null, 2)}\n`);
    await writeReport(opts, runs, fidelity);
  }
  const speed = [...perPolicy.entries()].map(([policy, p]) => ({
    policy,
    runs: p.runs,
    msPerRun: Math.round(p.ms / p.runs),
    placementsPerSecond: Math.round(p.placements / (p.ms / 1000)),
  }));
  const wallSeconds = (performance.now() - started) / 1000;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ wallSeconds, speed, fidelity }, null, 2)}\n`);
  } else {
    printSummary(speed, wallSeconds, fidelity, opts.out);
  }
  return fidelity && !fidelity.ok ? EXIT.CHECK_FAILED : EXIT.OK;
}

async function writeReport(
  opts: FgdOptions,
  runs: Parameters<typeof runMeans>[0],
  fidelity?: FidelityReport,
): Promise<void> {
  const { renderFgdReport } = await import("../../sim/report/fgd.ts");
  let published: ReturnType<typeof readPublishedMeans> | undefined;
  try {
    published = readPublishedMeans(join(opts.expected, "analysis_allo_discrete.csv"));
  } catch {
    published = undefined;
  }
  const html = renderFgdReport({
    ours: runMeans(runs, "allocation"),
    published,
    fidelity,
    title: "FGD workload-inflation experiment",
  });
  writeFileSync(join(opts.out!, "report.html"), html);
}

function printSummary(
  speed: { policy: string; runs: number; msPerRun: number; placementsPerSecond: number }[],
  wallSeconds: number,
  fidelity: FidelityReport | undefined,
  out: string | undefined,
): void {
  const lines = [
    `${"policy".padEnd(14)}${"runs".padStart(6)}${"ms/run".padStart(9)}${"placements/s".padStart(14)}`,
  ];
  for (const s of speed) {
    lines.push(
      `${s.policy.padEnd(14)}${String(s.runs).padStart(6)}${String(s.msPerRun).padStart(9)}${String(s.placementsPerSecond).padStart(14)}`,
    );
  }
  lines.push(`wall time ${wallSeconds.toFixed(1)} s`);
  if (fidelity) {
    lines.push(
      "",
      `fidelity (mean allocation vs published, every 5 % from 0 to 130 %, tolerance ${fidelity.tolerance} pp):`,
    );
    for (const d of fidelity.deviations) {
      lines.push(
        `  ${d.workload.padEnd(30)} ${d.label.padEnd(17)} worst ${d.worst.toFixed(2)} pp at ${d.worstAt}%  @100: ${d.ours100.toFixed(2)} vs ${d.published100.toFixed(2)}  ${d.ok ? "ok" : "FAIL"}`,
      );
    }
    for (const r of fidelity.ranking)
      lines.push(
        `  ranking @100 ${r.workload}: ${r.ours.join(" > ")}${r.fgdFirst ? "" : "  (FGD not first: FAIL)"}`,
      );
    lines.push(fidelity.ok ? "fidelity: PASS" : "fidelity: FAIL");
  }
  if (out)
    lines.push(
      `wrote ${join(out, "allo.csv")}, ${join(out, "frag.csv")}, ${join(out, "report.html")}`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}
