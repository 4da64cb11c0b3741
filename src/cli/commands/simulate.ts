/**
 * `gongjang simulate`: replay a trace on a fleet, once per policy with the same seed,
 * and compare. Prints an aligned summary table (or the SimResult array with --json);
 * --out also writes <policy>.json per run and report.html. Bad input is thrown as
 * GongjangError; main.ts prints it and exits 2 (bad option) or 3 (bad file).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import cliProgress from "cli-progress";
import { type Command, Option } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { QUEUE_ORDERS, type QueueOrderName } from "../../core/plugins/queue-sort.ts";
import { isPolicyName, POLICIES, type PolicyName } from "../../core/registry.ts";
import { SCHEDULER_POLICIES } from "../../core/schedule/policies.ts";
import { loadFleet } from "../../fleet/index.ts";
import { formatDuration, formatFixed, formatPercent } from "../../sim/report/format.ts";
import { renderSimReport } from "../../sim/report/index.ts";
import type { SimResult } from "../../sim/result.ts";
import { simulate } from "../../sim/world.ts";
import { FORMAT_OPTIONS, type FormatOption, loadTrace } from "../../trace/index.ts";
import { readCapacityEvents } from "../capacity-file.ts";
import { parseList } from "../options.ts";
import { DEFAULT_SCENARIO_POLICIES, runScenarioSimulation } from "./simulate-scenario.ts";
import { alignedTable, type Column } from "./text-table.ts";

/** Where command output goes; tests pass their own to capture it. */
export type Write = (text: string) => void;

const stdout: Write = (text) => {
  process.stdout.write(text);
};
const stderr: Write = (text) => {
  process.stderr.write(text);
};

interface SimulateFlags {
  scenario?: string;
  days?: string;
  scale?: string;
  fleet?: string;
  trace?: string;
  policy?: string;
  seed: string;
  queue: QueueOrderName;
  skipBadRows?: boolean;
  traceFormat: FormatOption;
  until?: string;
  timeScale: string;
  nodesToScore: string;
  capacity?: string;
  out?: string;
  json?: boolean;
}

/**
 * Adds `simulate` to `program`. `write` receives what goes to stdout (the table or
 * JSON), `warn` notes such as skipped rows. The action throws GongjangError on bad
 * input (GJ_ERR_POLICY_UNKNOWN, GJ_ERR_ARGUMENT, and the loaders' file errors) before
 * any run starts, and never sets the exit code itself.
 */
export function registerSimulate(
  program: Command,
  write: Write = stdout,
  warn: Write = stderr,
): void {
  program
    .command("simulate")
    .description(
      "replay a trace on a fleet, or run a multi-tenant scenario, under one or more policies (deterministic for a seed)",
    )
    .option(
      "--scenario <name|file>",
      "multi-tenant scenario: built-in (demo-ai-factory) or scenario YAML; replaces --fleet/--trace",
    )
    .option("--days <n>", "with --scenario: days to simulate (default: the scenario's)")
    .option("--scale <factor>", "with --scenario: multiply arrival rates")
    .option(
      "--fleet <spec>",
      "built-in fleet (openb, demo-ai-factory, synthetic:<nodes>x<devices>) or YAML file",
    )
    .option("--trace <file>", "job trace: generic CSV/JSONL, openb pod list or Tiresias job list")
    .option(
      "--policy <names>",
      `policies, comma-separated. Traces: ${Object.keys(POLICIES).join(", ")}. Scenarios: ${Object.keys(SCHEDULER_POLICIES).join(", ")} (default ${DEFAULT_SCENARIO_POLICIES})`,
    )
    .option("--seed <n>", "random seed; the same seed gives the same result", "42")
    .addOption(
      new Option("--queue <order>", "queue order")
        .choices(Object.keys(QUEUE_ORDERS))
        .default("fifo"),
    )
    .option("--skip-bad-rows", "skip malformed trace rows instead of failing")
    .addOption(
      new Option("--trace-format <format>", "trace format").choices(FORMAT_OPTIONS).default("auto"),
    )
    .option("--until <seconds>", "stop the simulated clock at this time")
    .option(
      "--capacity <file>",
      "capacity changes over time: CSV time,node,kind (join = delivery or repair, leave, fail)",
    )
    .option(
      "--time-scale <factor>",
      "multiply submit times by this factor (0.01 replays arrivals 100× faster: 100× the load)",
      "1",
    )
    .option(
      "--nodes-to-score <n>",
      "feasible nodes to find before scoring: all, adaptive (kube-scheduler's rule) or a number",
      "adaptive",
    )
    .option("--out <dir>", "write <policy>.json per run and report.html here")
    .option("--json", "print the results (a SimResult array) as JSON")
    .action(async (opts: SimulateFlags) => {
      const seed = parseSeed(opts.seed);
      if (opts.scenario !== undefined)
        await runScenarioSimulation({ ...opts, scenario: opts.scenario, seed }, write);
      else runSimulate(opts, seed, write, warn);
    });
}

function runSimulate(opts: SimulateFlags, seed: number, write: Write, warn: Write): void {
  if (opts.fleet === undefined || opts.trace === undefined || opts.policy === undefined)
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      "--fleet, --trace and --policy are required (or give --scenario)",
      {
        path:
          opts.fleet === undefined ? "--fleet" : opts.trace === undefined ? "--trace" : "--policy",
      },
    );
  const policies = parsePolicies(opts.policy);
  const until = opts.until === undefined ? undefined : parseUntil(opts.until);
  const timeScale = parsePositive(opts.timeScale, "--time-scale");
  const nodesToScore = parseNodesToScore(opts.nodesToScore);
  const fleet = loadFleet(opts.fleet);
  const trace = loadTrace(opts.trace, {
    format: opts.traceFormat,
    skipBadRows: opts.skipBadRows ?? false,
  });
  if (trace.skipped > 0 && !opts.json) warn(`skipped ${trace.skipped} bad rows of ${opts.trace}\n`);
  const capacityEvents = opts.capacity ? readCapacityEvents(opts.capacity, fleet) : undefined;
  const traceName = basename(opts.trace);
  const jobs =
    timeScale === 1
      ? trace.jobs
      : trace.jobs.map((j) => ({ ...j, submitTime: j.submitTime * timeScale }));
  const showProgress = process.stderr.isTTY === true && !opts.json;
  const results = policies.map((policy) => {
    const bar = showProgress ? progressBar(policy, jobs.length) : undefined;
    try {
      return simulate({
        fleet,
        jobs,
        policy,
        seed,
        queue: opts.queue,
        nodesToScore,
        capacityEvents,
        until,
        traceName,
        onProgress: bar ? (done) => bar.update(done) : undefined,
      });
    } finally {
      bar?.stop();
    }
  });
  if (opts.out) writeOutputs(opts.out, results, `${traceName} on ${fleet.name}`);
  if (opts.json) {
    write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  write(summaryTable(results));
  if (opts.out)
    write(
      `wrote ${results.map((r) => `${r.policy}.json`).join(", ")} and report.html to ${opts.out}\n`,
    );
}

/** "fgd, bestfit" → ["fgd", "bestfit"]; duplicates run once; unknown names throw GJ_ERR_POLICY_UNKNOWN. */
export function parsePolicies(value: string): PolicyName[] {
  const names = [...new Set(parseList(value, "--policy"))];
  for (const p of names) {
    if (!isPolicyName(p)) {
      throw new GongjangError(
        "GJ_ERR_POLICY_UNKNOWN",
        `unknown policy "${p}"; known: ${Object.keys(POLICIES).join(", ")}`,
        {
          path: "--policy",
        },
      );
    }
  }
  return names as PolicyName[];
}

function parsePositive(value: string, option: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || x <= 0) {
    throw new GongjangError("GJ_ERR_ARGUMENT", `${option}: expected a number > 0, got "${value}"`, {
      path: option,
    });
  }
  return x;
}

function parseNodesToScore(value: string): "all" | "adaptive" | number {
  if (value === "all" || value === "adaptive") return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `--nodes-to-score: expected all, adaptive or an integer ≥ 1, got "${value}"`,
      { path: "--nodes-to-score" },
    );
  }
  return n;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `--seed: expected an integer 0..4294967295, got "${value}"`,
      { path: "--seed" },
    );
  }
  return Number(value);
}

function parseUntil(value: string): number {
  const t = Number(value);
  if (value.trim() === "" || !Number.isFinite(t) || t < 0) {
    throw new GongjangError("GJ_ERR_ARGUMENT", `--until: expected seconds ≥ 0, got "${value}"`, {
      path: "--until",
    });
  }
  return t;
}

function progressBar(policy: string, total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      format: `${policy.padEnd(14)} [{bar}] {percentage}% | {value}/{total} jobs | {duration_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

function writeOutputs(dir: string, results: readonly SimResult[], title: string): void {
  mkdirSync(dir, { recursive: true });
  for (const r of results)
    writeFileSync(join(dir, `${r.policy}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(
    join(dir, "report.html"),
    renderSimReport(results, { title: `gongjang simulate: ${title}` }),
  );
}

const COLUMNS: readonly Column<SimResult>[] = [
  { title: "policy", cell: (r) => r.policy },
  { title: "jobs", cell: (r) => String(r.metrics.jobs) },
  { title: "completed", cell: (r) => String(r.metrics.completed) },
  { title: "rejected", cell: (r) => String(r.metrics.rejected) },
  { title: "JCT mean", cell: (r) => formatDuration(r.metrics.jct.mean) },
  { title: "JCT p95", cell: (r) => formatDuration(r.metrics.jct.p95) },
  { title: "wait mean", cell: (r) => formatDuration(r.metrics.queueingDelay.mean) },
  { title: "wait p95", cell: (r) => formatDuration(r.metrics.queueingDelay.p95) },
  { title: "makespan", cell: (r) => formatDuration(r.metrics.makespan) },
  { title: "alloc", cell: (r) => formatPercent(r.metrics.meanAllocation) },
  { title: "frag", cell: (r) => formatPercent(r.metrics.meanFragmentation) },
  { title: "Jain", cell: (r) => formatFixed(r.metrics.jainIndex, 3) },
];

/** One row per run; the policy column is left-aligned, every other right-aligned. */
export function summaryTable(results: readonly SimResult[]): string {
  return alignedTable(COLUMNS, results);
}
