/**
 * `gongjang experiment forecast-backtest`: replays a trace, forecasts every pending
 * job's start at sampled moments from the state then, and compares with the real
 * start later in the replay, against a naive and a Slurm-like baseline. Prints a
 * markdown table (or JSON). Exit 4 with --check when the P10–P90 coverage is outside
 * 80 % ± 5 points or a baseline's median error is not worse than the forecaster's.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { OPEN_TENANCY } from "../../core/tenancy/spec.ts";
import {
  type BacktestSetup,
  openbSlice,
  tiresiasSample,
} from "../../experiments/forecast/setup.ts";
import { backtestFailures, backtestTable } from "../../experiments/forecast/table.ts";
import { backtest, summarise } from "../../forecast/backtest.ts";
import { EXIT } from "../exit-codes.ts";

const TRACES = join("..", "shared", "traces");

interface ForecastOptions {
  trace: string;
  dir?: string;
  fromDay: string;
  days: string;
  tailDays: string;
  nodeEvery: string;
  moments: string;
  runs: string;
  policy: string;
  seed: string;
  horizonDays: string;
  check?: boolean;
  quantum: string;
  overdispersion: boolean;
  batchEffects: boolean;
  byEstimate?: boolean;
  calibrate: boolean;
  relativeQuantum: string;
  json?: boolean;
}

export function registerForecastBacktest(experiment: Command): void {
  experiment
    .command("forecast-backtest")
    .description("backtest start-time forecasts on a replayed trace against naive and Slurm-like")
    .option("--trace <name>", "openb or tiresias", "openb")
    .option("--dir <dir>", "trace folder (default ../shared/traces/<trace folder>)")
    .option("--from-day <n>", "openb: first day of the slice", "120")
    .option("--days <n>", "openb: days in the slice", "7")
    .option(
      "--tail-days <n>",
      "openb: days of later submissions the truth replays too (never forecast at)",
      "7",
    )
    .option("--node-every <k>", "openb: keep every k-th GPU node of the openb fleet", "600")
    .option("--moments <n>", "forecast moments", "48")
    .option("--runs <n>", "Monte Carlo runs per forecast", "20")
    .option("--policy <name>", "scheduler policy (must not preempt)", "backfill")
    .option("--seed <n>", "seed", "1")
    .option("--horizon-days <n>", "forecast horizon; later starts count as the horizon", "7")
    .option("--quantum <s>", "forecast step in seconds (0: a cycle per event time)", "60")
    .option(
      "--relative-quantum <f>",
      "the step doubles while under this fraction of the time ahead",
      "0.05",
    )
    .option("--no-overdispersion", "plain Poisson arrivals at the recent mean rate")
    .option("--no-batch-effects", "independent run times (no per-hour shared shift)")
    .option("--by-estimate", "draw run times per queue, size and estimate bucket")
    .option("--no-calibrate", "report the simulated bands as they are (no online calibration)")
    .option("--check", "exit 4 unless coverage is 80 % ± 5 and both baselines are beaten")
    .option("--json", "print the summary and points as JSON")
    .action((opts: ForecastOptions) => {
      process.exitCode = runForecastBacktest(opts);
    });
}

function runForecastBacktest(opts: ForecastOptions): number {
  const num = (v: string, name: string) => {
    const x = Number(v);
    if (!(x >= 0))
      throw new GongjangError("GJ_ERR_ARGUMENT", `${name}: expected a number ≥ 0, got "${v}"`, {
        path: name,
      });
    return x;
  };
  const seed = num(opts.seed, "--seed");
  const moments = num(opts.moments, "--moments");
  let setup: BacktestSetup;
  if (opts.trace === "openb") {
    setup = openbSlice({
      dir: opts.dir ?? join(TRACES, "alibaba-gpu-v2023-openb"),
      fromDay: num(opts.fromDay, "--from-day"),
      days: num(opts.days, "--days"),
      tailDays: num(opts.tailDays, "--tail-days"),
      nodeEvery: Math.max(1, num(opts.nodeEvery, "--node-every")),
      moments,
      seed,
    });
  } else if (opts.trace === "tiresias") {
    setup = tiresiasSample(opts.dir ?? join(TRACES, "tiresias-sample"), moments, seed);
  } else {
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `--trace: expected openb or tiresias, got "${opts.trace}"`,
      { path: "--trace" },
    );
  }
  const points = backtest({
    fleet: setup.fleet,
    tenancy: OPEN_TENANCY,
    policy: opts.policy,
    workloads: setup.workloads,
    moments: setup.moments,
    runs: num(opts.runs, "--runs"),
    seed,
    horizon: num(opts.horizonDays, "--horizon-days") * 86_400,
    arrivalWindow: 86_400,
    quantum: num(opts.quantum, "--quantum"),
    relativeQuantum: num(opts.relativeQuantum, "--relative-quantum"),
    overdispersion: opts.overdispersion,
    batchEffects: opts.batchEffects,
    byEstimate: opts.byEstimate,
    calibrate: opts.calibrate,
  });
  const summary = summarise(points);
  const failures = opts.check ? backtestFailures(summary) : [];
  if (opts.json)
    process.stdout.write(`${JSON.stringify({ setup: setup.name, summary, failures, points })}\n`);
  else {
    process.stdout.write(`${backtestTable(setup.name, summary)}\n`);
    for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
  }
  return failures.length > 0 ? EXIT.CHECK_FAILED : EXIT.OK;
}
