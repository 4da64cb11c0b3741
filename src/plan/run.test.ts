import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runPlanCommand } from "../cli/commands/plan.ts";
import { loadScenarioSpec } from "../scenario/index.ts";
import { renderPlanReport } from "./report.ts";
import { runPlan } from "./run.ts";
import { loadVariantsFile } from "./variants-file.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const OUT = join(import.meta.dirname, "..", "..", "test-output", "plan");

// Half a day, two tenants, ~60 workloads per run: 4 variants × 2 seeds take a few seconds.
const base = loadScenarioSpec(join(FIXTURES, "small-scenario.yaml"));
const file = loadVariantsFile(join(FIXTURES, "small-variants.yaml"), base);

test("same inputs and seeds give byte-identical plans, on one thread or two", async () => {
  const one = await runPlan(base, file, { seeds: [1, 2], policy: "gongjang-default", jobs: 1 });
  const two = await runPlan(base, file, { seeds: [1, 2], policy: "gongjang-default", jobs: 2 });
  assert.equal(JSON.stringify(one), JSON.stringify(two));
  assert.deepEqual(
    one.variants.map((v) => v.name),
    ["baseline", "late", "more", "busy"],
  );
  assert.deepEqual([...one.variants.map((v) => v.rank)].sort(), [1, 2, 3, 4]);
  // Demand is the baseline's in every variant that changes none: the same workloads.
  const late = one.variants[1];
  assert.equal(late.demandedHours, one.variants[0].demandedHours);
  assert.ok(one.variants[3].demandedHours > one.variants[0].demandedHours); // startup ×2
  // More capacity than the baseline: +64 H100 for 12 h = +768 H100-equivalent hours.
  assert.equal(one.variants[2].capacity.hours - one.variants[0].capacity.hours, 768);
  for (const v of one.variants) {
    assert.ok(v.served > 0 && v.served <= 1, `${v.name} served ${v.served}`);
    assert.equal(v.runs.length, 2);
    for (const t of v.tenants) {
      assert.ok(t.deliveredHours <= t.demandedHours + 1e-6);
      assert.ok(t.guaranteeMet === null || (t.guaranteeMet >= 0 && t.guaranteeMet <= 1));
    }
  }
  assert.match(one.summary[0], /^Ranked by demand served per unit of capacity/);
  assert.ok(one.summary.some((s) => s.startsWith("late: ")));
});

test("gongjang plan end to end: table, summary, plan.json and a self-contained plan.html", async () => {
  let out = "";
  const dir = join(OUT, "cli");
  const plan = await runPlanCommand(
    join(FIXTURES, "small-scenario.yaml"),
    {
      variants: join(FIXTURES, "small-variants.yaml"),
      seeds: "1",
      policy: "gongjang-default",
      out: dir,
      jobs: "1",
    },
    (t) => {
      out += t;
    },
  );
  assert.match(out, /^rank\s+variant\s+served\/capacity/);
  assert.match(out, /Ranked by demand served per unit of capacity/);
  assert.match(out, /wrote plan\.json and plan\.html/);
  assert.deepEqual(
    JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")),
    JSON.parse(JSON.stringify(plan)),
  );
  const html = readFileSync(join(dir, "plan.html"), "utf8");
  assert.ok(!/<script/i.test(html), "no script");
  assert.ok(!/(src|href)="https?:/i.test(html), "nothing to load");
  // Capacity, allocation and pending over time, three tenant bar charts.
  assert.equal((html.match(/<svg/g) ?? []).length, 6);
  for (const name of ["baseline", "late", "more", "busy", "lab", "startup"])
    assert.ok(html.includes(name));
  assert.equal(renderPlanReport(plan), html, "rendering is deterministic");
});

test("report text is escaped", async () => {
  const plan = await runPlan(
    base,
    { description: "<b>x</b>", variants: [] },
    {
      seeds: [1],
      policy: "gongjang-default",
      jobs: 1,
    },
  );
  const evil = { ...plan, variantsDescription: "<script>alert(1)</script>" };
  const html = renderPlanReport(evil);
  assert.ok(!html.includes("<script>alert(1)"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "plan-example.html"), html);
});
