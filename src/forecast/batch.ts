/**
 * Jobs submitted together run alike: a sweep of one model, a user's batch of similar
 * runs. Drawn independently, the run times of a queue of such jobs average out, and
 * the forecast band of the jobs behind them comes out too narrow. So run times carry a
 * random effect per submission hour: each run draws, per hour, one log-scale shift
 * from N(0, σ²) shared by the jobs submitted in it. σ comes from the history alone:
 * the spread of the hourly means of log run time (less each job's queue-and-size
 * group mean) beyond what the spread within hours explains (method of moments).
 */
import type { Rng } from "../core/rng.ts";
import type { Workload } from "../core/workload/index.ts";
import { sizeBucket } from "./history.ts";

const HOUR = 3600;

/** σ of the per-hour log-run-time shift in `finished`; 0 when it cannot be told. */
export function batchSigma(finished: readonly Workload[]): number {
  const log = (w: Workload) => Math.log(Math.max(1, w.duration));
  const ok = finished.filter((w) => Number.isFinite(w.duration) && w.duration >= 0);
  // Residuals against the queue-and-size group mean: between-group differences are the
  // run-time model's own business.
  const groups = new Map<string, { sum: number; n: number }>();
  const key = (w: Workload) => `${w.queue}|${sizeBucket(w)}`;
  for (const w of ok) {
    const g = groups.get(key(w)) ?? { sum: 0, n: 0 };
    g.sum += log(w);
    g.n++;
    groups.set(key(w), g);
  }
  const hours = new Map<number, number[]>();
  for (const w of ok) {
    const g = groups.get(key(w))!;
    const h = Math.floor(w.submitTime / HOUR);
    const list = hours.get(h) ?? [];
    list.push(log(w) - g.sum / g.n);
    hours.set(h, list);
  }
  const bins = [...hours.values()].filter((r) => r.length >= 2);
  if (bins.length < 3) return 0;
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  let within = 0;
  let dof = 0;
  for (const r of bins) {
    const m = mean(r);
    within += r.reduce((s, x) => s + (x - m) ** 2, 0);
    dof += r.length - 1;
  }
  const sw2 = dof > 0 ? within / dof : 0;
  const means = bins.map(mean);
  const mm = mean(means);
  const between = means.reduce((s, x) => s + (x - mm) ** 2, 0) / (means.length - 1);
  const noise = mean(bins.map((r) => sw2 / r.length));
  return Math.sqrt(Math.max(0, between - noise));
}

/**
 * One run's effects: the run-time multiplier for work submitted at `t` (seconds, the
 * snapshot's clock), e^(σz − σ²/2) with one z ~ N(0, 1) per hour, drawn on first use.
 */
export function batchEffects(sigma: number, rng: Rng): (t: number) => number {
  if (!(sigma > 0)) return () => 1;
  const byHour = new Map<number, number>();
  return (t) => {
    const h = Math.floor(t / HOUR);
    let m = byHour.get(h);
    if (m === undefined) {
      const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      // Mean 1 (a lognormal's mean is e^(σ²/2)): spread, not a bias.
      m = Math.exp(sigma * z - (sigma * sigma) / 2);
      byHour.set(h, m);
    }
    return m;
  };
}
