/**
 * Multi-tenant report: several WorkloadSimResults (one per policy, same scenario and
 * seed) side by side in one self-contained HTML page, built from the same shell,
 * chart builders and SVG renderer as the single-tenant report.
 */
import type { WorkloadSimResult } from "../workloads/result.ts";
import {
  formatCount,
  formatDuration,
  formatFixed,
  formatPercent,
  formatSig,
  MISSING,
} from "./format.ts";
import { type Cell, escapeHtml, type HeaderCell, page, section, table } from "./html.ts";
import { labelRuns } from "./over-time.ts";
import { type Column, winners, winnerTable } from "./summary.ts";
import { createChartRenderer } from "./svg.ts";
import {
  jctSection,
  type LabelledRun,
  shareSection,
  stat,
  tenantOrder,
  tenantWaitSection,
  timelineSections,
} from "./tenancy-charts.ts";

/** Options of {@link renderTenancyReport}; all text, escaped on output. */
export interface TenancyReportOptions {
  readonly title: string;
  /** Omitted: "scenario … · seed …" when every run shares them. */
  readonly subtitle?: string;
  /** What the scenario is, shown first; blank lines separate paragraphs. */
  readonly scenarioDescription?: string;
  /** Footer line, e.g. a generation time. Omitted by default so output is reproducible. */
  readonly footer?: string;
}

/**
 * Renders `results` as one HTML document: a summary table (best value per column
 * marked class="win"), mean and p95 wait per tenant (bars and a policy × tenant
 * table), each policy's tenant shares over time against their guarantees, allocation,
 * fragmentation and pending workloads over time, the JCT CDF, Jain's index per policy
 * with its extremes, and run details.
 *
 * Contract: the page needs no script, network or font to open (it works from
 * file://); all input text is HTML-escaped; result i keeps colour i wherever colours
 * mean policies, and a tenant keeps one colour in every share chart; the output is a
 * pure function of the arguments (byte-identical on re-render, locale-independent).
 * Results keep their given order; a policy name that appears twice is told apart by
 * its seed, then by its position.
 */
export function renderTenancyReport(
  results: readonly WorkloadSimResult[],
  opts: TenancyReportOptions,
): string {
  const rows = labelRuns(results);
  const charts = createChartRenderer();
  const parts: string[] = [];
  if (opts.scenarioDescription) parts.push(scenarioSection(opts.scenarioDescription));
  if (rows.length === 0) {
    parts.push(section("No results", "<p>There are no simulation results to show.</p>"));
  } else {
    const tenants = tenantOrder(rows);
    parts.push(
      section(
        "Summary",
        summaryTable(rows),
        "Best value in each column highlighted (↓ lower is better, ↑ higher is better; unmarked " +
          "columns are not ranked). Waits cover workloads that started, JCTs those that completed. " +
          "Hover a preemption or gang count for its breakdown.",
      ),
      tenantWaitSection(rows, tenants, charts),
      shareSection(rows, tenants, charts),
      ...timelineSections(rows, charts),
      ...jctSection(rows, charts),
      jainSection(rows),
      section("Runs", runTable(rows)),
    );
  }
  return page(
    {
      title: opts.title,
      subtitle: opts.subtitle ?? defaultSubtitle(results),
      footer: opts.footer,
    },
    parts.join("\n"),
  );
}

function defaultSubtitle(results: readonly WorkloadSimResult[]): string | undefined {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const seeds = [...new Set(results.map((r) => r.seed))];
  if (scenarios.length !== 1 || seeds.length !== 1) return undefined;
  return `scenario ${scenarios[0]} · seed ${seeds[0]}`;
}

function scenarioSection(description: string): string {
  const paragraphs = description
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p)}</p>`);
  return section("Scenario", paragraphs.join("\n"));
}

const preemptions = (r: WorkloadSimResult) =>
  r.preemptions.reclaim +
  r.preemptions.priority +
  r.preemptions.maintenance +
  r.preemptions.reservation;

const gangStarts = (r: WorkloadSimResult) => r.gangLevels.reduce((s, n) => s + n, 0);

const GANG_LEVELS = ["one domain", "one rack", "one site", "several sites"];

const COLUMNS: readonly Column<WorkloadSimResult>[] = [
  {
    header: "Completed ↑",
    title: "Workloads completed / submitted (higher is better)",
    better: "higher",
    value: (r) => r.workloads.completed,
    format: (v, r) => `${formatCount(v)} / ${formatCount(r.workloads.submitted)}`,
  },
  {
    header: "Wait mean ↓",
    title: "First start − submit, mean over workloads that started",
    better: "lower",
    value: (r) => stat(r.wait, "mean"),
    format: formatDuration,
  },
  {
    header: "Wait p95 ↓",
    title: "First start − submit, 95th percentile",
    better: "lower",
    value: (r) => stat(r.wait, "p95"),
    format: formatDuration,
  },
  {
    header: "JCT mean ↓",
    title: "Completion time = end − submit, mean over completed workloads",
    better: "lower",
    value: (r) => stat(r.jct, "mean"),
    format: formatDuration,
  },
  {
    header: "JCT p95 ↓",
    title: "Completion time, 95th percentile",
    better: "lower",
    value: (r) => stat(r.jct, "p95"),
    format: formatDuration,
  },
  {
    header: "Allocation ↑",
    title: "Time-weighted mean share of the devices present that were allocated",
    better: "higher",
    value: (r) => r.meanAllocation,
    format: (v) => formatPercent(v),
  },
  {
    header: "Preemptions ↓",
    title:
      "Preemptions, all reasons (hover a cell for reclaim / priority / maintenance / reservation)",
    better: "lower",
    value: preemptions,
    format: formatCount,
    tip: (r) =>
      `reclaim ${r.preemptions.reclaim} · priority ${r.preemptions.priority} · ` +
      `maintenance ${r.preemptions.maintenance} · reservation ${r.preemptions.reservation}`,
  },
  {
    header: "Restarts",
    title:
      "Runs killed by node failures and restarted from scratch (set by the failures, not ranked)",
    better: "none",
    value: (r) => r.restarts,
    format: formatCount,
  },
  {
    header: "Reclaims",
    title: "Borrowed devices taken back for a tenant's guarantee (a mechanism, not ranked)",
    better: "none",
    value: (r) => r.reclaim.count,
    format: formatCount,
  },
  {
    header: "Reclaim max ↓",
    title: "Longest time from a reclaim decision to the owner's workload starting",
    better: "lower",
    value: (r) => (r.reclaim.count > 0 ? r.reclaim.maxLatency : undefined),
    format: formatDuration,
  },
  {
    header: "Gangs in 1 domain ↑",
    title: "Multi-member starts placed within one topology domain, % of all multi-member starts",
    better: "higher",
    value: (r) => (gangStarts(r) > 0 ? (100 * (r.gangLevels[0] ?? 0)) / gangStarts(r) : undefined),
    format: (v) => formatPercent(v),
    tip: (r) => GANG_LEVELS.map((l, k) => `${l} ${r.gangLevels[k] ?? 0}`).join(" · "),
  },
  {
    header: "Jain ↑",
    title: "Jain's index over tenants of mean share ÷ guaranteed share (1 = even; see below)",
    better: "higher",
    value: (r) => r.jainIndex,
    format: (v) => formatFixed(v, 3),
  },
];

/** The summary table's HTML, winners marked with class="win". */
function summaryTable(rows: readonly LabelledRun[]): string {
  return winnerTable(rows, COLUMNS);
}

/** The value Jain's index is taken over for one tenant, as the recorder defines it. */
function fairValue(t: WorkloadSimResult["tenants"][number]): number {
  return t.guaranteedShare > 0 ? t.meanShare / t.guaranteedShare : t.meanShare;
}

function fairText(t: WorkloadSimResult["tenants"][number]): string {
  return t.guaranteedShare > 0
    ? `${t.tenant}: ${formatSig(fairValue(t))}× guarantee`
    : `${t.tenant}: ${formatPercent(t.meanShare * 100)} of devices`;
}

/** Section 5: Jain's index per policy, what it is taken over, and who sits at each end. */
function jainSection(rows: readonly LabelledRun[]): string {
  const head: HeaderCell[] = [
    { text: "Policy" },
    { text: "Jain ↑", title: "1 = every tenant got the same multiple of its guarantee" },
    { text: "Tenants", title: "Tenants with at least one workload (the ones the index covers)" },
    { text: "Least served", title: "Lowest mean share ÷ guarantee (or share, without a quota)" },
    { text: "Most served", title: "Highest mean share ÷ guarantee (or share, without a quota)" },
  ];
  const wins = winners(
    rows.map((r) => r.result.jainIndex),
    "higher",
  );
  const body = rows.map((r, i): Cell[] => {
    // Stable order for ties: the recorder's tenant order.
    const active = r.result.tenants.filter((t) => t.workloads > 0);
    let lo = active[0];
    let hi = active[0];
    for (const t of active) {
      if (fairValue(t) < fairValue(lo)) lo = t;
      if (fairValue(t) > fairValue(hi)) hi = t;
    }
    const text = formatFixed(r.result.jainIndex, 3);
    return [
      { text: r.label, swatch: r.color },
      wins.has(i) ? { text, className: "win", title: "best in column" } : { text },
      { text: formatCount(active.length) },
      { text: lo ? fairText(lo) : MISSING },
      { text: hi ? fairText(hi) : MISSING },
    ];
  });
  return section(
    "Fairness: Jain's index",
    table(head, body),
    "Jain's index J = (Σx)² / (n · Σx²) over the n tenants that submitted work, where x is a " +
      "tenant's time-averaged share of fleet devices divided by its guaranteed share (its plain " +
      "device share when it has no quota, so without quotas the index is over device shares). " +
      "J = 1 when every tenant got the same multiple of its guarantee and falls toward 1/n as " +
      "one tenant takes everything. A tenant with little demand lowers J without being wronged, " +
      "so read it next to the waits.",
  );
}

/** Where each run came from and how its workloads ended; informational, no winners. */
function runTable(rows: readonly LabelledRun[]): string {
  const head: HeaderCell[] = [
    { text: "Policy" },
    { text: "Scenario" },
    { text: "Seed" },
    { text: "Horizon", title: "Simulated time span" },
    { text: "Cycles", title: "Scheduling cycles run" },
    { text: "Submitted" },
    { text: "Completed" },
    { text: "Running", title: "Still running at the end" },
    { text: "Pending", title: "Still waiting at the end" },
    { text: "Rejected", title: "Can never run on this fleet" },
    { text: "Timed out", title: "Stopped at the QoS maximum runtime" },
  ];
  const body: Cell[][] = rows.map(({ label, color, result: r }) => [
    { text: label, swatch: color },
    { text: r.scenario },
    { text: String(r.seed) },
    { text: formatDuration(r.horizon) },
    { text: formatCount(r.cycles) },
    { text: formatCount(r.workloads.submitted) },
    { text: formatCount(r.workloads.completed) },
    { text: formatCount(r.workloads.running) },
    { text: formatCount(r.workloads.pending) },
    { text: formatCount(r.workloads.rejected) },
    { text: formatCount(r.workloads.timedOut) },
  ]);
  return table(head, body);
}
