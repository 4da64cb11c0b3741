/**
 * The chart sections of the simulation report, each a pure function of the labelled
 * results: state over time, the JCT CDF, and per-tenant bars.
 */
import type { TenantMetrics } from "../result.ts";
import { barChartOption, lineChartOption } from "./charts.ts";
import {
  durationUnit,
  formatCount,
  formatDuration,
  formatDurationTick,
  formatFixed,
  formatPercent,
  MISSING,
} from "./format.ts";
import { type Cell, figure, type HeaderCell, section, table } from "./html.ts";
import {
  allocationChart,
  fragmentationChart,
  type Labelled,
  LINE,
  perRunLines,
} from "./over-time.ts";
import type { LabelledResult } from "./summary.ts";
import type { ChartRenderer, ChartSize } from "./svg.ts";

const BARS: ChartSize = { width: 960, height: 380 };

/** More tenants than this make the bars unreadable; the rest are named in a note. */
export const MAX_TENANTS = 24;

/** A JCT CDF spanning more than this ratio (two decades) gets a log x axis. */
const LOG_SPAN = 100;

const pct = (v: number) => `${v}%`;

/** Sections (b)–(d): allocation, fragmentation and queue length over virtual time. */
export function timelineSections(rows: readonly LabelledResult[], charts: ChartRenderer): string[] {
  const chart = perRunLines(
    rows,
    rows.map((r) => r.result.metrics.timeline),
    charts,
  );
  return [
    section(
      "Allocation over time",
      figure(allocationChart(chart), "Allocation % over time per policy"),
      "Share of all devices allocated to running jobs.",
    ),
    section(
      "Fragmentation over time",
      figure(fragmentationChart(chart), "Fragmentation % over time per policy"),
      "FGD fragmentation: free devices that typical jobs cannot use, as % of all devices.",
    ),
    section(
      "Queue length over time",
      figure(
        chart((p) => p.queued, { name: "jobs waiting", min: 0 }),
        "Queue length over time per policy",
      ),
    ),
  ];
}

/** Section (e): the empirical CDF of job completion times, log x when the range is wide. */
export function jctCdfSection(rows: readonly LabelledResult[], charts: ChartRenderer): string {
  return jctCdfFigureSection(
    rows,
    rows.map((r) => r.result.metrics.jctCdf),
    charts,
    "jobs",
  );
}

/** An empirical CDF: ascending [value, fraction ≤ value] pairs, as metrics.cdf makes them. */
export type Cdf = readonly (readonly [number, number])[];

/**
 * The "Job completion time CDF" section for any report: one stepped line per run
 * (`cdfs[i]` is run i's, in seconds), in the run's colour, log x when the completion
 * times span more than two decades. `noun` names what completed ("jobs", "workloads").
 */
export function jctCdfFigureSection(
  rows: readonly Labelled<unknown>[],
  cdfs: readonly Cdf[],
  charts: ChartRenderer,
  noun: string,
): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const c of cdfs) {
    for (const [x] of c) {
      if (x > 0) lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  const log = hi > 0 && hi / lo > LOG_SPAN;
  const unit = durationUnit(hi);
  const scale = log ? 1 : unit.seconds;
  const option = lineChartOption({
    x: log
      ? {
          name: "job completion time (log scale)",
          log: true,
          format: formatDurationTick,
          ...logTicks(lo, hi),
        }
      : { name: `job completion time (${unit.name})`, min: 0 },
    y: { name: `${noun} completed (%)`, min: 0, max: 100, format: pct },
    series: rows.map((r, i) => ({
      name: r.label,
      color: r.color,
      step: true,
      // A log axis cannot place 0; a zero-length job is not a completion time anyone reads.
      points: cdfs[i].filter(([x]) => !log || x > 0).map(([x, f]) => [x / scale, f * 100] as const),
    })),
  });
  const what = `Fraction of completed ${noun} finished within a given time.`;
  const note = log
    ? `${what} The x axis is logarithmic because completion times span more than two decades.`
    : what;
  return section(
    "Job completion time CDF",
    figure(charts.render(option, LINE), "JCT CDF per policy"),
    note,
  );
}

// Round durations a reader knows (1 s, 10 s, 1 min, …) instead of powers of ten of
// seconds, which would label the axis "16.7 min" and "2.78 h".
const HUMANE_TICKS = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 36000, 86400, 864000, 8640000];

/** Log-axis bounds and ticks: the humane ticks covering [lo, hi], one beyond each end. */
export function logTicks(lo: number, hi: number): { min: number; max: number; ticks: number[] } {
  let first = 0;
  while (first + 1 < HUMANE_TICKS.length && HUMANE_TICKS[first + 1] <= lo) first++;
  let last = HUMANE_TICKS.length - 1;
  while (last > first + 1 && HUMANE_TICKS[last - 1] >= hi) last--;
  const ticks = HUMANE_TICKS.slice(first, last + 1);
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks };
}

/** Tenant names ordered by total device-seconds over all runs (then by name), capped. */
function tenantOrder(rows: readonly LabelledResult[]): { shown: string[]; hidden: number } {
  const total = new Map<string, number>();
  for (const r of rows) {
    for (const t of r.result.metrics.tenants) {
      total.set(t.tenant, (total.get(t.tenant) ?? 0) + t.deviceSeconds);
    }
  }
  // Plain code-unit order, not localeCompare: the output must not depend on the machine's locale.
  const names = [...total.keys()].sort((a, b) => {
    const d = (total.get(b) ?? 0) - (total.get(a) ?? 0);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  return { shown: names.slice(0, MAX_TENANTS), hidden: Math.max(0, names.length - MAX_TENANTS) };
}

function byTenant(r: LabelledResult): Map<string, TenantMetrics> {
  return new Map(r.result.metrics.tenants.map((t) => [t.tenant, t]));
}

/** Sections (f) and (g): mean queueing delay and device-second share, grouped by tenant. */
export function tenantSections(rows: readonly LabelledResult[], charts: ChartRenderer): string[] {
  const { shown, hidden } = tenantOrder(rows);
  const maps = rows.map(byTenant);
  const capNote =
    hidden > 0
      ? ` Showing the ${shown.length} tenants with the most device-seconds; ${hidden} more are left out.`
      : "";

  let maxWait = 0;
  for (const m of maps)
    for (const t of m.values())
      if (t.queueingDelay.count > 0) maxWait = Math.max(maxWait, t.queueingDelay.mean);
  const unit = durationUnit(maxWait);
  const wait = barChartOption({
    categories: shown,
    y: { name: `mean queueing delay (${unit.name})`, min: 0 },
    series: rows.map((r, i) => ({
      name: r.label,
      color: r.color,
      values: shown.map((name) => {
        const t = maps[i].get(name);
        return t && t.queueingDelay.count > 0 ? t.queueingDelay.mean / unit.seconds : null;
      }),
    })),
  });

  const share = barChartOption({
    categories: shown,
    y: { name: "share of device-seconds (%)", min: 0, format: pct },
    series: rows.map((r, i) => ({
      name: r.label,
      color: r.color,
      values: shown.map((name) => {
        const t = maps[i].get(name);
        return t ? t.share * 100 : null;
      }),
    })),
  });
  const jain = rows
    .map((r) => `${r.label} ${formatFixed(r.result.metrics.jainIndex, 3)}`)
    .join(" · ");

  return [
    section(
      "Queueing delay by tenant",
      figure(charts.render(wait, BARS), "Mean queueing delay per tenant per policy"),
      `Mean time from submit to first start, per tenant.${capNote}`,
    ),
    section(
      `Device-second share by tenant — Jain's index: ${jain}`,
      `${figure(charts.render(share, BARS), "Device-second share per tenant per policy")}\n${tenantTable(rows, maps, shown)}`,
      `Share of all device-seconds used by each tenant's jobs; Jain's index is 1 when shares are equal.${capNote}`,
    ),
  ];
}

/** Exact numbers behind the tenant bars (a static SVG has no tooltips), full names unabridged. */
function tenantTable(
  rows: readonly LabelledResult[],
  maps: readonly Map<string, TenantMetrics>[],
  shown: readonly string[],
): string {
  const head: HeaderCell[] = [
    { text: "Tenant" },
    { text: "Jobs" },
    ...rows.map((r) => ({ text: `Wait ${r.label}`, title: "Mean queueing delay" })),
    ...rows.map((r) => ({ text: `Share ${r.label}`, title: "Share of device-seconds" })),
  ];
  const body = shown.map((name): Cell[] => {
    const jobs = maps.find((m) => m.has(name))?.get(name)?.jobs ?? Number.NaN;
    const ts = maps.map((m) => m.get(name));
    return [
      { text: name },
      { text: formatCount(jobs) },
      ...ts.map((t) => ({
        text: t && t.queueingDelay.count > 0 ? formatDuration(t.queueingDelay.mean) : MISSING,
      })),
      ...ts.map((t) => ({ text: t ? formatPercent(t.share * 100) : MISSING })),
    ];
  });
  return table(head, body);
}
