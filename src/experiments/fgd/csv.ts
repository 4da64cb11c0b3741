/**
 * allo.csv / frag.csv with exactly the published header, so our rows compare line by
 * line with analysis_allo_discrete.csv and analysis_frag_discrete.csv.
 */
import { BIN_COUNT } from "./bins.ts";
import type { FgdRunResult } from "./run.ts";

const BINS = Array.from({ length: BIN_COUNT }, (_, k) => String(k));

export const ALLO_HEADER = ["workload", "sc_policy", "tune", "seed", "total_gpus", ...BINS].join(
  ",",
);
export const FRAG_HEADER = ["workload", "sc_policy", "tune", "seed", ...BINS].join(",");

/** Formats a float the way pandas wrote the published files (2.0, 14.48). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "";
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

export function alloCsv(runs: readonly FgdRunResult[]): string {
  const rows = runs.map((r) =>
    [
      r.workload,
      r.label,
      pyFloat(r.tune),
      r.seed,
      r.totalDevices,
      ...Array.from(r.allocation, pyFloat),
    ].join(","),
  );
  return `${[ALLO_HEADER, ...rows].join("\n")}\n`;
}

export function fragCsv(runs: readonly FgdRunResult[]): string {
  const rows = runs.map((r) =>
    [r.workload, r.label, pyFloat(r.tune), r.seed, ...Array.from(r.fragmentation, pyFloat)].join(
      ",",
    ),
  );
  return `${[FRAG_HEADER, ...rows].join("\n")}\n`;
}
