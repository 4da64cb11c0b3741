import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { createRng } from "../core/rng.ts";
import { loadFleet } from "../fleet/index.ts";
import { demandMultiplier, maxDemandMultiplier } from "./demand-growth.ts";
import { parseScenarioSpec } from "./scenario-file.ts";
import { generateWorkloads, type WorkloadMixOptions } from "./workload-mix.ts";

const D = 86400;

test("multipliers: a step at `from`, then compounding per `per`; changes multiply", () => {
  const cases: [Parameters<typeof demandMultiplier>[0], number, number][] = [
    [[], 5 * D, 1],
    [[{ factor: 2 }], 0, 2],
    [[{ factor: 2, from: 3 * D }], 2 * D, 1], // before `from`
    [[{ rate: 1, per: 10 * D }], 10 * D, 2], // (1 + 1)^(10/10)
    [[{ rate: 1, per: 10 * D }], 5 * D, Math.SQRT2], // (1 + 1)^(5/10)
    [[{ rate: 0.5 }], 30 * D, 1.5], // default per 30 d
    [[{ factor: 2 }, { factor: 3, from: D }], 2 * D, 6],
    [[{ factor: 2, rate: -0.5, per: D, from: D }], 3 * D, 0.5], // 2 × 0.5^2
  ];
  for (const [changes, t, want] of cases)
    assert.ok(Math.abs(demandMultiplier(changes, t) - want) < 1e-12, JSON.stringify([changes, t]));
  // The bound covers every time: growth peaks at the horizon, a cut before `from`.
  assert.equal(maxDemandMultiplier([{ rate: 1, per: 10 * D }], 10 * D), 2);
  assert.equal(maxDemandMultiplier([{ factor: 0.5, from: 4 * D }], 10 * D), 1);
});

const fleet = loadFleet("demo-ai-factory");
const mix = (growth?: WorkloadMixOptions["growth"]): WorkloadMixOptions => ({
  fleet,
  horizon: 10 * D,
  rate: 400,
  tenants: [
    { queue: "a", share: 1, mix: { batch: 50, interactive: 50 } },
    { queue: "b/x", share: 1, mix: { batch: 100 } },
  ],
  ...(growth && { growth }),
});
const count = (ws: readonly { queue: string; class: string }[], queue: string, cls?: string) =>
  ws.filter((w) => w.queue === queue && (cls === undefined || w.class === cls)).length;

test("growth draws more of what grows and leaves other tenants' draws alone", () => {
  const flat = generateWorkloads(mix(), createRng(3));
  assert.deepEqual(generateWorkloads(mix([]), createRng(3)), flat); // no change: same draw
  const doubled = generateWorkloads(mix([{ queue: "b", factor: 2 }]), createRng(3));
  // Each tenant has its own stream: a's workloads are identical.
  assert.deepEqual(
    doubled.filter((w) => w.queue === "a"),
    flat.filter((w) => w.queue === "a"),
  );
  // b: 200 a day for 10 days ≈ 2,000, doubled ≈ 4,000
  const ratio = count(doubled, "b/x") / count(flat, "b/x");
  assert.ok(ratio > 1.85 && ratio < 2.15, `ratio ${ratio}`);
  // Interactive of tenant a grows ×4 over the run (rate 3 per 10 d): mean ×(4−1)/ln 4 ≈ 2.16
  const grown = generateWorkloads(
    mix([{ queue: "a", class: "interactive", rate: 3, per: 10 * D }]),
    createRng(3),
  );
  const r = count(grown, "a", "interactive") / count(flat, "a", "interactive");
  assert.ok(r > 1.95 && r < 2.4, `interactive ratio ${r}`);
  const b = count(grown, "a", "batch") / count(flat, "a", "batch");
  assert.ok(b > 0.9 && b < 1.1, `batch ratio ${b}`);
  // Later days hold more of it than earlier ones.
  const early = grown.filter((w) => w.class === "interactive" && w.submitTime < 2 * D).length;
  const late = grown.filter((w) => w.class === "interactive" && w.submitTime >= 8 * D).length;
  assert.ok(late > 2 * early, `${early} → ${late}`);
});

const FILE = join(import.meta.dirname, "fixtures", "growth.yaml");
const text = (extra: string) => `name: g
fleet: demo-ai-factory
horizon: 2d
${extra}
workload:
  rate: 100
  growth:
    - { queue: lab, rate: 0.2, per: 7d }
    - { class: inference, factor: 3, from: 1d }
  tenants:
    - { queue: lab, share: 1, mix: { batch: 1, inference: 1 } }
`;

test("scenario files read retirements and workload.growth", () => {
  const spec = parseScenarioSpec(
    text("retirements:\n  - { id: old, time: 1d, drainStart: 20h, nodes: [h100-00, h100-01] }"),
    FILE,
  );
  assert.deepEqual(spec.retirements, [
    { id: "old", time: D, drainStart: 20 * 3600, nodes: ["h100-00", "h100-01"] },
  ]);
  assert.deepEqual(spec.mix.growth, [
    { queue: "lab", rate: 0.2, per: 7 * D },
    { class: "inference", factor: 3, from: D },
  ]);
});

test("retirement and growth problems at their lines", () => {
  let err: unknown;
  try {
    parseScenarioSpec(
      text(
        "retirements:\n  - { id: old, time: 1d, drainStart: 2d, nodes: [h100-00, zz-01] }",
      ).replace(
        "- { class: inference, factor: 3, from: 1d }",
        "- { queue: nobody, class: training }",
      ),
      FILE,
    );
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof GongjangError);
  assert.deepEqual(err.details, [
    `${FILE}:5 retirements[0].nodes[1]: unknown node "zz-01" in fleet demo-ai-factory`,
    `${FILE}:5 retirements[0].drainStart: 172800 is after time 86400`,
    `${FILE}:10 workload.growth[1].class: unknown workload class "training" (classes: batch, inference, simulation, interactive)`,
    `${FILE}:10 workload.growth[1]: give factor (a step), rate (compounding growth) or both`,
  ]);
});
