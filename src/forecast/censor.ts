/**
 * Cutting a run short without changing the answer. The P10/P50/P90 of n runs never read
 * a job's top few starts (with 20 runs, the latest), so a run far longer than the others
 * (e.g. one in which a gang starves for days) may stop at a cap: a job it has not started
 * by then starts later than the cap. When that leaves some job's quantiles open, the runs
 * concerned are done again without a cap, so the answer is always the uncut one's; caps
 * decide the cost only.
 */
import type { RunResult } from "./runs.ts";

/** The quantiles a forecast reports. */
export const QUANTILES = [0.1, 0.5, 0.9] as const;

/** Runs that must be done (uncut) before caps start; then a cap is FACTOR × the latest end. */
const CAP_AFTER = 3;
const CAP_FACTOR = 2;

/** How many of a job's latest starts (over n runs) no reported quantile reads. */
export function spareRanks(n: number): number {
  const top = Math.max(...QUANTILES);
  // quantile() reads ranks floor(q(n-1)) and the one above it.
  return Math.max(0, n - 1 - Math.min(n - 1, Math.floor(top * (n - 1)) + 1));
}

/** When a run's last watched workload started (Infinity: one never did). */
export function lastStart(r: RunResult): number {
  let last = 0;
  for (const s of r.starts) if (s > last) last = s;
  return last;
}

/**
 * The cap for the next run, from the runs done so far (undefined: not done yet):
 * none until CAP_AFTER uncut runs have ended, nor when no rank is spare.
 */
export function nextCap(n: number, done: readonly (RunResult | undefined)[]): number {
  if (spareRanks(n) === 0) return Number.POSITIVE_INFINITY;
  let uncut = 0;
  let latest = 0;
  for (const r of done) {
    if (r === undefined || Number.isFinite(r.cutAt)) continue;
    uncut++;
    latest = Math.max(latest, lastStart(r));
  }
  return uncut < CAP_AFTER ? Number.POSITIVE_INFINITY : CAP_FACTOR * latest;
}

/**
 * The cut runs to do again uncut: those leaving a job with more open starts than spare
 * ranks, or with an open start that might come before another run's known one.
 */
export function rerunsNeeded(results: readonly RunResult[]): number[] {
  const cut = results.flatMap((r, k) => (Number.isFinite(r.cutAt) ? [k] : []));
  if (cut.length === 0) return [];
  const spare = spareRanks(results.length);
  const jobs = results[0].starts.length;
  const again = new Set<number>();
  for (let i = 0; i < jobs && again.size < cut.length; i++) {
    let open = 0;
    let lowestCap = Number.POSITIVE_INFINITY;
    let latestKnown = 0;
    for (const r of results) {
      const s = r.starts[i];
      if (s === Number.POSITIVE_INFINITY && Number.isFinite(r.cutAt)) {
        open++;
        lowestCap = Math.min(lowestCap, r.cutAt);
      } else latestKnown = Math.max(latestKnown, s);
    }
    if (open === 0 || (open <= spare && latestKnown <= lowestCap)) continue;
    for (const k of cut) if (results[k].starts[i] === Number.POSITIVE_INFINITY) again.add(k);
  }
  return [...again].sort((a, b) => a - b);
}
