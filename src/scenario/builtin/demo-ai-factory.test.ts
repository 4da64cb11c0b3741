import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../../core/rng.ts";
import { deviceCapacity, nodeTypes, residencyNames } from "../fleet-facts.ts";
import { loadScenario } from "../index.ts";
import { scenarioIssues } from "../scenario-check.ts";
import { checkTenancyAgainstFleet } from "../tenancy-file.ts";
import { countByClass, offeredLoad } from "../workload-stats.ts";
import {
  DEMO_BINDINGS,
  DEMO_LOAD,
  DEMO_TENANCY,
  DEMO_TENANTS,
  demoAiFactoryScenario,
} from "./demo-ai-factory.ts";

const D = 86400;
const scenario = demoAiFactoryScenario({ rng: createRng(1) });
const { fleet } = scenario;

test("the demo passes every check a scenario file would get", () => {
  const issues = scenarioIssues({
    ...scenario,
    mix: { tenants: DEMO_TENANTS, load: DEMO_LOAD },
    bindings: DEMO_BINDINGS,
  });
  assert.deepEqual(issues, []);
  checkTenancyAgainstFleet(DEMO_TENANCY, fleet); // throws on a problem
});

test("top-level guarantees fit the fleet, type by type", () => {
  const capacity = deviceCapacity(fleet);
  const top = DEMO_TENANCY.queues.filter((q) => !q.path.includes("/"));
  assert.deepEqual(
    top.map((q) => q.path),
    ["hyundai", "samsung", "lg", "snu", "startups", "kisti"],
  );
  // 272 ≤ 288 VR, 120 ≤ 128 H100, 112 ≤ 128 ATOM, 64 ≤ 64 RNGD
  const expected: Record<string, [number, number]> = {
    "nvidia-vr-nvl144": [272, 288],
    "nvidia-h100-80g": [120, 128],
    "rebellions-atom": [112, 128],
    "furiosa-rngd": [64, 64],
  };
  for (const [type, [sum, cap]] of Object.entries(expected)) {
    const got = top.reduce((a, q) => a + (q.quota?.[type]?.guaranteed ?? 0), 0);
    assert.equal(got, sum, type);
    assert.equal(capacity.get(type), cap, type);
    assert.ok(got <= cap);
  }
});

test("children's guarantees fit their parents'", () => {
  for (const parent of DEMO_TENANCY.queues) {
    const children = DEMO_TENANCY.queues.filter(
      (q) =>
        q.path.startsWith(`${parent.path}/`) && !q.path.slice(parent.path.length + 1).includes("/"),
    );
    for (const [type, quota] of Object.entries(parent.quota ?? {})) {
      const sum = children.reduce((a, c) => a + (c.quota?.[type]?.guaranteed ?? 0), 0);
      assert.ok(sum <= quota.guaranteed, `${parent.path} ${type}: ${sum} > ${quota.guaranteed}`);
    }
  }
});

test("tranches: nodes of the fleet, on days 3, 7 and 10, each delivered once", () => {
  const nodes = nodeTypes(fleet);
  assert.deepEqual(
    scenario.tranches.map((t) => [t.id, t.time / D, t.nodes.length]),
    [
      ["vr2-second-half", 3, 9], // 9 trays × 8 = 72 devices
      ["h100-pods-2-3", 7, 8], // 8 nodes × 8 = 64
      ["rngd-servers", 10, 8], // 8 servers × 8 = 64
    ],
  );
  const all = scenario.tranches.flatMap((t) => t.nodes);
  assert.equal(new Set(all).size, all.length);
  for (const id of all) assert.ok(nodes.has(id), id);
  assert.deepEqual(
    new Set(scenario.tranches[2].nodes.map((n) => nodes.get(n))),
    new Set(["furiosa-rngd"]),
  );
});

test("maintenance, failures and reservations", () => {
  const [m] = scenario.maintenance;
  assert.ok(m.drainStart < m.start && m.start < m.end);
  assert.deepEqual(scenario.failures, { mtbf: 30 * D, repair: 4 * 3600 });
  const kisti = scenario.reservations.find((r) => r.queue === "kisti");
  assert.deepEqual(
    [kisti?.domain, kisti?.start, kisti?.end],
    ["pangyo/vr-01/nvl144", 5 * D, 5.5 * D],
  );
});

test("residencies name real sites or labels", () => {
  const places = residencyNames(fleet);
  const used = new Set(scenario.workloads.flatMap((w) => (w.residency ? [w.residency] : [])));
  assert.deepEqual([...used].sort(), ["kr-gwangju", "kr-gyeonggi"]);
  for (const r of used) assert.ok(places.includes(r));
});

test("seed 1: a contended two weeks of 2,000–6,000 workloads in every class", () => {
  assert.equal(scenario.horizon, 14 * D);
  const n = scenario.workloads.length;
  assert.ok(n >= 2000 && n <= 6000, `${n} workloads`);
  const counts = countByClass(scenario.workloads);
  for (const c of Object.values(counts)) assert.ok(c > 0);
  assert.ok(counts.batch > counts.simulation && counts.simulation > counts.inference);
  const load = offeredLoad(scenario.workloads, fleet, scenario.horizon);
  assert.ok(load > 0.6 && load < 1.1, `offered load ${load}`);
  const leaves = new Set(DEMO_TENANTS.map((t) => t.queue));
  assert.ok(scenario.workloads.every((w) => leaves.has(w.queue)));
});

test("loadScenario: deterministic by seed; days and scale reshape it", () => {
  const a = loadScenario("demo-ai-factory", { days: 2 });
  assert.equal(
    JSON.stringify(a.workloads),
    JSON.stringify(loadScenario("demo-ai-factory", { days: 2, seed: 1 }).workloads),
  );
  assert.equal(a.horizon, 2 * D);
  assert.ok(a.workloads.every((w) => w.submitTime < 2 * D));
  const doubled = loadScenario("demo-ai-factory", { days: 2, scale: 2 });
  const ratio = doubled.workloads.length / a.workloads.length;
  assert.ok(ratio > 1.8 && ratio < 2.2, String(ratio));
  const other = loadScenario("demo-ai-factory", { days: 2, seed: 2 });
  assert.notEqual(JSON.stringify(other.workloads), JSON.stringify(a.workloads));
});
