/**
 * FGD reproduction report: per workload, our mean allocation curves against the
 * published ones, and the fidelity verdict from validate.ts. Only types come from
 * the experiment (erased at run time), so the report does not depend on it.
 */
import type { Deviation, FidelityReport, MeanCurves } from "../../experiments/fgd/validate.ts";
import { colorAt, type LineSeries, lineChartOption } from "./charts.ts";
import { formatFixed, formatPercent } from "./format.ts";
import { type Cell, escapeHtml, figure, page, section, table } from "./html.ts";
import { type ChartRenderer, createChartRenderer } from "./svg.ts";

/** Input of {@link renderFgdReport}. */
export interface FgdReportInput {
  /** Our mean curves per "workload|label", indexed by arrived % (0..130). */
  readonly ours: MeanCurves;
  /** The paper's mean curves, same keys; drawn dashed where a key matches ours. */
  readonly published?: MeanCurves;
  /** Verdict of compareAllocation(ours, published); adds the tables. */
  readonly fidelity?: FidelityReport;
  readonly title: string;
  readonly subtitle?: string;
}

const SIZE = { width: 960, height: 400 };
const PUBLISHED = " (published)";

// Plain code-unit order, not localeCompare, so the page does not depend on the locale.
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function splitKey(key: string): [string, string] {
  const bar = key.indexOf("|");
  return bar < 0 ? [key, ""] : [key.slice(0, bar), key.slice(bar + 1)];
}

/**
 * Renders the FGD reproduction as one self-contained HTML document: a verdict line
 * (when `fidelity` is given), then per workload (sorted) a chart of allocation % vs
 * arrived % (ours solid, published dashed in the same colour) and the fidelity table
 * (worst deviation per policy, pass/fail, ranking at 100 % arrived).
 *
 * Contract: same rules as renderSimReport (no script or network, all text escaped,
 * byte-identical for equal input regardless of Map insertion order); a policy
 * label has one colour across all workloads; NaN bins (no sample) are gaps.
 */
export function renderFgdReport(input: FgdReportInput): string {
  const keys = [...input.ours.keys()].sort(byCode);
  const workloads = [...new Set(keys.map((k) => splitKey(k)[0]))];
  const labels = [...new Set(keys.map((k) => splitKey(k)[1]))].sort(byCode);
  const color = new Map(labels.map((l, i) => [l, colorAt(i)]));
  const charts = createChartRenderer();

  const parts: string[] = [];
  if (input.fidelity) parts.push(verdict(input.fidelity));
  if (workloads.length === 0)
    parts.push(section("No curves", "<p>There are no curves to show.</p>"));
  for (const w of workloads) {
    const mine = keys.filter((k) => splitKey(k)[0] === w);
    parts.push(workloadSection(w, mine, input, color, charts));
  }
  return page({ title: input.title, subtitle: input.subtitle }, parts.join("\n"));
}

function verdict(f: FidelityReport): string {
  const failed = f.deviations.filter((d) => !d.ok).length;
  const notFirst = f.ranking.filter((r) => !r.fgdFirst && r.ours.includes("06-FGD")).length;
  const text = f.ok
    ? `PASS: all ${f.deviations.length} curves within ±${f.tolerance} pp of the published means; FGD first at 100 % in every workload.`
    : `FAIL: ${failed} of ${f.deviations.length} curves deviate more than ±${f.tolerance} pp; FGD not first at 100 % in ${notFirst} workload(s).`;
  return section(
    "Fidelity",
    `<p><span class="verdict ${f.ok ? "pass" : "fail"}">${escapeHtml(text)}</span></p>`,
  );
}

function curvePoints(curve: Float64Array): [number, number | null][] {
  return Array.from(curve, (y, x): [number, number | null] => [x, Number.isFinite(y) ? y : null]);
}

function workloadSection(
  workload: string,
  keys: readonly string[],
  input: FgdReportInput,
  color: ReadonlyMap<string, string>,
  charts: ChartRenderer,
): string {
  const series: LineSeries[] = [];
  const legend: string[] = [];
  let anyPublished = false;
  for (const key of keys) {
    const label = splitKey(key)[1];
    const c = color.get(label) ?? colorAt(0);
    const mine = input.ours.get(key);
    if (mine) series.push({ name: label, color: c, points: curvePoints(mine.curve) });
    legend.push(label);
    const ref = input.published?.get(key);
    if (ref) {
      anyPublished = true;
      series.push({
        name: label + PUBLISHED,
        color: c,
        dashed: true,
        points: curvePoints(ref.curve),
      });
    }
  }
  const option = lineChartOption({
    series,
    legend,
    x: { name: "arrived workload (% of device capacity)", min: 0, max: 130 },
    y: { name: "allocated devices (%)", min: 0, max: 100, format: (v) => `${v}%` },
    xMark: { value: 100, label: "100 %" },
  });
  const note = anyPublished
    ? "Mean allocation over seeds. Solid: ours; dashed, same colour: published."
    : "Mean allocation over seeds (no published curves given).";
  const parts = [
    figure(charts.render(option, SIZE), `Allocation vs arrived workload, ${workload}`),
  ];
  if (input.fidelity) parts.push(fidelityTables(workload, input.fidelity, color));
  return section(`Workload ${workload}`, parts.join("\n"), note);
}

function fidelityTables(
  workload: string,
  f: FidelityReport,
  color: ReadonlyMap<string, string>,
): string {
  const rows = f.deviations.filter((d) => d.workload === workload);
  const out: string[] = [];
  if (rows.length > 0) {
    const head = [
      { text: "Policy" },
      { text: "Seeds" },
      {
        text: "Worst |Δ|",
        title: "Largest |ours − published| over the 5 % steps, percentage points",
      },
      { text: "At arrived" },
      { text: "Ours @100 %" },
      { text: "Published @100 %" },
      { text: "Result", title: `Pass when the worst deviation is within ±${f.tolerance} pp` },
    ];
    const body = rows.map((d: Deviation): Cell[] => [
      { text: d.label, swatch: color.get(d.label) },
      { text: String(d.seeds) },
      { text: `${formatFixed(d.worst, 3)} pp`, className: d.ok ? undefined : "fail" },
      { text: formatPercent(d.worstAt, 0) },
      { text: formatPercent(d.ours100, 2) },
      { text: formatPercent(d.published100, 2) },
      { text: d.ok ? "pass" : "fail", className: d.ok ? "pass" : "fail" },
    ]);
    out.push(table(head, body));
  }
  const rank = f.ranking.find((r) => r.workload === workload);
  if (rank) {
    const fgd = rank.ours.includes("06-FGD");
    const head = [{ text: "Ranking at 100 % arrived" }, { text: "Best first" }];
    const body: Cell[][] = [
      [{ text: "Ours" }, { text: rank.ours.join(" > ") }],
      [{ text: "Published" }, { text: rank.published.join(" > ") }],
      [
        { text: "FGD first (ours)" },
        fgd
          ? { text: rank.fgdFirst ? "yes" : "no", className: rank.fgdFirst ? "pass" : "fail" }
          : { text: "FGD not run" },
      ],
    ];
    out.push(table(head, body));
  }
  return out.join("\n");
}
