/**
 * The scenario folder's entry point: turn a built-in name or a scenario file into a
 * Scenario (fleet, tenancy, deliveries, maintenance, failures, reservations and a
 * seeded workload mix), ready for the simulator.
 */
import { GongjangError } from "../core/errors.ts";
import { createRng } from "../core/rng.ts";
import {
  demoAiFactoryScenario,
  demoAiFactorySpec,
  demoDescription,
} from "./builtin/demo-ai-factory.ts";
import { loadScenarioFile, loadScenarioSpecFile, type ScenarioOptions } from "./scenario-file.ts";
import type { ScenarioSpec } from "./spec.ts";
import type { Scenario } from "./types.ts";

export type { ClassBinding, ClassBindings } from "./class-bindings.ts";
export {
  DEFAULT_GROWTH_PERIOD,
  type DemandChange,
  demandMultiplier,
} from "./demand-growth.ts";
export { scenarioIssues, tenantQueueIssues } from "./scenario-check.ts";
export {
  loadScenarioFile,
  loadScenarioSpecFile,
  parseScenarioSpec,
  parseScenarioYaml,
  type ScenarioOptions,
} from "./scenario-file.ts";
export { drawScenario, type ScenarioSpec } from "./spec.ts";
export {
  checkTenancyAgainstFleet,
  loadTenancyFile,
  parseTenancyYaml,
  tenancyFleetIssues,
} from "./tenancy-file.ts";
export type * from "./types.ts";
export { type ClassSettings, DEFAULT_CLASS_SETTINGS } from "./workload-classes.ts";
export {
  arrivalRate,
  generateWorkloads,
  mixIssues,
  type TenantMix,
  type WorkloadMixOptions,
} from "./workload-mix.ts";
export { countByClass, offeredLoad } from "./workload-stats.ts";

/** The built-in scenarios, by the name `loadScenario` accepts, with a one-line description. */
export const BUILTIN_SCENARIOS = [
  { name: "demo-ai-factory", description: demoDescription(14) },
] as const;

const NAMED: Readonly<Record<string, (options: ScenarioOptions) => Scenario>> = {
  "demo-ai-factory": (o) =>
    demoAiFactoryScenario({
      rng: createRng(o.seed ?? 1),
      ...(o.days !== undefined && { days: o.days }),
      ...(o.scale !== undefined && { scale: o.scale }),
    }),
};

/**
 * Resolves `nameOrPath` to a Scenario: a built-in name (see BUILTIN_SCENARIOS), or a
 * path ending in .yaml/.yml read as a scenario file. `seed` (default 1, or the
 * file's), `days` and `scale` override the scenario's. Anything else throws
 * GJ_ERR_SCENARIO_UNKNOWN listing the built-ins; files throw as loadScenarioFile.
 */
export function loadScenario(nameOrPath: string, options: ScenarioOptions = {}): Scenario {
  checkOptions(options);
  if (Object.hasOwn(NAMED, nameOrPath)) return NAMED[nameOrPath](options);
  if (/\.ya?ml$/i.test(nameOrPath)) return loadScenarioFile(nameOrPath, options);
  const names = BUILTIN_SCENARIOS.map((s) => s.name);
  throw new GongjangError(
    "GJ_ERR_SCENARIO_UNKNOWN",
    `unknown scenario "${nameOrPath}": not a built-in scenario or a .yaml file; built-in scenarios: ${names.join(", ")}`,
    {},
    BUILTIN_SCENARIOS.map((s) => `${s.name.padEnd(28)} ${s.description}`),
  );
}

function checkOptions(o: ScenarioOptions): void {
  const bad = (what: string, v: number, rule: string) =>
    new GongjangError("GJ_ERR_WORKLOAD_INVALID", `${what} must be ${rule}, got ${v}`);
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0))
    throw bad("seed", o.seed, "an integer >= 0");
  if (o.days !== undefined && !(o.days > 0)) throw bad("days", o.days, "> 0");
  if (o.scale !== undefined && !(o.scale >= 0)) throw bad("scale", o.scale, ">= 0");
}

/**
 * The spec of a built-in scenario or a scenario file: everything but the workloads
 * (`drawScenario(spec, rng)` draws them). `days` and `scale` apply as in
 * {@link loadScenario}; errors are the same.
 */
export function loadScenarioSpec(
  nameOrPath: string,
  options: Omit<ScenarioOptions, "seed"> = {},
): ScenarioSpec {
  checkOptions(options);
  if (nameOrPath === "demo-ai-factory") return demoAiFactorySpec(options);
  if (/\.ya?ml$/i.test(nameOrPath)) return loadScenarioSpecFile(nameOrPath, options);
  loadScenario(nameOrPath); // throws GJ_ERR_SCENARIO_UNKNOWN
  throw new Error("unreachable");
}
