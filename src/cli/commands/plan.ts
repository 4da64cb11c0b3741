/**
 * `gongjang plan <scenario> --variants <file>`: capacity planning. Runs the scenario
 * as written (the baseline) and every variant of the variants file under each seed,
 * prints the ranking, a per-tenant table and the plan in plain words (or JSON), and
 * writes plan.json and plan.html (self-contained) to --out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { isSchedulerPolicyName, SCHEDULER_POLICIES } from "../../core/schedule/policies.ts";
import { type PlanResult, runPlan } from "../../plan/run.ts";
import type { VariantSummary } from "../../plan/summary.ts";
import { loadVariantsFile } from "../../plan/variants-file.ts";
import { loadScenarioSpec } from "../../scenario/index.ts";
import { formatDuration, formatFixed, formatPercent } from "../../sim/report/format.ts";
import { parseSeeds } from "../options.ts";
import { alignedTable, type Column } from "./text-table.ts";

type Write = (text: string) => void;

export interface PlanFlags {
  readonly variants: string;
  readonly seeds: string;
  readonly days?: string;
  readonly policy: string;
  readonly out: string;
  readonly json?: boolean;
  readonly jobs?: string;
}

/** Registers `plan` on the program; output through `write`, progress through `warn`. */
export function registerPlan(
  program: Command,
  write: Write = (t) => process.stdout.write(t),
  warn: Write = (t) => process.stderr.write(t),
): void {
  program
    .command("plan")
    .description(
      "capacity planning: run a scenario and its variants (tranche slips, purchases, demand growth) over several seeds, rank them and write an HTML report",
    )
    .argument("<scenario>", "scenario YAML file, or the built-in demo-ai-factory")
    .requiredOption("--variants <file>", "variants YAML file (see docs/planning.md)")
    .option("--seeds <list>", "seeds, e.g. 1-3 or 1,5,9", "1-3")
    .option("--days <n>", "days to simulate (default: the scenario's horizon)")
    .option(
      "--policy <name>",
      `scheduling policy: ${Object.keys(SCHEDULER_POLICIES).join(", ")}`,
      "gongjang-default",
    )
    .option("--out <dir>", "where plan.json and plan.html go", "out/plan")
    .option("--json", "print the plan as JSON instead of tables")
    .option("--jobs <n>", "worker threads (default: CPUs; 1 runs on the main thread)")
    .action(async (scenario: string, flags: PlanFlags) => {
      await runPlanCommand(scenario, flags, write, warn);
    });
}

/** The command's work, callable from tests. Returns the plan. */
export async function runPlanCommand(
  scenario: string,
  flags: PlanFlags,
  write: Write,
  warn: Write = () => {},
): Promise<PlanResult> {
  if (!isSchedulerPolicyName(flags.policy))
    throw new GongjangError(
      "GJ_ERR_POLICY_UNKNOWN",
      `unknown scheduling policy "${flags.policy}"; known: ${Object.keys(SCHEDULER_POLICIES).join(", ")}`,
      { path: "--policy" },
    );
  const seeds = parseSeeds(flags.seeds);
  const days = flags.days === undefined ? undefined : positive(flags.days, "--days", false);
  const jobs = flags.jobs === undefined ? undefined : positive(flags.jobs, "--jobs", true);
  const base = loadScenarioSpec(scenario, days === undefined ? {} : { days });
  const file = loadVariantsFile(flags.variants, base);
  const runs = (file.variants.length + 1) * seeds.length;
  warn(`plan: ${file.variants.length + 1} variants × ${seeds.length} seeds = ${runs} runs\n`);
  const plan = await runPlan(base, file, {
    seeds,
    policy: flags.policy,
    ...(jobs !== undefined && { jobs }),
  });
  mkdirSync(flags.out, { recursive: true });
  writeFileSync(join(flags.out, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  const { renderPlanReport } = await import("../../plan/report.ts");
  writeFileSync(join(flags.out, "plan.html"), renderPlanReport(plan));
  if (flags.json) {
    write(`${JSON.stringify(plan, null, 2)}\n`);
    return plan;
  }
  const ranked = [...plan.variants].sort((a, b) => a.rank - b.rank);
  write(alignedTable(VARIANT_COLUMNS, ranked));
  write("\n");
  write(alignedTable(TENANT_COLUMNS, tenantRows(plan.variants)));
  write(`\n${plan.summary.join("\n")}\n\nwrote plan.json and plan.html to ${flags.out}\n`);
  return plan;
}

const pct01 = (x: number | null) => (x === null ? "–" : formatPercent(100 * x));
const wait = (x: number | null) => (x === null ? "–" : formatDuration(x));
const hours = (x: number) => formatFixed(x, 0);

const VARIANT_COLUMNS: readonly Column<VariantSummary>[] = [
  { title: "rank", cell: (v) => String(v.rank) },
  { title: "variant", cell: (v) => v.name },
  { title: "served/capacity", cell: (v) => formatFixed(v.score, 3) },
  { title: "demand served", cell: (v) => pct01(v.served) },
  { title: "guarantee met", cell: (v) => pct01(v.guaranteeMet) },
  { title: "wait p95", cell: (v) => wait(v.waitP95) },
  { title: "alloc", cell: (v) => formatPercent(v.allocation) },
  { title: "capacity h", cell: (v) => hours(v.capacity.hours) },
  { title: "delivered h", cell: (v) => hours(v.deliveredHours) },
  { title: "demanded h", cell: (v) => hours(v.demandedHours) },
];

interface TenantRow {
  readonly variant: string;
  readonly t: VariantSummary["tenants"][number];
}

function tenantRows(vs: readonly VariantSummary[]): TenantRow[] {
  const names = [...new Set(vs.flatMap((v) => v.tenants.map((t) => t.tenant)))];
  return names.flatMap((name) =>
    vs.flatMap((v) =>
      v.tenants.filter((t) => t.tenant === name).map((t) => ({ variant: v.name, t })),
    ),
  );
}

const TENANT_COLUMNS: readonly Column<TenantRow>[] = [
  { title: "tenant", cell: (r) => r.t.tenant },
  { title: "variant", cell: (r) => r.variant },
  { title: "guarantee met", cell: (r) => pct01(r.t.guaranteeMet) },
  { title: "wait p95", cell: (r) => wait(r.t.waitP95) },
  {
    title: "held/guarantee",
    cell: (r) => (r.t.utilization === null ? "–" : `${formatFixed(r.t.utilization, 2)}×`),
  },
  { title: "delivered h", cell: (r) => hours(r.t.deliveredHours) },
  { title: "demanded h", cell: (r) => hours(r.t.demandedHours) },
  { title: "served", cell: (r) => pct01(r.t.served) },
];

function positive(value: string, option: string, integer: boolean): number {
  const x = Number(value);
  if (!(x > 0) || (integer && !Number.isInteger(x)))
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `${option}: expected ${integer ? "an integer" : "a number"} > 0, got "${value}"`,
      { path: option },
    );
  return x;
}
