// Fidelity: our mean allocation curves over seeds 42–51 must lie within 1.0 point of
// the FGD paper's published means at every 5 % step, for four openb workloads and
// six policies, and FGD must rank first at 100 % arrived. Reads the public trace and
// results from ../shared (CI has them beside the checkout; elsewhere the test skips).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FIDELITY_WORKLOADS } from "../../src/cli/commands/experiment.ts";
import { runExperiment } from "../../src/experiments/fgd/experiment.ts";
import {
  compareAllocation,
  readPublishedMeans,
  runMeans,
} from "../../src/experiments/fgd/validate.ts";

const root = join(import.meta.dirname, "..", "..");
const traces = join(root, "..", "shared", "traces", "alibaba-gpu-v2023-openb");
const expected = join(
  root,
  "..",
  "shared",
  "results",
  "fgd-atc23-expected-results",
  "analysis_allo_discrete.csv",
);
const present = existsSync(traces) && existsSync(expected);

test("FGD experiment reproduces the published allocation curves", {
  skip: !present && !process.env.CI && "../shared traces not found",
}, async (t) => {
  assert.ok(present, "CI must have ../shared/traces and ../shared/results beside the checkout");
  const seeds = Array.from({ length: 10 }, (_, i) => 42 + i);
  const runs = await runExperiment({
    workloads: FIDELITY_WORKLOADS,
    policies: ["random", "dotprod", "gpuclustering", "gpupacking", "bestfit", "fgd"],
    seeds,
    tracesDir: traces,
  });
  assert.equal(runs.length, 4 * 6 * 10);
  const report = compareAllocation(runMeans(runs, "allocation"), readPublishedMeans(expected), 1.0);
  for (const d of report.deviations) {
    t.diagnostic(`${d.workload} ${d.label}: worst ${d.worst.toFixed(2)} pp at ${d.worstAt}%`);
  }
  assert.equal(report.deviations.length, 24);
  const off = report.deviations.filter((d) => !d.ok);
  assert.deepEqual(off, [], "every curve within 1.0 pp");
  for (const r of report.ranking)
    assert.equal(r.ours[0], "06-FGD", `${r.workload}: FGD ranks first at 100 %`);
});
