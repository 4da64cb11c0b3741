/**
 * What the recent past says about run times: per queue and size, an empirical
 * (Kaplan–Meier) distribution, conditioned on the time already run for running work.
 * Arrivals are in ./arrivals.ts.
 */
import type { Rng } from "../core/rng.ts";
import { type Workload, workloadMilli } from "../core/workload/index.ts";

/** Samples fewer than this make a group too thin: fall back to a coarser one. */
const MIN_SAMPLES = 10;
/** Run time assumed when no history exists at all and the workload has no estimate. */
const DEFAULT_RUNTIME = 3600;

/** Size bucket of a workload's device demand: CPU-only, fractional, 1, ≤4, ≤8, more. */
export function sizeBucket(w: Workload): string {
  const devices = workloadMilli(w) / 1000;
  if (devices === 0) return "cpu";
  if (devices < 1) return "frac";
  if (devices <= 1) return "1";
  if (devices <= 4) return "4";
  if (devices <= 8) return "8";
  return "big";
}

/**
 * Kaplan–Meier run-time distribution: finished runs are events, running work is
 * censored at its elapsed time. Without the censored part the history would favour
 * short runs (long ones have not finished yet) and forecasts would come out early.
 */
class Survival {
  /** Event times, ascending, and the CDF just after each. */
  readonly times: Float64Array;
  readonly cdf: Float64Array;
  /** Longest observation, event or censored. */
  readonly max: number;
  readonly events: number;

  constructor(events: number[], censored: number[]) {
    const obs = [...events.map((t) => ({ t, e: 1 })), ...censored.map((t) => ({ t, e: 0 }))].sort(
      (a, b) => a.t - b.t || b.e - a.e,
    );
    const times: number[] = [];
    const cdf: number[] = [];
    let atRisk = obs.length;
    let survive = 1;
    for (let i = 0; i < obs.length; ) {
      const t = obs[i].t;
      let d = 0;
      let n = 0;
      for (; i < obs.length && obs[i].t === t; i++, n++) d += obs[i].e;
      if (d > 0) {
        survive *= 1 - d / atRisk;
        times.push(t);
        cdf.push(1 - survive);
      }
      atRisk -= n;
    }
    this.times = Float64Array.from(times);
    this.cdf = Float64Array.from(cdf);
    this.max = obs.length > 0 ? obs[obs.length - 1].t : 0;
    this.events = events.length;
  }

  /** CDF at `t` (right-continuous step). */
  at(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.cdf[lo - 1];
  }

  /**
   * A draw conditioned on exceeding `after`: inverse CDF. Mass past the last event
   * (censored tail) lands uniformly between the longest observation and twice it.
   */
  draw(after: number, rng: Rng): number {
    const from = this.at(after);
    const u = from + rng.next() * (1 - from);
    let lo = 0;
    let hi = this.cdf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.times.length && this.times[lo] > after) return this.times[lo];
    const base = Math.max(this.max, after);
    return base + rng.next() * Math.max(base, 1);
  }
}

/**
 * Run-time distributions: by queue and size, by queue, overall; the first two also
 * over recent submissions only (run times drift: this week's jobs are not last
 * week's), preferred when they hold enough finished runs.
 */
export class RuntimeModel {
  private readonly groups = new Map<string, Survival>();
  private readonly byEstimate: boolean;

  /**
   * `finished`: run times seen whole; `running`: work still running, with time run so
   * far; `since`: submissions from then on are recent (default: none is); `byEstimate`:
   * also group by the user's run-time estimate (its power of two), finest first.
   */
  constructor(
    finished: readonly Workload[],
    running: readonly { readonly w: Workload; readonly elapsed: number }[] = [],
    since = Number.POSITIVE_INFINITY,
    byEstimate = false,
  ) {
    this.byEstimate = byEstimate;
    const lists = new Map<string, { events: number[]; censored: number[] }>();
    const add = (w: Workload, t: number, event: boolean) => {
      const keys = this.keys(w);
      if (w.submitTime >= since) keys.unshift(...keys.map((k) => `recent:${k}`));
      for (const key of [...keys, ""]) {
        let l = lists.get(key);
        if (!l) {
          l = { events: [], censored: [] };
          lists.set(key, l);
        }
        (event ? l.events : l.censored).push(t);
      }
    };
    for (const w of finished)
      if (Number.isFinite(w.duration) && w.duration >= 0) add(w, w.duration, true);
    for (const r of running) add(r.w, r.elapsed, false);
    for (const [k, l] of lists) this.groups.set(k, new Survival(l.events, l.censored));
  }

  /** A run time for `w`, drawn from the first group with enough finished runs: recent first. */
  sample(w: Workload, rng: Rng): number {
    const g = this.group(w);
    return g ? g.draw(-1, rng) : fallback(w);
  }

  /** Seconds still to run for `w`, which has run `elapsed`: a draw conditioned on that. */
  remaining(w: Workload, elapsed: number, rng: Rng): number {
    const g = this.group(w);
    if (!g) return Math.max(1, fallback(w) - elapsed);
    return Math.max(1, g.draw(elapsed, rng) - elapsed);
  }

  /** Its groups, finest first: queue, size and estimate bucket (if asked), queue and size, queue. */
  private keys(w: Workload): string[] {
    const fine = `${w.queue}|${sizeBucket(w)}`;
    const keys = [fine, w.queue];
    if (this.byEstimate && w.estimate !== undefined && Number.isFinite(w.estimate))
      keys.unshift(`${fine}|${Math.round(Math.log2(Math.max(1, w.estimate)))}`);
    return keys;
  }

  private group(w: Workload): Survival | undefined {
    const keys = this.keys(w);
    for (const key of [...keys.map((k) => `recent:${k}`), ...keys]) {
      const g = this.groups.get(key);
      if (g && g.events >= MIN_SAMPLES) return g;
    }
    const all = this.groups.get("");
    return all && all.events > 0 ? all : undefined;
  }
}

function fallback(w: Workload): number {
  return Number.isFinite(w.estimate) ? (w.estimate as number) : DEFAULT_RUNTIME;
}
