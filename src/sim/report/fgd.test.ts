import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BIN_COUNT } from "../../experiments/fgd/bins.ts";
import { compareAllocation, type MeanCurves } from "../../experiments/fgd/validate.ts";
import { renderFgdReport } from "./fgd.ts";

/**
 * A saturating allocation curve like the paper's: tracks arrived % until the policy's
 * ceiling, then flattens (a softplus knee 3 pp wide). `shift` moves it in percentage points.
 */
function curve(ceiling: number, shift = 0): Float64Array {
  const c = new Float64Array(BIN_COUNT);
  for (let k = 0; k < BIN_COUNT; k++) {
    c[k] = k - 3 * Math.log1p(Math.exp((k - ceiling) / 3)) + shift;
  }
  c[130] = Number.NaN; // a bin with no samples: drawn as a gap, not as 0
  return c;
}

const WORKLOADS = ["openb_pod_list_default", "openb_pod_list_gpuspec<33>"];
const POLICIES: [string, number][] = [
  ["01-Random", 78],
  ["02-DotProd", 84],
  ["06-FGD", 93],
];

function means(shift: (w: string, label: string) => number): MeanCurves {
  const m: MeanCurves = new Map();
  // Inserted in reverse so the report must sort rather than follow Map order.
  for (const w of [...WORKLOADS].reverse()) {
    for (const [label, ceiling] of [...POLICIES].reverse()) {
      m.set(`${w}|${label}`, { curve: curve(ceiling, shift(w, label)), n: 10 });
    }
  }
  return m;
}

const OURS = means(() => 0);
// Published DotProd on the second workload sits 2 pp higher: beyond ±1 pp, so it fails.
const PUBLISHED = means((w, l) => (w === WORKLOADS[1] && l === "02-DotProd" ? -2 : 0.3));
const FIDELITY = compareAllocation(OURS, PUBLISHED, 1.0);

const render = () =>
  renderFgdReport({
    ours: OURS,
    published: PUBLISHED,
    fidelity: FIDELITY,
    title: "FGD reproduction",
  });

test("one chart per workload, ours solid and published dashed", () => {
  const html = render();
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, WORKLOADS.length);
  for (const svg of svgs) {
    assert.match(svg, /<path /);
    // Published curves: dashed, in the policy's own colour (the 100 % marker is grey).
    assert.match(svg, /stroke="#4e79a7"[^>]*stroke-dasharray/);
  }
  for (const [label] of POLICIES) assert.ok(html.includes(`>${label}</td>`), label);
  assert.doesNotMatch(html, /zr\d+-/);
});

test("fidelity tables colour pass and fail, and rank at 100 %", () => {
  const html = render();
  assert.equal(FIDELITY.ok, false);
  assert.match(html, /<span class="verdict fail">FAIL: 1 of 6 curves/);
  // Worst deviation of the failing curve: |ours − published| = 2 pp.
  assert.ok(html.includes('<td class="fail">2.000 pp</td>'));
  assert.equal((html.match(/<td class="fail">fail<\/td>/g) ?? []).length, 1);
  assert.equal((html.match(/<td class="pass">pass<\/td>/g) ?? []).length, 5);
  assert.ok(html.includes("<td>06-FGD &gt; 02-DotProd &gt; 01-Random</td>"));
  assert.ok(html.includes('<td class="pass">yes</td>'));
});

test("escapes workload names and is deterministic regardless of Map order", () => {
  const html = render();
  assert.ok(html.includes("Workload openb_pod_list_gpuspec&lt;33&gt;"));
  assert.doesNotMatch(html, /gpuspec<33>/);
  const reordered: MeanCurves = new Map([...OURS.entries()].reverse());
  assert.equal(
    renderFgdReport({
      ours: reordered,
      published: PUBLISHED,
      fidelity: FIDELITY,
      title: "FGD reproduction",
    }),
    html,
  );
});

test("renders ours alone, without published curves or a verdict", () => {
  const html = renderFgdReport({ ours: OURS, title: "ours only" });
  assert.equal((html.match(/<svg /g) ?? []).length, WORKLOADS.length);
  assert.doesNotMatch(html, /stroke="#4e79a7"[^>]*stroke-dasharray|class="verdict|<table/);
  assert.match(renderFgdReport({ ours: new Map(), title: "none" }), /no curves to show/);
});

test("writes an example FGD report to test-output/", () => {
  const dir = join(import.meta.dirname, "../../../test-output");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "fgd-report-example.html"), render());
});
