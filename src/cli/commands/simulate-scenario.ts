/**
 * `gongjang simulate --scenario <name|file>`: a multi-tenant scenario (fleet, tenancy,
 * tranches, maintenance, failures, reservations, workload mix) under one or more
 * scheduling policies with the same seed. Prints a summary table (or JSON); --out
 * writes <policy>.json per run and report.html (per-tenant wait, share vs guarantee
 * over time, Jain's index).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GongjangError } from "../../core/errors.ts";
import { isSchedulerPolicyName, SCHEDULER_POLICIES } from "../../core/schedule/policies.ts";
import { loadScenario } from "../../scenario/index.ts";
import { formatDuration, formatFixed, formatPercent } from "../../sim/report/format.ts";
import type { WorkloadSimResult } from "../../sim/workloads/result.ts";
import { simulateWorkloads } from "../../sim/workloads/world.ts";
import { parseList } from "../options.ts";
import { alignedTable, type Column } from "./text-table.ts";

export const DEFAULT_SCENARIO_POLICIES = "fifo,drf,gongjang-default";

export interface ScenarioFlags {
  readonly scenario: string;
  readonly policy?: string;
  readonly seed: number;
  readonly days?: string;
  readonly scale?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** Runs the scenario under each policy; writes the table or JSON through `write`. */
export async function runScenarioSimulation(
  opts: ScenarioFlags,
  write: (text: string) => void,
): Promise<WorkloadSimResult[]> {
  const policies = [...new Set(parseList(opts.policy ?? DEFAULT_SCENARIO_POLICIES, "--policy"))];
  for (const p of policies)
    if (!isSchedulerPolicyName(p))
      throw new GongjangError(
        "GJ_ERR_POLICY_UNKNOWN",
        `unknown scheduling policy "${p}"; known: ${Object.keys(SCHEDULER_POLICIES).join(", ")}`,
        { path: "--policy" },
      );
  const scenario = loadScenario(opts.scenario, {
    seed: opts.seed,
    days: opts.days === undefined ? undefined : positive(opts.days, "--days"),
    scale: opts.scale === undefined ? undefined : positive(opts.scale, "--scale"),
  });
  const results = policies.map((policy) =>
    simulateWorkloads({
      name: scenario.name,
      fleet: scenario.fleet,
      tenancy: scenario.tenancy,
      workloads: scenario.workloads,
      tranches: scenario.tranches,
      maintenance: scenario.maintenance,
      retirements: scenario.retirements,
      failures: scenario.failures,
      reservations: scenario.reservations,
      horizon: scenario.horizon,
      policy,
      seed: opts.seed,
    }),
  );
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    for (const r of results)
      writeFileSync(join(opts.out, `${r.policy}.json`), `${JSON.stringify(r, null, 2)}\n`);
    const { renderTenancyReport } = await import("../../sim/report/tenancy.ts");
    writeFileSync(
      join(opts.out, "report.html"),
      renderTenancyReport(results, {
        title: `gongjang simulate: ${scenario.name}`,
        subtitle: `${scenario.workloads.length} workloads, seed ${opts.seed}`,
        scenarioDescription: scenario.description,
      }),
    );
  }
  if (opts.json) write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    write(alignedTable(COLUMNS, results));
    if (opts.out)
      write(
        `wrote ${results.map((r) => `${r.policy}.json`).join(", ")} and report.html to ${opts.out}\n`,
      );
  }
  return results;
}

const COLUMNS: readonly Column<WorkloadSimResult>[] = [
  { title: "policy", cell: (r) => r.policy },
  { title: "workloads", cell: (r) => String(r.workloads.submitted) },
  { title: "completed", cell: (r) => String(r.workloads.completed) },
  { title: "wait mean", cell: (r) => formatDuration(r.wait.mean) },
  { title: "wait p95", cell: (r) => formatDuration(r.wait.p95) },
  { title: "JCT mean", cell: (r) => formatDuration(r.jct.mean) },
  { title: "alloc", cell: (r) => formatPercent(r.meanAllocation) },
  {
    title: "preempted",
    cell: (r) => String(Object.values(r.preemptions).reduce((a, b) => a + b, 0)),
  },
  { title: "reclaims", cell: (r) => String(r.reclaim.count) },
  { title: "restarts", cell: (r) => String(r.restarts) },
  {
    title: "gangs in 1 domain",
    cell: (r) => {
      const all = r.gangLevels.reduce((a, b) => a + b, 0);
      return all > 0 ? formatPercent((100 * r.gangLevels[0]) / all) : "–";
    },
  },
  { title: "Jain", cell: (r) => formatFixed(r.jainIndex, 3) },
];

function positive(value: string, option: string): number {
  const x = Number(value);
  if (!(x > 0))
    throw new GongjangError("GJ_ERR_ARGUMENT", `${option}: expected a number > 0, got "${value}"`, {
      path: option,
    });
  return x;
}
