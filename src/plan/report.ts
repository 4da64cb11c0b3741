/**
 * The capacity-plan report: one self-contained HTML page (inline CSS, inline SVG
 * charts rendered by ECharts in Node, no script, no network) built from the same
 * shell, chart builders and renderer as the simulation reports. Variant i has
 * colour i in every chart and table swatch.
 */
import { barChartOption, colorAt } from "../sim/report/charts.ts";
import {
  durationUnit,
  formatCount,
  formatDuration,
  formatFixed,
  formatPercent,
  MISSING,
} from "../sim/report/format.ts";
import {
  type Cell,
  escapeHtml,
  figure,
  type HeaderCell,
  page,
  section,
  table,
} from "../sim/report/html.ts";
import { allocationChart, type Labelled, perRunLines } from "../sim/report/over-time.ts";
import { type ChartRenderer, createChartRenderer } from "../sim/report/svg.ts";
import type { PlanResult } from "./run.ts";
import type { VariantSummary } from "./summary.ts";

type Row = Labelled<VariantSummary>;

const BARS = { width: 960, height: 360 };
const pct01 = (x: number | null) => (x === null ? MISSING : formatPercent(100 * x));
const wait = (x: number | null) => (x === null ? MISSING : formatDuration(x));
const hours = (x: number) => formatCount(Math.round(x));

/**
 * Renders `plan` as one HTML document: the plan in plain words, the ranking,
 * guarantee met and p95 wait per tenant (charts and a variant × tenant table),
 * capacity, allocation and pending work over time, each variant's changes, and the
 * runs per seed. Pure: the same plan gives the same bytes; all text is escaped.
 */
export function renderPlanReport(plan: PlanResult, footer?: string): string {
  const rows: Row[] = plan.variants.map((v, i) => ({
    label: v.name,
    color: colorAt(i),
    result: v,
  }));
  const charts = createChartRenderer();
  const tenants = [...new Set(plan.variants.flatMap((v) => v.tenants.map((t) => t.tenant)))];
  const parts = [
    section("Plan", planText(plan)),
    section("Ranking", rankingTable(rows), RANKING_NOTE),
    tenantSection(rows, tenants, charts),
    ...overTime(rows, plan, charts),
    section("Variants", variantList(rows)),
    section(
      "Runs",
      runTable(rows),
      "Each run is one seed of one variant; the tables above are means over seeds.",
    ),
  ];
  const days = formatFixed(plan.horizon / 86400, plan.horizon % 86400 === 0 ? 0 : 1);
  return page(
    {
      title: `gongjang plan: ${plan.scenario}`,
      subtitle: `${plan.variants.length} variants × ${plan.seeds.length} seeds (${plan.seeds.join(", ")}) · ${days} days · policy ${plan.policy}`,
      footer,
    },
    parts.join("\n"),
  );
}

const RANKING_NOTE =
  "Served/capacity = work delivered (up to what was asked) ÷ capacity, both in H100-equivalent device-hours " +
  "(device-hours × the type's speed). Demand served = delivered ÷ demanded. Guarantee met = mean over tenants " +
  "with a guarantee of the share of time no workload waited that fits in its unused guarantee. Capacity leaves " +
  "out random failures. Means over seeds; the range is the lowest and highest seed. See docs/planning.md.";

function planText(plan: PlanResult): string {
  const intro = [plan.description, plan.variantsDescription].filter((x) => x.trim() !== "");
  const paras = intro.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const items = plan.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join("\n");
  const rate = `<p class="note">Demand: ${escapeHtml(formatFixed(plan.rate, 1))} submissions a day before demand changes, the same in every variant unless it changes demand.</p>`;
  return `${paras}\n<ol>\n${items}\n</ol>\n${rate}`;
}

function rankingTable(rows: readonly Row[]): string {
  const head: HeaderCell[] = [
    { text: "Rank" },
    { text: "Variant" },
    {
      text: "Served / capacity ↑",
      title: "Demanded work delivered per H100-equivalent device-hour of capacity",
    },
    {
      text: "Demand served ↑",
      title: "Delivered ÷ demanded work (range over seeds in the tooltip)",
    },
    { text: "Guarantee met ↑", title: "Mean over tenants with a guarantee, % of time" },
    { text: "Wait p95 ↓", title: "95th percentile of first start − submit, all workloads" },
    { text: "Allocation", title: "Time-weighted mean of allocated devices, % of devices present" },
    { text: "Capacity (h)", title: "H100-equivalent device-hours present over the horizon" },
    { text: "Delivered (h)", title: "Demanded work delivered, H100-equivalent device-hours" },
    {
      text: "Demanded (h)",
      title: "Work asked for within the horizon, H100-equivalent device-hours",
    },
  ];
  const body = [...rows]
    .sort((a, b) => a.result.rank - b.result.rank)
    .map(({ label, color, result: v }): Cell[] => [
      { text: String(v.rank), ...(v.rank === 1 && { className: "win" }) },
      { text: label, swatch: color },
      { text: formatFixed(v.score, 3) },
      { text: pct01(v.served), title: `${pct01(v.servedRange[0])} – ${pct01(v.servedRange[1])}` },
      { text: pct01(v.guaranteeMet) },
      { text: wait(v.waitP95) },
      { text: formatPercent(v.allocation) },
      { text: hours(v.capacity.hours) },
      { text: hours(v.deliveredHours) },
      { text: hours(v.demandedHours) },
    ]);
  return table(head, body);
}

function tenantSection(
  rows: readonly Row[],
  tenants: readonly string[],
  charts: ChartRenderer,
): string {
  const pick = (v: VariantSummary, name: string) => v.tenants.find((t) => t.tenant === name);
  const bars = (y: string, value: (t: VariantSummary["tenants"][number]) => number | null) =>
    charts.render(
      barChartOption({
        categories: tenants,
        y: { name: y, min: 0 },
        series: rows.map((r) => ({
          name: r.label,
          color: r.color,
          values: tenants.map((n) => {
            const t = pick(r.result, n);
            return t === undefined ? null : value(t);
          }),
        })),
      }),
      BARS,
    );
  let maxWait = 0;
  for (const r of rows)
    for (const t of r.result.tenants) maxWait = Math.max(maxWait, t.waitP95 ?? 0);
  const unit = durationUnit(maxWait);
  const head: HeaderCell[] = [
    { text: "Tenant" },
    { text: "Variant" },
    { text: "Guarantee met ↑", title: "% of time; range over seeds in the tooltip" },
    { text: "Wait p95 ↓" },
    { text: "Held ÷ guarantee", title: "Time-averaged devices held ÷ devices guaranteed" },
    { text: "Delivered (h)", title: "H100-equivalent device-hours of its demanded work delivered" },
    { text: "Demanded (h)" },
    { text: "Served ↑", title: "Delivered ÷ demanded" },
  ];
  const body: Cell[][] = [];
  for (const name of tenants)
    for (const r of rows) {
      const t = pick(r.result, name);
      if (t === undefined) continue;
      const range = t.guaranteeMetRange;
      body.push([
        { text: name },
        { text: r.label, swatch: r.color },
        {
          text: pct01(t.guaranteeMet),
          ...(range && { title: `${pct01(range[0])} – ${pct01(range[1])}` }),
        },
        { text: wait(t.waitP95) },
        { text: t.utilization === null ? MISSING : `${formatFixed(t.utilization, 2)}×` },
        { text: hours(t.deliveredHours) },
        { text: hours(t.demandedHours) },
        { text: pct01(t.served) },
      ]);
    }
  return section(
    "Tenants",
    [
      figure(
        bars("guarantee met (%)", (t) => (t.guaranteeMet === null ? null : 100 * t.guaranteeMet)),
        "Guarantee met per tenant per variant",
      ),
      figure(
        bars(`p95 wait (${unit.name})`, (t) =>
          t.waitP95 === null ? null : t.waitP95 / unit.seconds,
        ),
        "p95 wait per tenant per variant",
      ),
      figure(
        bars("demand served (%)", (t) => 100 * t.served),
        "Demand served per tenant per variant",
      ),
      table(head, body),
    ].join("\n"),
    "Bars are coloured per variant. A tenant without a guarantee shows – for guarantee met and held ÷ guarantee.",
  );
}

function overTime(rows: readonly Row[], plan: PlanResult, charts: ChartRenderer): string[] {
  const capacity = rows.map((r) => r.result.capacity.timeline.map(([t, v]) => ({ t, v })));
  const cap = perRunLines(
    rows,
    capacity,
    charts,
  )((p) => p.v, { name: "H100-equivalent devices", min: 0 });
  const line = perRunLines(
    rows,
    rows.map((r) => r.result.timeline),
    charts,
  );
  const seed = plan.seeds[0];
  return [
    section(
      "Capacity over time",
      figure(cap, "Capacity over time per variant"),
      "Devices present × their speed (an H100 is 1.0): deliveries, retirements and maintenance; random failures left out.",
    ),
    section(
      "Allocation over time",
      figure(allocationChart(line), "Allocation % over time per variant"),
      `Share of the devices present that running work holds, seed ${seed}.`,
    ),
    section(
      "Pending workloads over time",
      figure(
        line((p) => p.pending, { name: "workloads pending", min: 0 }),
        "Pending workloads per variant",
      ),
      `Workloads waiting to start, seed ${seed}.`,
    ),
  ];
}

function variantList(rows: readonly Row[]): string {
  return rows
    .map(({ label, color, result: v }) => {
      const changes = v.changes.length > 0 ? v.changes : ["no changes: the scenario as written"];
      const desc = v.description ? `<p>${escapeHtml(v.description)}</p>` : "";
      return `<h3><span class="swatch" style="background:${escapeHtml(color)}"></span>${escapeHtml(label)}</h3>\n${desc}\n<ul>${changes
        .map((c) => `<li>${escapeHtml(c)}</li>`)
        .join("")}</ul>`;
    })
    .join("\n");
}

function runTable(rows: readonly Row[]): string {
  const head: HeaderCell[] = [
    { text: "Variant" },
    { text: "Seed" },
    { text: "Workloads" },
    { text: "Completed" },
    { text: "Demand served" },
    { text: "Guarantee met" },
    { text: "Wait p95" },
    { text: "Allocation" },
  ];
  const body = rows.flatMap(({ label, color, result: v }) =>
    v.runs.map((r): Cell[] => [
      { text: label, swatch: color },
      { text: String(r.seed) },
      { text: formatCount(r.workloads) },
      { text: formatCount(r.completed) },
      { text: pct01(r.demandedHours > 0 ? r.deliveredHours / r.demandedHours : 1) },
      { text: pct01(r.guaranteeMet) },
      { text: wait(r.waitP95) },
      { text: formatPercent(r.allocation) },
    ]),
  );
  return table(head, body);
}
