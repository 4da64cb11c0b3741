// The capacity-plan examples under examples/plan/ are built on the demo AI factory:
// these tests keep them in step with the built-in scenario and loadable.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { createRng } from "../core/rng.ts";
import { DEMO_TENANCY, demoAiFactorySpec } from "../scenario/builtin/demo-ai-factory.ts";
import { drawScenario, loadScenarioSpec, loadTenancyFile } from "../scenario/index.ts";
import { loadVariantsFile } from "./variants-file.ts";

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples", "plan");

test("demo-tenancy.yaml is the built-in DEMO_TENANCY", () => {
  assert.deepEqual(loadTenancyFile(join(EXAMPLES, "demo-tenancy.yaml")), DEMO_TENANCY);
});

test("tranche-slips/scenario.yaml is the built-in demo scenario, workloads and all", () => {
  const file = loadScenarioSpec(join(EXAMPLES, "tranche-slips", "scenario.yaml"), { days: 2 });
  const builtin = demoAiFactorySpec({ days: 2 });
  for (const key of ["tranches", "maintenance", "failures", "reservations", "bindings"] as const)
    assert.deepEqual(file[key], builtin[key], key);
  assert.deepEqual(file.mix.tenants, builtin.mix.tenants);
  assert.deepEqual(
    drawScenario(file, createRng(5)).workloads,
    drawScenario(builtin, createRng(5)).workloads,
  );
});

test("every example's variants apply to its scenario", () => {
  for (const [dir, names] of [
    ["tranche-slips", ["vr2-slips-7d", "h100-slips-30d", "both-slip", "startups-double"]],
    ["h100-vs-npu", ["plus-128-h100", "plus-256-atom", "plus-256-atom-ported"]],
  ] as const) {
    const base = loadScenarioSpec(join(EXAMPLES, dir, "scenario.yaml"));
    const file = loadVariantsFile(join(EXAMPLES, dir, "variants.yaml"), base);
    assert.deepEqual(
      file.variants.map((v) => v.name),
      names,
    );
  }
});
