/**
 * The summary table: one row per policy, one column per headline metric, and the
 * best value of each column marked class="win". A column crowns nobody when fewer
 * than two policies have a value or when all values tie, because a "winner" there
 * carries no information.
 */
import type { Distribution, SimResult } from "../result.ts";
import { formatCount, formatDuration, formatFixed, formatPercent, MISSING } from "./format.ts";
import { type Cell, type HeaderCell, table } from "./html.ts";

import type { Labelled } from "./over-time.ts";

/** A result with the display name and colour the whole report uses for it. */
export type LabelledResult = Labelled<SimResult>;

export type Better = "lower" | "higher" | "none";

/** One column of a summary table over results of type T. */
export interface Column<T> {
  readonly header: string;
  readonly title: string;
  readonly better: Better;
  /** undefined: no meaningful value (e.g. a JCT percentile with no completed job). */
  readonly value: (r: T) => number | undefined;
  readonly format: (v: number, r: T) => string;
  /** A per-cell tooltip, e.g. the breakdown behind a total. */
  readonly tip?: (r: T) => string;
}

// Distributions of zero samples are all zeros in SimMetrics; reading them as "0 s"
// would make a policy that completed nothing the JCT winner.
function stat(pick: (m: SimResult["metrics"]) => Distribution, key: keyof Distribution) {
  return (r: SimResult): number | undefined => {
    const d = pick(r.metrics);
    return d.count > 0 ? d[key] : undefined;
  };
}

const jct = (m: SimResult["metrics"]) => m.jct;
const wait = (m: SimResult["metrics"]) => m.queueingDelay;

const COLUMNS: readonly Column<SimResult>[] = [
  {
    header: "Jobs",
    title: "Jobs in the trace",
    better: "none",
    value: (r) => r.metrics.jobs,
    format: formatCount,
  },
  {
    header: "Completed ↑",
    title: "Jobs that finished (higher is better)",
    better: "higher",
    value: (r) => r.metrics.completed,
    format: formatCount,
  },
  {
    header: "Rejected ↓",
    title: "Jobs that can never run on this fleet (lower is better)",
    better: "lower",
    value: (r) => r.metrics.rejected,
    format: formatCount,
  },
  {
    header: "JCT mean ↓",
    title: "Job completion time = end − submit, mean",
    better: "lower",
    value: stat(jct, "mean"),
    format: formatDuration,
  },
  {
    header: "JCT p50 ↓",
    title: "Job completion time, median",
    better: "lower",
    value: stat(jct, "p50"),
    format: formatDuration,
  },
  {
    header: "JCT p95 ↓",
    title: "Job completion time, 95th percentile",
    better: "lower",
    value: stat(jct, "p95"),
    format: formatDuration,
  },
  {
    header: "JCT p99 ↓",
    title: "Job completion time, 99th percentile",
    better: "lower",
    value: stat(jct, "p99"),
    format: formatDuration,
  },
  {
    header: "Wait mean ↓",
    title: "Queueing delay = start − submit, mean",
    better: "lower",
    value: stat(wait, "mean"),
    format: formatDuration,
  },
  {
    header: "Wait p95 ↓",
    title: "Queueing delay, 95th percentile",
    better: "lower",
    value: stat(wait, "p95"),
    format: formatDuration,
  },
  {
    header: "Makespan ↓",
    title: "First submit to last completion",
    better: "lower",
    value: (r) => r.metrics.makespan,
    format: formatDuration,
  },
  {
    header: "Allocation ↑",
    title: "Time-weighted mean share of devices allocated",
    better: "higher",
    value: (r) => r.metrics.meanAllocation,
    format: (v) => formatPercent(v),
  },
  {
    header: "Fragmentation ↓",
    title: "Time-weighted mean FGD fragmentation, % of all devices",
    better: "lower",
    value: (r) => r.metrics.meanFragmentation,
    format: (v) => formatPercent(v),
  },
  {
    header: "Jain ↑",
    title: "Jain's fairness index over tenants' device-second shares (1 = even)",
    better: "higher",
    value: (r) => r.metrics.jainIndex,
    format: (v) => formatFixed(v, 3),
  },
];

/** Relative tolerance for ties, so float noise below display precision never splits them. */
const TIE = 1e-9;

/**
 * Indices of the rows holding the best value of `values` under `better`; empty when
 * the column has no winner (see the file comment).
 */
export function winners(values: readonly (number | undefined)[], better: Better): Set<number> {
  const present = values
    .map((v, i) => [v, i] as const)
    .filter((e): e is readonly [number, number] => e[0] !== undefined && Number.isFinite(e[0]));
  if (better === "none" || present.length < 2) return new Set();
  const sign = better === "lower" ? 1 : -1;
  const best = Math.min(...present.map(([v]) => sign * v));
  const near = (v: number) => Math.abs(sign * v - best) <= TIE * Math.max(1, Math.abs(best));
  const won = present.filter(([v]) => near(v)).map(([, i]) => i);
  return won.length === present.length ? new Set() : new Set(won);
}

/** The summary table's HTML, winners marked with class="win". */
export function summaryTable(rows: readonly LabelledResult[]): string {
  return winnerTable(rows, COLUMNS);
}

/** One row per run, one cell per column, each column's best value marked class="win". */
export function winnerTable<T>(
  rows: readonly Labelled<T>[],
  columns: readonly Column<T>[],
): string {
  const head: HeaderCell[] = [
    { text: "Policy", title: "Scheduling policy (colour as in the charts)" },
    ...columns.map((c) => ({ text: c.header, title: c.title })),
  ];
  const values = columns.map((c) => rows.map((r) => c.value(r.result)));
  const wins = columns.map((c, k) => winners(values[k], c.better));
  const body: Cell[][] = rows.map((r, i) => [
    { text: r.label, swatch: r.color },
    ...columns.map((c, k): Cell => {
      const v = values[k][i];
      const text = v === undefined ? MISSING : c.format(v, r.result);
      const tip = c.tip?.(r.result);
      if (wins[k].has(i)) {
        return { text, className: "win", title: tip ? `best in column; ${tip}` : "best in column" };
      }
      return tip ? { text, title: tip } : { text };
    }),
  ]);
  return table(head, body);
}

/** Where each run came from and how much work it did; informational, no winners. */
export function runTable(rows: readonly LabelledResult[]): string {
  const head: HeaderCell[] = [
    { text: "Policy" },
    { text: "Fleet" },
    { text: "Trace" },
    { text: "Seed" },
    { text: "Events", title: "Simulation events processed" },
    { text: "Cycles", title: "Scheduling cycles run" },
    { text: "Placements", title: "Jobs placed (restarts included)" },
    { text: "Restarts", title: "Runs killed by node failures" },
    { text: "Unfinished", title: "Jobs still waiting or running when the run ended" },
  ];
  const body: Cell[][] = rows.map(({ label, color, result: r }) => [
    { text: label, swatch: color },
    { text: r.fleet },
    { text: r.trace },
    { text: String(r.seed) },
    { text: formatCount(r.events) },
    { text: formatCount(r.cycles) },
    { text: formatCount(r.placements) },
    { text: formatCount(r.metrics.restarts) },
    { text: formatCount(r.metrics.unfinished) },
  ]);
  return table(head, body);
}
