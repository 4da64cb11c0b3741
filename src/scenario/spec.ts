/**
 * A scenario before its workloads are drawn: the fleet, tenancy and capacity over
 * time, plus how to draw the workloads. Files and built-ins produce one; a seed
 * turns it into a Scenario. Capacity planning patches specs (src/plan) and draws
 * each variant with the same seeds.
 */
import { createRng, type Rng } from "../core/rng.ts";
import { settingsFromBindings } from "./class-bindings.ts";
import type { ScenarioParts } from "./scenario-check.ts";
import type { Scenario } from "./types.ts";
import { generateWorkloads } from "./workload-mix.ts";

/** Everything a Scenario holds but its workloads, and how to draw them. */
export interface ScenarioSpec extends ScenarioParts {
  readonly name: string;
  readonly description: string;
  /** The file's seed of the workload draw, if it gives one. */
  readonly seed?: number;
}

/**
 * Draws `spec`'s workloads with `rng` (default createRng of the spec's seed, else 1)
 * and returns the Scenario. Pure and deterministic: equal specs and seeds give equal scenarios.
 * Throws GJ_ERR_WORKLOAD_INVALID when the mix is invalid (a checked spec never is).
 */
export function drawScenario(spec: ScenarioSpec, rng?: Rng): Scenario {
  const workloads = generateWorkloads(
    {
      ...spec.mix,
      fleet: spec.fleet,
      horizon: spec.horizon,
      settings: settingsFromBindings(spec.bindings, spec.tenancy),
    },
    rng ?? createRng(spec.seed ?? 1),
  );
  return {
    name: spec.name,
    description: spec.description,
    fleet: spec.fleet,
    tenancy: spec.tenancy,
    workloads,
    tranches: spec.tranches,
    maintenance: spec.maintenance,
    ...((spec.retirements ?? []).length > 0 && { retirements: spec.retirements }),
    ...(spec.failures !== undefined && { failures: spec.failures }),
    reservations: spec.reservations,
    horizon: spec.horizon,
  };
}
