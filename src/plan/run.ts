/**
 * Runs a plan: the baseline and every variant under every seed, each run a
 * multi-tenant simulation of the variant's scenario, reduced to plan metrics, then
 * averaged, ranked and summarised.
 *
 * Demand is held fixed across variants: the arrival rate is calibrated once, on the
 * baseline's fleet (a `load` of 0.8 means 0.8 of the baseline), and every variant
 * draws its workloads at that rate, against the baseline's fleet, with the same
 * seeds. So buying hardware adds capacity, not demand, and a variant that changes
 * no demand runs exactly the baseline's workloads. Only a variant's own demand
 * changes (scaleDemand, setDeviceTypes) move it, and only for the tenants they name
 * (each tenant draws from its own random stream).
 *
 * Determinism: each run depends only on its variant's spec, the seed and the policy,
 * so the result is the same byte for byte whether runs share one thread or spread
 * over worker threads (`jobs`).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { createRng } from "../core/rng.ts";
import type { ScenarioSpec } from "../scenario/spec.ts";
import { drawScenario } from "../scenario/spec.ts";
import { arrivalRate } from "../scenario/workload-mix.ts";
import { simulateWorkloads } from "../sim/workloads/world.ts";
import { capacityOf } from "./capacity.ts";
import { describeChange } from "./describe.ts";
import { type RunMetrics, runMetrics } from "./metrics.ts";
import { planSummary, rankVariants, summarizeVariant, type VariantSummary } from "./summary.ts";
import { BASELINE } from "./types.ts";
import type { VariantsFile } from "./variants-file.ts";

export interface PlanOptions {
  readonly seeds: readonly number[];
  /** Scheduling policy every run uses. */
  readonly policy: string;
  /** Worker threads; 1 runs everything on this thread. Default: CPUs, at most one per run. */
  readonly jobs?: number;
  /** Called after each run finishes (progress). */
  readonly onRun?: (done: number, total: number) => void;
}

/** What `gongjang plan` writes as plan.json and draws in plan.html. */
export interface PlanResult {
  readonly scenario: string;
  readonly description: string;
  readonly variantsDescription: string;
  readonly policy: string;
  readonly seeds: readonly number[];
  /** Seconds simulated. */
  readonly horizon: number;
  /** Submissions per day the demand was drawn at (the baseline's, before demand changes). */
  readonly rate: number;
  /** Baseline first, then the file's variants in order. */
  readonly variants: readonly VariantSummary[];
  /** The plan in plain sentences, the ranking first. */
  readonly summary: readonly string[];
}

/** One simulation: a variant's spec (demand already fixed) under one seed. */
export interface PlanTask {
  readonly spec: ScenarioSpec;
  /** The fleet workloads are drawn against (the baseline's); default the spec's. */
  readonly demandFleet?: Fleet;
  readonly seed: number;
  readonly policy: string;
}

/** `spec` with its arrival rate fixed at `rate` submissions per day (no `load`, scale 1). */
export function fixDemand(spec: ScenarioSpec, rate: number): ScenarioSpec {
  const { load: _, ...mix } = spec.mix;
  return { ...spec, mix: { ...mix, rate, scale: 1 } };
}

/** Runs one task on this thread. Pure: equal tasks give equal metrics. */
export function runTask(task: PlanTask): RunMetrics {
  const drawn = drawScenario(
    { ...task.spec, fleet: task.demandFleet ?? task.spec.fleet },
    createRng(task.seed),
  );
  const scenario = { ...drawn, fleet: task.spec.fleet };
  const result = simulateWorkloads({
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
    policy: task.policy,
    seed: task.seed,
  });
  return runMetrics(result, scenario.workloads, scenario.fleet);
}

/**
 * Runs the baseline (`base`) and every variant of `file` under every seed, and
 * returns the plan. Throws what the simulator throws (GJ_ERR_POLICY_UNKNOWN, …).
 */
export async function runPlan(
  base: ScenarioSpec,
  file: VariantsFile,
  options: PlanOptions,
): Promise<PlanResult> {
  const rate = arrivalRate({ ...base.mix, fleet: base.fleet, horizon: base.horizon });
  const variants = [
    { name: BASELINE, description: "the scenario as written", changes: [], spec: base },
    ...file.variants,
  ];
  const tasks: PlanTask[] = variants.flatMap((v) =>
    options.seeds.map((seed) => ({
      spec: fixDemand(v.spec, rate),
      demandFleet: base.fleet,
      seed,
      policy: options.policy,
    })),
  );
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), tasks.length));
  const metrics = await runAll(tasks, jobs, options.onRun);
  const S = options.seeds.length;
  const summaries = rankVariants(
    variants.map((v, i) =>
      summarizeVariant(
        { name: v.name, description: v.description, changes: v.changes.map(describeChange) },
        capacityOf(v.spec),
        metrics.slice(i * S, (i + 1) * S),
      ),
    ),
  );
  return {
    scenario: base.name,
    description: base.description,
    variantsDescription: file.description,
    policy: options.policy,
    seeds: [...options.seeds],
    horizon: base.horizon,
    rate: Math.round(rate * 1e6) / 1e6,
    variants: summaries,
    summary: planSummary(summaries),
  };
}

type Reply =
  | { readonly i: number; readonly metrics: RunMetrics }
  | { readonly i: number; readonly error: { code?: string; message: string; details?: string[] } };

/** Runs the tasks on `jobs` threads (this one when 1); results in task order. */
async function runAll(
  tasks: readonly PlanTask[],
  jobs: number,
  onRun?: (done: number, total: number) => void,
): Promise<RunMetrics[]> {
  const out: RunMetrics[] = new Array(tasks.length);
  let done = 0;
  if (jobs <= 1) {
    tasks.forEach((t, i) => {
      out[i] = runTask(t);
      onRun?.(++done, tasks.length);
    });
    return out;
  }
  let next = 0;
  const thread = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL("./worker.ts", import.meta.url));
      const feed = () => {
        if (next >= tasks.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        const i = next++;
        w.postMessage({ i, task: tasks[i] });
      };
      w.on("message", (m: Reply) => {
        if ("error" in m) {
          void w.terminate();
          reject(rebuild(m.error));
          return;
        }
        out[m.i] = m.metrics;
        onRun?.(++done, tasks.length);
        feed();
      });
      w.on("error", reject);
      feed();
    });
  await Promise.all(Array.from({ length: jobs }, thread));
  return out;
}

/** A worker's error as thrown on this thread: coded errors keep their code. */
function rebuild(e: { code?: string; message: string; details?: string[] }): Error {
  if (e.code?.startsWith("GJ_ERR_"))
    return new GongjangError(e.code as GongjangError["code"], e.message, {}, e.details ?? []);
  return new Error(e.message);
}
