/**
 * Fidelity check against the FGD paper's published curves: for each (workload,
 * policy), the mean allocation over seeds must lie within `tolerance` percentage
 * points of the published mean at every 5 % step of arrived workload (0..130), and
 * FGD must rank first at 100 %. Only means are compared: the published runs used
 * Go's math/rand, so single seeds cannot match.
 */
import { existsSync, readFileSync } from "node:fs";
import Papa from "papaparse";
import { GongjangError } from "../../core/errors.ts";
import { BIN_COUNT } from "./bins.ts";
import type { FgdRunResult } from "./run.ts";

export const STEPS = Array.from({ length: 27 }, (_, i) => i * 5);

/** Mean curve per "workload|label", from published rows or from our runs. */
export type MeanCurves = Map<string, { curve: Float64Array; n: number }>;

/** Reads a published analysis_*_discrete.csv into mean curves per (workload, policy). */
export function readPublishedMeans(file: string): MeanCurves {
  if (!existsSync(file)) {
    throw new GongjangError("GJ_ERR_RESULTS_MISSING", "published results not found", { file });
  }
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, "utf8"), {
    header: true,
    skipEmptyLines: true,
  });
  const means: MeanCurves = new Map();
  for (const row of parsed.data) {
    const key = `${row.workload}|${row.sc_policy}`;
    let entry = means.get(key);
    if (!entry) {
      entry = { curve: new Float64Array(BIN_COUNT), n: 0 };
      means.set(key, entry);
    }
    for (let k = 0; k < BIN_COUNT; k++) entry.curve[k] += Number(row[String(k)]);
    entry.n++;
  }
  for (const e of means.values()) for (let k = 0; k < BIN_COUNT; k++) e.curve[k] /= e.n;
  return means;
}

/** Mean curves of our runs, for the metric picked by `metric`. */
export function runMeans(
  runs: readonly FgdRunResult[],
  metric: "allocation" | "fragmentation",
): MeanCurves {
  const means: MeanCurves = new Map();
  for (const r of runs) {
    const key = `${r.workload}|${r.label}`;
    let entry = means.get(key);
    if (!entry) {
      entry = { curve: new Float64Array(BIN_COUNT), n: 0 };
      means.set(key, entry);
    }
    for (let k = 0; k < BIN_COUNT; k++) entry.curve[k] += r[metric][k];
    entry.n++;
  }
  for (const e of means.values()) for (let k = 0; k < BIN_COUNT; k++) e.curve[k] /= e.n;
  return means;
}

export interface Deviation {
  readonly workload: string;
  readonly label: string;
  readonly seeds: number;
  /** Largest |ours − published| over the 5 % steps, in percentage points. */
  readonly worst: number;
  readonly worstAt: number;
  readonly ours100: number;
  readonly published100: number;
  readonly ok: boolean;
}

export interface FidelityReport {
  readonly tolerance: number;
  readonly deviations: readonly Deviation[];
  /** Per workload: policies by mean allocation at 100 %, best first (ours and published). */
  readonly ranking: readonly {
    workload: string;
    ours: string[];
    published: string[];
    fgdFirst: boolean;
  }[];
  readonly ok: boolean;
}

/** Compares our mean allocation curves with the published ones. */
export function compareAllocation(
  ours: MeanCurves,
  published: MeanCurves,
  tolerance = 1.0,
): FidelityReport {
  const deviations: Deviation[] = [];
  const byWorkload = new Map<string, { label: string; ours: number; published: number }[]>();
  for (const [key, mine] of [...ours.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const ref = published.get(key);
    if (!ref) continue;
    const [workload, label] = key.split("|");
    let worst = 0;
    let worstAt = 0;
    for (const k of STEPS) {
      const d = Math.abs(mine.curve[k] - ref.curve[k]);
      if (d > worst) {
        worst = d;
        worstAt = k;
      }
    }
    deviations.push({
      workload,
      label,
      seeds: mine.n,
      worst: round3(worst),
      worstAt,
      ours100: round3(mine.curve[100]),
      published100: round3(ref.curve[100]),
      ok: worst <= tolerance,
    });
    const list = byWorkload.get(workload) ?? [];
    list.push({ label, ours: mine.curve[100], published: ref.curve[100] });
    byWorkload.set(workload, list);
  }
  const ranking = [...byWorkload.entries()].map(([workload, list]) => {
    const ours = [...list].sort((a, b) => b.ours - a.ours).map((e) => e.label);
    const publishedOrder = [...list].sort((a, b) => b.published - a.published).map((e) => e.label);
    return { workload, ours, published: publishedOrder, fgdFirst: ours[0] === "06-FGD" };
  });
  const ok =
    deviations.length > 0 &&
    deviations.every((d) => d.ok) &&
    ranking.every((r) => r.fgdFirst || !r.ours.includes("06-FGD"));
  return { tolerance, deviations, ranking, ok };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
