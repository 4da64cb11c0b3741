/**
 * The per-tenant and over-time sections of the multi-tenant report, each a pure
 * function of the labelled results. Two colourings meet here: bars, allocation and
 * pending lines are coloured per policy (as everywhere else in the reports), while
 * the share-over-time charts draw one chart per policy and colour its lines per
 * tenant, because there the tenants are what is being compared.
 */
import type { Distribution } from "../result.ts";
import type { SharePoint, TenantOutcome, WorkloadSimResult } from "../workloads/result.ts";
import { barChartOption, colorAt, type LineSeries, lineChartOption, PALETTE } from "./charts.ts";
import {
  durationUnit,
  formatCount,
  formatDuration,
  formatPercent,
  formatSig,
  MISSING,
} from "./format.ts";
import { type Cell, escapeHtml, figure, type HeaderCell, section, table } from "./html.ts";
import {
  allocationChart,
  fragmentationChart,
  type Labelled,
  LINE,
  perRunLines,
  timeAxis,
} from "./over-time.ts";
import { jctCdfFigureSection, MAX_TENANTS } from "./sim-charts.ts";
import { winners } from "./summary.ts";
import type { ChartRenderer, ChartSize } from "./svg.ts";

/** A run with the display name and colour the whole report uses for its policy. */
export type LabelledRun = Labelled<WorkloadSimResult>;

const BARS: ChartSize = { width: 960, height: 380 };

/** Past the palette's ten colours tenants would share one, so share charts stop there. */
export const MAX_SHARE_LINES = PALETTE.length;

const pct = (v: number) => `${v}%`;

// Plain code-unit order, not localeCompare: the output must not depend on the machine's locale.
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A distribution statistic, undefined when it has no samples (its zeros mean nothing). */
export function stat(d: Distribution, key: keyof Distribution): number | undefined {
  return d.count > 0 ? d[key] : undefined;
}

/**
 * Every tenant of every run, by device-hours summed over the runs (most first, then
 * by name). A tenant's rank is its colour in the share charts, so it is the same in
 * every policy's chart.
 */
export function tenantOrder(rows: readonly LabelledRun[]): string[] {
  const total = new Map<string, number>();
  for (const r of rows) {
    for (const t of r.result.tenants) {
      total.set(t.tenant, (total.get(t.tenant) ?? 0) + t.deviceHours);
    }
  }
  return [...total.keys()].sort((a, b) => {
    const d = (total.get(b) ?? 0) - (total.get(a) ?? 0);
    return d !== 0 ? d : byCode(a, b);
  });
}

function byTenant(r: LabelledRun): Map<string, TenantOutcome> {
  return new Map(r.result.tenants.map((t) => [t.tenant, t]));
}

/** Device-hours: three significant digits, thousands grouped from 1,000 up. */
function hours(v: number): string {
  return Math.abs(v) >= 1000 ? formatCount(v) : formatSig(v);
}

/** A share 0..1 as a percent. */
const share = (v: number) => formatPercent(v * 100);

/** Section 2: mean and p95 wait per tenant (one bar per policy) and the exact numbers. */
export function tenantWaitSection(
  rows: readonly LabelledRun[],
  tenants: readonly string[],
  charts: ChartRenderer,
): string {
  const shown = tenants.slice(0, MAX_TENANTS);
  const maps = rows.map(byTenant);
  let maxWait = 0;
  for (const m of maps)
    for (const t of m.values()) maxWait = Math.max(maxWait, stat(t.wait, "p95") ?? 0);
  const unit = durationUnit(maxWait);
  const bars = (key: "mean" | "p95", what: string) =>
    charts.render(
      barChartOption({
        categories: shown,
        y: { name: `${what} (${unit.name})`, min: 0 },
        series: rows.map((r, i) => ({
          name: r.label,
          color: r.color,
          values: shown.map((name) => {
            const t = maps[i].get(name);
            const v = t ? stat(t.wait, key) : undefined;
            return v === undefined ? null : v / unit.seconds;
          }),
        })),
      }),
      BARS,
    );
  const cap =
    tenants.length > shown.length
      ? ` The charts show the ${shown.length} tenants with the most device-hours; the table lists all ${tenants.length}.`
      : "";
  return section(
    "Wait by tenant",
    [
      figure(bars("mean", "mean wait"), "Mean wait per tenant per policy"),
      figure(bars("p95", "p95 wait"), "95th percentile wait per tenant per policy"),
      tenantTable(rows, maps, tenants),
    ].join("\n"),
    "Wait = first start − submit, over the tenant's workloads that started; bars are coloured per policy. " +
      "In the table the lowest wait of each tenant across policies is highlighted. Mean share is the " +
      "time-averaged share of fleet devices the tenant held; guaranteed is its time-averaged quota " +
      `(– without quotas).${cap}`,
  );
}

/** Policy × tenant numbers, grouped by tenant so policies sit next to each other. */
function tenantTable(
  rows: readonly LabelledRun[],
  maps: readonly Map<string, TenantOutcome>[],
  tenants: readonly string[],
): string {
  const head: HeaderCell[] = [
    { text: "Tenant", title: "Top-level queue (the organisation)" },
    { text: "Policy", title: "Scheduling policy (colour as in the charts)" },
    { text: "Workloads", title: "Workloads the tenant submitted" },
    { text: "Completed", title: "Workloads that finished" },
    { text: "Wait mean ↓", title: "First start − submit, mean" },
    { text: "Wait p95 ↓", title: "First start − submit, 95th percentile" },
    { text: "Device-hours", title: "Device-hours used by the tenant's workloads" },
    { text: "Mean share", title: "Time-averaged share of fleet devices held" },
    { text: "Guaranteed", title: "Time-averaged guaranteed share (quota) of fleet devices" },
    {
      text: "Share ÷ guarantee",
      title: "Mean share / guaranteed share: 1 = got exactly its quota",
    },
    { text: "Preempted", title: "Times the tenant's work was preempted (any reason)" },
  ];
  const body: Cell[][] = [];
  for (const name of tenants) {
    const ts = maps.map((m) => m.get(name));
    const waits = (key: "mean" | "p95") => {
      const values = ts.map((t) => (t ? stat(t.wait, key) : undefined));
      return { values, wins: winners(values, "lower") };
    };
    const mean = waits("mean");
    const p95 = waits("p95");
    const waitCell = (w: typeof mean, i: number): Cell => {
      const v = w.values[i];
      const text = v === undefined ? MISSING : formatDuration(v);
      return w.wins.has(i) ? { text, className: "win", title: "lowest for this tenant" } : { text };
    };
    rows.forEach((r, i) => {
      const t = ts[i];
      if (!t) return;
      const g = t.guaranteedShare;
      body.push([
        { text: name },
        { text: r.label, swatch: r.color },
        { text: formatCount(t.workloads) },
        { text: formatCount(t.completed) },
        waitCell(mean, i),
        waitCell(p95, i),
        { text: hours(t.deviceHours) },
        { text: share(t.meanShare) },
        { text: g > 0 ? share(g) : MISSING },
        { text: g > 0 ? `${formatSig(t.meanShare / g)}×` : MISSING },
        { text: formatCount(t.preempted) },
      ]);
    });
  }
  return table(head, body);
}

/** Largest t over every run's timeline and the axis unit that suits it. */
/**
 * Section 3: per policy, every tenant's share of devices over time (solid, stepped)
 * and its guaranteed share (dashed, same colour). The guarantee is the run's
 * time-average, so it is a flat line even when capacity changed the quota.
 */
export function shareSection(
  rows: readonly LabelledRun[],
  tenants: readonly string[],
  charts: ChartRenderer,
): string {
  const shown = tenants.slice(0, MAX_SHARE_LINES);
  const { unit, x } = timeAxis(rows.map((r) => r.result.timeline));
  const parts = rows.map((r) => {
    const tl = r.result.timeline;
    const t0 = tl.length > 0 ? tl[0].t / unit.seconds : 0;
    const t1 = tl.length > 0 ? tl[tl.length - 1].t / unit.seconds : 0;
    const index = new Map(r.result.tenants.map((t, k) => [t.tenant, k]));
    const series: LineSeries[] = [];
    const guarantees: LineSeries[] = [];
    shown.forEach((name, rank) => {
      const k = index.get(name);
      if (k === undefined) return;
      const color = colorAt(rank);
      series.push({
        name,
        color,
        step: true,
        points: tl.map((p: SharePoint) => [p.t / unit.seconds, (p.shares[k] ?? 0) * 100] as const),
      });
      const g = r.result.tenants[k].guaranteedShare * 100;
      if (g > 0) {
        guarantees.push({
          name: `${name} (guarantee)`,
          color,
          dashed: true,
          points: [
            [t0, g],
            [t1, g],
          ],
        });
      }
    });
    const option = lineChartOption({
      x,
      y: { name: "share of devices (%)", min: 0, format: pct },
      series: [...series, ...guarantees],
      legend: series.map((s) => s.name),
    });
    // No policy swatch in the heading: in these charts colours mean tenants.
    return `<h3>Policy: ${escapeHtml(r.label)}</h3>\n${figure(
      charts.render(option, LINE),
      `Tenant shares of devices over time under ${r.label}`,
    )}`;
  });
  const cap =
    tenants.length > shown.length
      ? ` Only the ${shown.length} tenants with the most device-hours are drawn; ${tenants.length - shown.length} more are in the tables.`
      : "";
  return section(
    "Share vs guarantee over time",
    parts.join("\n"),
    "One chart per policy. Here colours are per tenant, not per policy (the same tenant has the " +
      "same colour in every chart): the solid line is the tenant's share of the devices present, " +
      `the dashed line in its colour is its time-averaged guaranteed share (none without quotas).${cap}`,
  );
}

/**
 * Sections 4a–4c: allocation %, fragmentation % (when every run recorded it) and
 * pending workloads over time, one line per policy.
 */
export function timelineSections(rows: readonly LabelledRun[], charts: ChartRenderer): string[] {
  const chart = perRunLines(
    rows,
    rows.map((r) => r.result.timeline),
    charts,
  );
  return [
    section(
      "Allocation over time",
      figure(allocationChart(chart), "Allocation % over time per policy"),
      "Share of the devices present that running workloads hold; colours are per policy.",
    ),
    ...fragmentationSection(rows, charts),
    section(
      "Pending workloads over time",
      figure(
        chart((p) => p.pending, { name: "workloads pending", min: 0 }),
        "Pending workloads over time per policy",
      ),
      "Workloads submitted and waiting to start (preempted ones waiting again included).",
    ),
  ];
}

/** Fragmentation over time, as in the trace report; none when a run lacks the series. */
function fragmentationSection(rows: readonly LabelledRun[], charts: ChartRenderer): string[] {
  const series = rows.map((r) => r.result.fragmentation);
  if (series.some((f) => f === undefined)) return [];
  const chart = perRunLines(rows, series as NonNullable<(typeof series)[number]>[], charts);
  return [
    section(
      "Fragmentation over time",
      figure(fragmentationChart(chart), "Fragmentation % over time per policy"),
      "FGD fragmentation: free devices that the scenario's typical workload members cannot use " +
        "(wrong type, too few or too small free devices, too little CPU), weighted by how common " +
        "each shape is, as % of the devices present.",
    ),
  ];
}

/** The JCT CDF, shared with the trace report; none when a run lacks the CDF. */
export function jctSection(rows: readonly LabelledRun[], charts: ChartRenderer): string[] {
  const cdfs = rows.map((r) => r.result.jctCdf);
  if (cdfs.some((c) => c === undefined)) return [];
  return [
    jctCdfFigureSection(rows, cdfs as NonNullable<(typeof cdfs)[number]>[], charts, "workloads"),
  ];
}
