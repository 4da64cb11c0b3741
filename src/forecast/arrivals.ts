/**
 * Future submissions: per queue, a Poisson process at the queue's recent rate, each
 * arrival a resampled recent submission with a run time from the run-time model.
 *
 * The rate itself is uncertain: submissions come in bursts, and a day's count says
 * little about the next one's. So each run draws one multiplier per queue from a Gamma
 * with mean 1 (a negative-binomial process), its shape fitted to the over-dispersion of
 * the window's hourly submission counts (method of moments; no over-dispersion, no
 * spread). It is read from each snapshot's own history, never from what came after.
 */
import type { Rng } from "../core/rng.ts";
import type { Workload } from "../core/workload/index.ts";
import type { RuntimeModel } from "./history.ts";

/** Arrivals one run generates at most (a guard against a burst in the window). */
const MAX_ARRIVALS = 200_000;
/** Bins of the over-dispersion fit (s). */
const BIN = 3600;

/**
 * Gamma shape k of the arrival-rate multiplier from submissions in [from, from + window):
 * hourly counts with mean m and variance v > m give k = m² / (v − m); Infinity when
 * they are not over-dispersed (or too few bins to tell).
 */
export function rateShape(recent: readonly Workload[], from: number, window: number): number {
  const bins = Math.floor(window / BIN);
  if (bins < 4) return Number.POSITIVE_INFINITY;
  const counts = new Float64Array(bins);
  for (const w of recent) {
    const b = Math.floor((w.submitTime - from) / BIN);
    if (b >= 0 && b < bins) counts[b]++;
  }
  const m = counts.reduce((s, c) => s + c, 0) / bins;
  const v = counts.reduce((s, c) => s + (c - m) ** 2, 0) / (bins - 1);
  return m > 0 && v > m ? (m * m) / (v - m) : Number.POSITIVE_INFINITY;
}

/**
 * Future submissions over [0, horizon) (seconds after now): per queue, a Poisson
 * process at the rate of `recent` (submissions in the last `window` seconds) times a
 * Gamma(shape, 1/shape) multiplier (none when shape is Infinity), each arrival a copy
 * of a random recent submission of that queue with a run time drawn from `model`.
 * `scale(t)` multiplies the run time of an arrival at `t` (batch effects, ./batch.ts).
 * Ids are `~arrival-<n>`; order is by queue, then time.
 */
export function sampleArrivals(
  recent: readonly Workload[],
  window: number,
  horizon: number,
  model: RuntimeModel,
  rng: Rng,
  shape = Number.POSITIVE_INFINITY,
  scale: (t: number) => number = () => 1,
): Workload[] {
  if (!(window > 0) || !Number.isFinite(horizon)) return [];
  const byQueue = new Map<string, Workload[]>();
  for (const w of recent) {
    const l = byQueue.get(w.queue);
    if (l) l.push(w);
    else byQueue.set(w.queue, [w]);
  }
  const out: Workload[] = [];
  for (const [, list] of [...byQueue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const multiplier = Number.isFinite(shape) ? gamma(shape, rng) / shape : 1;
    const rate = (list.length / window) * multiplier;
    if (!(rate > 0)) continue;
    for (let t = -Math.log(1 - rng.next()) / rate; t < horizon; ) {
      if (out.length >= MAX_ARRIVALS) return out;
      const like = list[rng.int(list.length)];
      const duration = model.sample(like, rng) * scale(t);
      out.push({ ...like, id: `~arrival-${out.length}`, submitTime: t, duration });
      t += -Math.log(1 - rng.next()) / rate;
    }
  }
  return out;
}

/** A Gamma(k, 1) draw (Marsaglia–Tsang; k < 1 through k + 1 and a uniform power). */
export function gamma(k: number, rng: Rng): number {
  if (k < 1) return gamma(k + 1, rng) * (1 - rng.next()) ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller: a standard normal.
      x = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
