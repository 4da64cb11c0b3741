import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Distribution, SimResult, TenantMetrics, TimePoint } from "../result.ts";
import { formatDuration, formatPercent } from "./format.ts";
import { renderSimReport } from "./index.ts";
import { winners } from "./summary.ts";

const DAY = 86400;

/** A plausible distribution scaled from a mean (p50 below it, long tail above). */
function dist(count: number, mean: number): Distribution {
  if (count === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return { count, mean, p50: mean * 0.45, p95: mean * 3.1, p99: mean * 6.2, max: mean * 9 };
}

interface Shape {
  policy: string;
  /** Steady-state allocation %, fragmentation %, JCT mean (s), wait mean (s). */
  alloc: number;
  frag: number;
  jct: number;
  wait: number;
  makespan: number;
  jain: number;
  rejected: number;
}

const TENANTS = ["research", "prod-inference", "<script>alert(1)</script>", "intern & co"];

/** Deterministic synthetic run: smooth curves with a slow wobble, no randomness. */
function simResult(s: Shape): SimResult {
  const jobs = 2400;
  const completed = jobs - s.rejected - 12;
  const timeline: TimePoint[] = [];
  for (let i = 0; i < 400; i++) {
    const t = (s.makespan * i) / 399;
    const ramp = 1 - Math.exp(-t / (0.08 * s.makespan));
    const tail = t > 0.85 * s.makespan ? (s.makespan - t) / (0.15 * s.makespan) : 1;
    const wobble = 1 + 0.05 * Math.sin(i / 7);
    timeline.push({
      t,
      allocation: Math.min(100, s.alloc * ramp * tail * wobble),
      fragmentation: s.frag * ramp * tail * (1 + 0.1 * Math.cos(i / 11)),
      queued: Math.round(180 * ramp * tail * Math.abs(Math.sin(i / 40))),
      running: Math.round(300 * ramp * tail),
    });
  }
  // JCT CDF from 45 s to ~2 d, log-spaced: spans > 2 decades, so the axis goes log.
  const jctCdf: [number, number][] = [];
  for (let k = 0; k < 200; k++) {
    jctCdf.push([45 * Math.exp((k / 199) * Math.log((s.jct * 12) / 45)), (k + 1) / 200]);
  }
  const weights = [0.46, 0.31, 0.15, 0.08];
  const tenants: TenantMetrics[] = TENANTS.map((tenant, i) => ({
    tenant,
    jobs: Math.round(jobs * weights[i]),
    jct: dist(Math.round(completed * weights[i]), s.jct * (0.8 + 0.15 * i)),
    queueingDelay: dist(Math.round(completed * weights[i]), s.wait * (0.6 + 0.4 * i)),
    deviceSeconds: weights[i] * 4.2e7,
    share: weights[i],
  }));
  return {
    fleet: "demo-h100-a100",
    trace: "alibaba-openb-2023",
    policy: s.policy,
    seed: 42,
    cycles: 18234,
    placements: completed + 37,
    events: 61234,
    metrics: {
      jobs,
      completed,
      rejected: s.rejected,
      unfinished: 12,
      restarts: 37,
      jct: dist(completed, s.jct),
      queueingDelay: dist(completed, s.wait),
      makespan: s.makespan,
      meanAllocation: s.alloc * 0.9,
      meanFragmentation: s.frag * 0.9,
      jainIndex: s.jain,
      tenants,
      timeline,
      jctCdf,
    },
  };
}

const RESULTS: SimResult[] = [
  simResult({
    policy: "fgd",
    alloc: 91,
    frag: 4.2,
    jct: 5400,
    wait: 900,
    makespan: 3.1 * DAY,
    jain: 0.71,
    rejected: 3,
  }),
  simResult({
    policy: "best-fit",
    alloc: 86,
    frag: 9.8,
    jct: 5100,
    wait: 1100,
    makespan: 3.4 * DAY,
    jain: 0.74,
    rejected: 3,
  }),
  simResult({
    policy: "random",
    alloc: 78,
    frag: 15.5,
    jct: 7900,
    wait: 2600,
    makespan: 3.9 * DAY,
    jain: 0.69,
    rejected: 5,
  }),
];

const render = () =>
  renderSimReport(RESULTS, {
    title: "Policy comparison <demo>",
    subtitle: "3 policies × 2,400 jobs",
  });

function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

function row(html: string, label: string): string {
  const m = html.match(
    new RegExp(`<tr><td><span class="swatch"[^>]*></span>${label}</td>.*?</tr>`),
  );
  assert.ok(m, `summary row for ${label}`);
  return m[0];
}

test("one non-empty SVG per chart, every policy named, no leftover global ids", () => {
  const html = render();
  const charts = svgs(html);
  // allocation, fragmentation, queue, JCT CDF, wait by tenant, share by tenant
  assert.equal(charts.length, 6);
  for (const svg of charts) assert.match(svg, /<path /);
  for (const r of RESULTS) assert.ok(html.includes(`>${r.policy}</td>`), r.policy);
  assert.doesNotMatch(html, /zr\d+-/);
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length > 0);
  assert.equal(new Set(ids).size, ids.length, "ids unique across the page");
});

test("winner cells are marked per column direction", () => {
  const html = render();
  const win = (text: string) => `<td class="win" title="best in column">${text}</td>`;
  // Lower JCT mean wins: best-fit 5100 s = 1.42 h beats fgd 1.50 h and random 2.19 h.
  assert.ok(row(html, "best-fit").includes(win(formatDuration(5100))));
  // Higher allocation wins: fgd 91 × 0.9 = 81.9 %.
  assert.ok(row(html, "fgd").includes(win(formatPercent(81.9))));
  // Lower fragmentation wins: fgd 4.2 × 0.9 = 3.78 % → "3.8%".
  assert.ok(row(html, "fgd").includes(win("3.8%")));
  // Rejected: fgd and best-fit tie at 3 (both win), random 5 does not.
  assert.ok(row(html, "fgd").includes(win("3")));
  assert.ok(row(html, "best-fit").includes(win("3")));
  assert.ok(!row(html, "random").includes(win("5")));
  // "Jobs" is equal for all and has no direction: nobody wins it.
  assert.ok(!html.includes(win("2,400")));
});

test("winners(): ties, missing values and all-equal columns", () => {
  const cases: [(number | undefined)[], "lower" | "higher" | "none", number[]][] = [
    [[3, 1, 2], "lower", [1]],
    [[3, 1, 2], "higher", [0]],
    [[1, 1, 2], "lower", [0, 1]], // tie for best: both marked
    [[4, 4, 4], "lower", []], // all equal: no information
    [[undefined, 5, 7], "lower", [1]], // no completed job: not a contender
    [[undefined, 5, undefined], "lower", []], // one contender: nothing to win
    [[1, 2], "none", []],
    [[Number.NaN, 2, 3], "higher", [2]],
  ];
  for (const [values, better, want] of cases) {
    assert.deepEqual([...winners(values, better)].sort(), want, `${better} ${values.join(",")}`);
  }
});

test("all text is escaped, and the page loads nothing", () => {
  const html = render();
  assert.doesNotMatch(html, /<script/i);
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("<title>Policy comparison &lt;demo&gt;</title>"));
  assert.ok(html.includes("intern &amp; co"));
  assert.doesNotMatch(html, /(src|href)="|@import|url\(["']?(https?:|\/\/)/);
});

test("rendering is deterministic", () => {
  const a = render();
  renderSimReport(RESULTS.slice(1), { title: "other" }); // moves ECharts' global counters
  assert.equal(render(), a);
});

test("the JCT CDF goes log-scale when JCTs span more than two decades", () => {
  // 45 s .. 12 × 5100 s ≈ 17 h: ratio ≈ 1360 > 100.
  assert.match(render(), /x axis is logarithmic/);
  const narrow = RESULTS.map((r) => ({
    ...r,
    metrics: {
      ...r.metrics,
      jctCdf: r.metrics.jctCdf.map(([x, f]) => [1000 + x / 100, f] as const),
    },
  }));
  assert.doesNotMatch(renderSimReport(narrow, { title: "narrow" }), /logarithmic/);
});

test("edge cases: no results, no completions, duplicate policy names", () => {
  assert.match(renderSimReport([], { title: "empty" }), /no simulation results/);
  const none = simResult({
    policy: "stuck",
    alloc: 0,
    frag: 0,
    jct: 0,
    wait: 0,
    makespan: 0,
    jain: 0,
    rejected: 2388,
  });
  const stuck: SimResult = {
    ...none,
    metrics: {
      ...none.metrics,
      completed: 0,
      jct: dist(0, 0),
      queueingDelay: dist(0, 0),
      jctCdf: [],
    },
  };
  const html = renderSimReport([RESULTS[0], stuck, { ...RESULTS[0], seed: 7 }], { title: "edge" });
  // A JCT of "0 s" from an empty distribution must not win: it shows as missing.
  assert.ok(row(html, "stuck").includes("<td>–</td>"));
  assert.ok(html.includes(">fgd (seed 42)</td>") && html.includes(">fgd (seed 7)</td>"));
  assert.equal(svgs(html).length, 6);
});

test("writes an example report to test-output/", () => {
  const dir = join(import.meta.dirname, "../../../test-output");
  mkdirSync(dir, { recursive: true });
  const html = render();
  writeFileSync(join(dir, "report-example.html"), html);
  assert.ok(html.length > 10_000);
});
