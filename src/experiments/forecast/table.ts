/** The backtest's markdown table and the --check rule. */
import type { BacktestSummary } from "../../forecast/backtest.ts";

/** Coverage target for the P10–P90 band: 80 % ± 5 points. */
export const COVERAGE = { target: 0.8, tolerance: 0.05 } as const;

/** A summary as markdown: one row per predictor, median and mean absolute errors in hours. */
export function backtestTable(name: string, s: BacktestSummary): string {
  const h = (x: number) => (x / 3600).toFixed(2);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const gain = (base: number) =>
    base > 0 ? `${(base / Math.max(1, s.medianAbsError.forecast)).toFixed(1)}×` : "–";
  return [
    `${name}: ${s.points} pending-job forecasts at ${s.moments} moments; median actual wait ${h(s.medianActual)} h; ${s.early} started before their P10, ${s.late} after their P90.`,
    "",
    "| predictor | P10–P90 coverage | median abs error (h) | mean abs error (h) | forecaster's median error is smaller by |",
    "|---|---:|---:|---:|---:|",
    `| forecaster (Monte Carlo P50; band calibrated online) | ${pct(s.coverage)} | ${h(s.medianAbsError.forecast)} | ${h(s.meanAbsError.forecast)} | – |`,
    `| – the same band as simulated (no calibration) | ${pct(s.rawCoverage)} | | | |`,
    `| naive (jobs ahead × mean run time) | – | ${h(s.medianAbsError.naive)} | ${h(s.meanAbsError.naive)} | ${gain(s.medianAbsError.naive)} |`,
    `| Slurm-like (plan on user estimates) | – | ${h(s.medianAbsError.slurm)} | ${h(s.meanAbsError.slurm)} | ${gain(s.medianAbsError.slurm)} |`,
  ].join("\n");
}

/** What fails the check: coverage off target, or a baseline at least as good. */
export function backtestFailures(s: BacktestSummary): string[] {
  const out: string[] = [];
  if (Math.abs(s.coverage - COVERAGE.target) > COVERAGE.tolerance)
    out.push(`P10–P90 coverage ${(100 * s.coverage).toFixed(1)} % is outside 80 % ± 5 points`);
  const f = s.medianAbsError.forecast;
  if (!(f < s.medianAbsError.naive))
    out.push(`median abs error ${f} s is not below naive's ${s.medianAbsError.naive} s`);
  if (!(f < s.medianAbsError.slurm))
    out.push(`median abs error ${f} s is not below Slurm-like's ${s.medianAbsError.slurm} s`);
  return out;
}
