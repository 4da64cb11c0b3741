/**
 * Simulation report: several SimResults (typically one per policy over the same
 * fleet and trace) side by side in one self-contained HTML page. See README.md.
 */
import type { SimResult } from "../result.ts";
import { page, section } from "./html.ts";
import { labelRuns } from "./over-time.ts";
import { jctCdfSection, tenantSections, timelineSections } from "./sim-charts.ts";
import { runTable, summaryTable } from "./summary.ts";
import { createChartRenderer } from "./svg.ts";

export { renderFgdReport } from "./fgd.ts";

/** Options of {@link renderSimReport}; all text, escaped on output. */
export interface SimReportOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Footer line, e.g. "generated 2025-01-01T00:00Z". Omitted by default so output is reproducible. */
  readonly footer?: string;
}

/**
 * Renders `results` as one HTML document: a summary table (best value per column
 * marked class="win"), run details, and inline SVG charts of allocation,
 * fragmentation and queue length over time, the JCT CDF, and per-tenant queueing
 * delay and device-second share.
 *
 * Contract: the page needs no script, network or font to open (it works from
 * file://); all input text is HTML-escaped; result i keeps colour i in every chart;
 * and the output is a pure function of the arguments (byte-identical on re-render,
 * independent of locale and of earlier renders in the process). Results keep their
 * given order; a policy name that appears twice is told apart by its seed.
 */
export function renderSimReport(results: readonly SimResult[], opts: SimReportOptions): string {
  const rows = labelRuns(results);
  const charts = createChartRenderer();
  const body =
    rows.length === 0
      ? section("No results", "<p>There are no simulation results to show.</p>")
      : [
          section(
            "Summary",
            summaryTable(rows),
            "Best value in each column highlighted (↓ lower is better, ↑ higher is better). JCT and waits cover completed and started jobs only.",
          ),
          ...timelineSections(rows, charts),
          jctCdfSection(rows, charts),
          ...tenantSections(rows, charts),
          section("Runs", runTable(rows)),
        ].join("\n");
  return page(
    { title: opts.title, subtitle: opts.subtitle ?? defaultSubtitle(results), footer: opts.footer },
    body,
  );
}

/** "fleet · trace" when every run shares them, which is the comparison a reader expects. */
function defaultSubtitle(results: readonly SimResult[]): string | undefined {
  const fleets = [...new Set(results.map((r) => r.fleet))];
  const traces = [...new Set(results.map((r) => r.trace))];
  if (fleets.length !== 1 || traces.length !== 1) return undefined;
  return `fleet ${fleets[0]} · trace ${traces[0]}`;
}
