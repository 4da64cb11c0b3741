import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Distribution } from "../result.ts";
import type { SharePoint, TenantOutcome, WorkloadSimResult } from "../workloads/result.ts";
import { formatDuration } from "./format.ts";
import { renderTenancyReport } from "./tenancy.ts";

const DAY = 86400;

/** A plausible distribution scaled from a mean (p50 below it, long tail above). */
function dist(count: number, mean: number): Distribution {
  if (count === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return { count, mean, p50: mean * 0.5, p95: mean * 3, p99: mean * 5, max: mean * 8 };
}

interface TenantShape {
  readonly name: string;
  /** Fraction of the workloads, of the fleet guaranteed (0: no quota), and of the fleet held on average. */
  readonly weight: number;
  readonly guaranteed: number;
  readonly share: number;
}

const TENANTS: readonly TenantShape[] = [
  { name: "vision-lab", weight: 0.5, guaranteed: 0.4, share: 0.45 },
  { name: "llm & speech", weight: 0.3, guaranteed: 0.3, share: 0.25 },
  { name: "<evil>", weight: 0.2, guaranteed: 0.2, share: 0.12 },
];

interface Shape {
  readonly policy: string;
  readonly wait: number;
  readonly jct: number;
  readonly alloc: number;
  readonly jain: number;
  readonly reclaims: number;
  readonly quotas?: boolean;
}

/** Deterministic synthetic run over 3 days: smooth shares with a wobble, no randomness. */
function run(s: Shape): WorkloadSimResult {
  const submitted = 1200;
  const completed = 1100;
  const quotas = s.quotas ?? true;
  const tenants: TenantOutcome[] = TENANTS.map((t, i) => ({
    tenant: t.name,
    workloads: Math.round(submitted * t.weight),
    completed: Math.round(completed * t.weight),
    wait: dist(Math.round(completed * t.weight), s.wait * (0.5 + 0.5 * i)),
    jct: dist(Math.round(completed * t.weight), s.jct * (0.8 + 0.2 * i)),
    deviceHours: t.share * 512 * 72,
    meanShare: t.share,
    guaranteedShare: quotas ? t.guaranteed : 0,
    preempted: 3 * i,
  }));
  const timeline: SharePoint[] = [];
  for (let i = 0; i <= 200; i++) {
    const t = (3 * DAY * i) / 200;
    const shares = TENANTS.map((x, k) => x.share * (1 + 0.2 * Math.sin(i / (9 + k))));
    const allocation = 100 * shares.reduce((a, b) => a + b, 0) * (s.alloc / 82);
    timeline.push({
      t,
      allocation: Math.min(100, allocation),
      pending: Math.round(40 * (1 + Math.sin(i / 17))),
      running: 150,
      shares,
    });
  }
  return {
    scenario: "three-orgs",
    policy: s.policy,
    seed: 7,
    horizon: 3 * DAY,
    cycles: 4321,
    workloads: { submitted, completed, running: 60, pending: 30, rejected: 4, timedOut: 6 },
    jct: dist(completed, s.jct),
    wait: dist(completed, s.wait),
    meanAllocation: s.alloc,
    preemptions: { reclaim: s.reclaims, priority: 5, maintenance: 2, reservation: 1 },
    restarts: 3,
    reclaim: { count: s.reclaims, maxLatency: s.reclaims > 0 ? 95 + s.reclaims : 0 },
    gangLevels: [40, 12, 6, 2],
    jainIndex: s.jain,
    tenants,
    timeline,
  };
}

const RESULTS: readonly WorkloadSimResult[] = [
  run({ policy: "fair-share", wait: 1800, jct: 7200, alloc: 84.5, jain: 0.93, reclaims: 14 }),
  run({ policy: "drf", wait: 1500, jct: 7000, alloc: 86.2, jain: 0.9, reclaims: 9 }),
  run({ policy: "fifo", wait: 4200, jct: 9900, alloc: 80.1, jain: 0.71, reclaims: 0 }),
];

const render = (results: readonly WorkloadSimResult[] = RESULTS) =>
  renderTenancyReport(results, {
    title: "Tenancy <comparison>",
    scenarioDescription: "Three organisations share 512 GPUs.\n\nQuotas: 40 / 30 / 20 %.",
  });

const svgs = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

/** The inner HTML of the section whose heading is `heading`. */
function sectionOf(html: string, heading: string): string {
  const start = html.indexOf(`<h2>${heading}</h2>`);
  assert.ok(start >= 0, `section ${heading}`);
  return html.slice(start, html.indexOf("</section>", start));
}

test("every section is there, in order", () => {
  const html = render();
  const headings = [
    "Scenario",
    "Summary",
    "Wait by tenant",
    "Share vs guarantee over time",
    "Allocation over time",
    "Pending workloads over time",
    "Fairness: Jain&#39;s index",
    "Runs",
  ];
  const at = headings.map((h) => html.indexOf(`<h2>${h}</h2>`));
  for (const [k, i] of at.entries()) assert.ok(i >= 0, headings[k]);
  assert.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
  );
  // The description's blank line splits it into two escaped paragraphs.
  assert.ok(sectionOf(html, "Scenario").includes("<p>Quotas: 40 / 30 / 20 %.</p>"));
  assert.ok(html.includes("scenario three-orgs · seed 7"), "default subtitle");
});

test("one summary row per policy, winners marked per column direction", () => {
  const summary = sectionOf(render(), "Summary");
  const rows = summary.match(/<tr><td>/g) ?? [];
  assert.equal(rows.length, RESULTS.length);
  for (const r of RESULTS) assert.ok(summary.includes(`</span>${r.policy}</td>`), r.policy);
  const row = (policy: string) => summary.match(new RegExp(`</span>${policy}</td>.*?</tr>`))![0];
  // Lowest mean wait: drf 1500 s = 25.0 min.
  assert.match(
    row("drf"),
    new RegExp(`class="win" title="best in column">${formatDuration(1500)}<`),
  );
  // Highest Jain: fair-share 0.930.
  assert.ok(row("fair-share").includes(">0.930</td>") && /win[^>]*>0\.930/.test(row("fair-share")));
  // Fewest preemptions: fifo 0 + 5 + 2 + 1 = 8, with the breakdown in the tooltip.
  assert.ok(
    row("fifo").includes(
      'title="best in column; reclaim 0 · priority 5 · maintenance 2 · reservation 1">8<',
    ),
  );
  // Gangs: 40 of 40 + 12 + 6 + 2 = 60 in one domain = 66.7 %, all tie: nobody wins.
  assert.ok(
    row("drf").includes(
      'title="one domain 40 · one rack 12 · one site 6 · several sites 2">66.7%<',
    ),
  );
  // No reclaims: the max latency is missing, not a winning "0 s"; drf's 95 + 9 = 104 s wins.
  assert.ok(row("fifo").includes("<td>–</td>"));
  assert.match(row("drf"), /class="win" title="best in column">1\.73 min</);
  // Completed shows "completed / submitted"; all tie, so nobody wins.
  assert.ok(row("fifo").includes("<td>1,100 / 1,200</td>"));
});

test("every tenant is named, and <evil> is escaped everywhere", () => {
  const html = render();
  for (const t of ["vision-lab", "llm &amp; speech", "&lt;evil&gt;"]) {
    assert.ok(sectionOf(html, "Wait by tenant").includes(`<td>${t}</td>`), t);
    assert.ok(sectionOf(html, "Share vs guarantee over time").includes(`>${t}</text>`), t);
  }
  assert.ok(!html.includes("<evil>"));
  assert.ok(!html.includes("llm & speech"));
  assert.ok(html.includes("<title>Tenancy &lt;comparison&gt;</title>"));
});

test("the page is self-contained: no script, nothing to load", () => {
  const html = render();
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)="|@import|url\(["']?(https?:|\/\/)/);
});

test("SVG charts: 2 wait bars + one share chart per policy + allocation + pending", () => {
  const html = render();
  const charts = svgs(html);
  assert.equal(charts.length, 2 + RESULTS.length + 2);
  for (const svg of charts) assert.match(svg, /<path /);
  // Guarantees are dashed lines in the share charts only.
  const share = svgs(sectionOf(html, "Share vs guarantee over time"));
  assert.equal(share.length, RESULTS.length);
  for (const svg of share) assert.match(svg, /stroke-dasharray/);
  assert.doesNotMatch(html, /zr\d+-/);
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "ids unique across the page");
});

test("rendering is deterministic", () => {
  const a = render();
  render(RESULTS.slice(1)); // moves ECharts' global counters
  assert.equal(render(), a);
});

test("per-tenant table: policy × tenant rows, share vs guarantee", () => {
  const waits = sectionOf(render(), "Wait by tenant");
  // 3 tenants × 3 policies
  assert.equal((waits.match(/<tr><td>/g) ?? []).length, 9);
  // vision-lab under drf: mean wait 1500 × 0.5 = 750 s = 12.5 min, lowest for the tenant.
  assert.ok(waits.includes('class="win" title="lowest for this tenant">12.5 min<'));
  // share 45 % of a 40 % guarantee = 1.125 → "1.13×"
  assert.ok(waits.includes("<td>45.0%</td><td>40.0%</td><td>1.13×</td>"));
});

test("without quotas: no guarantee lines, guarantees read as missing", () => {
  const open = RESULTS.map((r, i) =>
    run({
      policy: r.policy,
      wait: 1000 + i,
      jct: 5000,
      alloc: 80,
      jain: 0.8,
      reclaims: 0,
      quotas: false,
    }),
  );
  const html = render(open);
  for (const svg of svgs(sectionOf(html, "Share vs guarantee over time"))) {
    assert.doesNotMatch(svg, /stroke-dasharray/);
  }
  assert.ok(sectionOf(html, "Wait by tenant").includes("<td>45.0%</td><td>–</td><td>–</td>"));
  // Jain's extremes fall back to plain shares: <evil> holds the least (12 %).
  assert.ok(
    sectionOf(html, "Fairness: Jain&#39;s index").includes("&lt;evil&gt;: 12.0% of devices"),
  );
});

test("edge cases: no results, duplicate policy names, nothing completed", () => {
  assert.match(renderTenancyReport([], { title: "empty" }), /no simulation results/);
  const stuck: WorkloadSimResult = {
    ...RESULTS[2],
    policy: "stuck",
    workloads: { ...RESULTS[2].workloads, completed: 0 },
    jct: dist(0, 0),
    wait: dist(0, 0),
    gangLevels: [0, 0, 0, 0],
    tenants: RESULTS[2].tenants.map((t) => ({ ...t, wait: dist(0, 0), jct: dist(0, 0) })),
  };
  const html = renderTenancyReport([RESULTS[0], stuck, { ...RESULTS[0], seed: 8 }], {
    title: "edge",
  });
  assert.ok(
    html.includes(">fair-share (seed 7)</td>") && html.includes(">fair-share (seed 8)</td>"),
  );
  const row = sectionOf(html, "Summary").match(/<\/span>stuck<\/td>.*?<\/tr>/)![0];
  // Empty wait/JCT distributions, no reclaims and no gangs read as missing, never as a winning 0:
  // wait mean, wait p95, JCT mean, JCT p95, reclaim max, gangs in one domain.
  assert.equal((row.match(/>–<\/td>/g) ?? []).length, 6);
  assert.doesNotMatch(html, /<p class="subtitle">/, "seeds differ: no default subtitle");
});

test("writes an example report to test-output/", () => {
  const dir = join(import.meta.dirname, "../../../test-output");
  mkdirSync(dir, { recursive: true });
  const html = render();
  writeFileSync(join(dir, "tenancy-report-example.html"), html);
  assert.ok(html.length > 10_000);
});

test("fragmentation and JCT CDF: drawn per policy when every run has them", () => {
  const withSeries = RESULTS.map((r, i) => ({
    ...r,
    fragmentation: r.timeline.map((p) => ({ t: p.t, fragmentation: 5 + i + Math.sin(p.t) })),
    jctCdf: [100, 600, 3600, 7200].map((x, k) => [x * (1 + i), (k + 1) / 4] as const),
  }));
  const html = render(withSeries);
  const frag = svgs(sectionOf(html, "Fragmentation over time"));
  const cdf = svgs(sectionOf(html, "Job completion time CDF"));
  assert.equal(frag.length, 1);
  assert.equal(cdf.length, 1);
  for (const r of RESULTS) {
    assert.ok(frag[0].includes(r.policy), `${r.policy} in the fragmentation legend`);
    assert.ok(cdf[0].includes(r.policy), `${r.policy} in the CDF legend`);
  }
  assert.ok(cdf[0].includes("workloads completed (%)"));
  // Order: allocation, fragmentation, pending, then the CDF before Jain's index.
  const at = (h: string) => html.indexOf(`<h2>${h}</h2>`);
  assert.ok(at("Allocation over time") < at("Fragmentation over time"));
  assert.ok(at("Fragmentation over time") < at("Pending workloads over time"));
  assert.ok(at("Pending workloads over time") < at("Job completion time CDF"));
  assert.ok(at("Job completion time CDF") < at("Fairness: Jain&#39;s index"));
  // Results without them (written before they were recorded) draw neither.
  assert.ok(!render().includes("<h2>Fragmentation over time</h2>"));
  assert.ok(!render().includes("<h2>Job completion time CDF</h2>"));
});
