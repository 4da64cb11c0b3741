/**
 * Online conformal calibration of the P10–P90 band. The Monte Carlo band is too narrow
 * where the runs share a blind spot (the whole queue drains slower than history says),
 * so each side of the band is widened (or narrowed) by how far earlier forecasts
 * missed on that side, once their jobs' starts are known: split-conformal quantile
 * regression, one side at a time, on a log scale (waits span seconds to days).
 *
 * A record's scores, with z(x) = ln(x + OFFSET) and a the actual wait from its issue:
 *   lower = z(p10) − z(a)  (> 0: it started before its P10)
 *   upper = z(a) − z(p90)  (> 0: it started after its P90)
 * A job still waiting past its P90 is a known late miss: its upper score is at least
 * z(waited) − z(p90), and that bound is what counts. A job still waiting inside its
 * band is not counted yet. Each side's shift is the ⌈(1 − α)(n + 1)⌉-th smallest of its
 * n scores, so that each side misses about α of the time.
 *
 * α starts at β = (1 − target) / 2 and adapts (Gibbs and Candès's adaptive conformal
 * inference, 2021): whenever the band a forecast was served with turns out to have held
 * or missed on a side, that side's α moves by γ (β − miss). Misses come in runs (a whole
 * queue drains slower than the scores so far say), and a fixed level lets them run on;
 * the adaptive one widens the band until the misses on each side fall back to β.
 */
import type { JobForecast } from "./types.ts";

/** Seconds added before the log: waits under a minute are all "now". */
const OFFSET = 60;
const z = (x: number) => Math.log(x + OFFSET);
const unz = (v: number) => Math.max(0, Math.exp(v) - OFFSET);

export interface CalibrationOptions {
  /**
   * Share of starts the band is calibrated to hold; default 0.85. It is served as the
   * P10–P90 band (80 %), but misses come in bursts that the adaptive level answers only
   * once their jobs start, so it aims 5 points above (docs/forecast.md, Backtest).
   */
  readonly target?: number;
  /** Scores a side needs before it is shifted at all; default 30. */
  readonly minScores?: number;
  /** Forecasts kept (the newest); default 5,000. */
  readonly keep?: number;
  /**
   * Seconds of forecasting the book should span; default 24 h. Each record() keeps at
   * most keep × (seconds since the last one) / memory forecasts (unused room carries
   * over), chosen evenly over jobs. Without it a queue of 10,000 jobs forecast every few
   * minutes would fill the book in one computation, and only jobs that start within
   * minutes would ever resolve.
   */
  readonly memory?: number;
  /**
   * Seconds before a job's forecast is recorded again; default 600. A service forecasts
   * every job every few minutes: without spacing, one long wait would fill the book.
   */
  readonly spacing?: number;
  /** Step of the adaptive level per forecast whose miss is known; default 0.005; 0: fixed. */
  readonly gamma?: number;
}

/** How far to move each side of the band, on the log scale (0: as simulated). */
export interface Shift {
  readonly lower: number;
  readonly upper: number;
  /** Scores behind each side's shift. */
  readonly scores: number;
}

export const NO_SHIFT: Shift = { lower: 0, upper: 0, scores: 0 };

interface Issued {
  readonly id: string;
  /** When the forecast was made (the snapshot's `now`). */
  readonly at: number;
  /** Seconds from `at`, as forecast (before any shift). */
  readonly p10: number;
  readonly p90: number;
  /** The band as served (after the shift in force then), which the levels adapt to. */
  readonly servedP10: number;
  readonly servedP90: number;
  /** Whether its upper side, and then both, have moved the levels already. */
  late: boolean;
  done: boolean;
}

/**
 * A book as JSON: the levels α, the room for new forecasts and when the last were
 * recorded (null: never), and per kept forecast, oldest first:
 * [job id, at, p10, p90, served p10, served p90, late, done] (see Issued).
 */
export interface CalibrationState {
  readonly version: 1;
  readonly lower: number;
  readonly upper: number;
  readonly room: number;
  readonly recordedAt: number | null;
  readonly issued: readonly (readonly [
    string,
    number,
    number,
    number,
    number,
    number,
    boolean,
    boolean,
  ])[];
}

/** A forecast with a band (both ends in the horizon). */
interface Banded {
  readonly f: JobForecast;
  readonly p10: number;
  readonly p90: number;
}

/** Forecasts issued so far, and what their jobs' real starts say of their bands. */
export class Calibration {
  readonly #o: Required<CalibrationOptions>;
  #issued: Issued[] = [];
  /** Job id → when its forecast was last recorded. */
  readonly #last = new Map<string, number>();
  /** Forecasts the next record() may keep (see CalibrationOptions.memory). */
  #room: number;
  #recordedAt = Number.NEGATIVE_INFINITY;

  /** The miss level each side aims at, β (see the top of this file). */
  readonly #beta: number;
  /** Each side's miss level α (see the top of this file). */
  #lower: number;
  #upper: number;

  constructor(o: CalibrationOptions = {}) {
    this.#o = {
      target: 0.85,
      minScores: 30,
      keep: 5000,
      memory: 24 * 3600,
      spacing: 600,
      gamma: 0.005,
      ...o,
    };
    this.#beta = (1 - this.#o.target) / 2;
    this.#lower = this.#upper = this.#beta;
    this.#room = this.#o.keep;
  }

  /**
   * Keeps the raw bands of the forecasts made at `at` (those with a band in the horizon,
   * as many as the memory makes room for), and the bands they were served with: moved
   * by `shift`.
   */
  record(at: number, forecasts: readonly JobForecast[], shift: Shift = NO_SHIFT): void {
    const { keep, memory, spacing } = this.#o;
    const since = at - this.#recordedAt;
    this.#room = Number.isFinite(since)
      ? Math.min(keep, this.#room + (keep * Math.max(0, since)) / memory)
      : keep;
    this.#recordedAt = at;
    const due: Banded[] = [];
    for (const f of forecasts)
      if (
        f.p10 !== null &&
        f.p90 !== null &&
        at - (this.#last.get(f.id) ?? Number.NEGATIVE_INFINITY) >= spacing
      )
        due.push({ f, p10: f.p10, p90: f.p90 });
    for (const { f, p10, p90 } of evenly(due, Math.floor(this.#room), at)) {
      this.#room--;
      this.#last.set(f.id, at);
      const served = widen(f, shift, Number.POSITIVE_INFINITY);
      this.#issued.push({
        id: f.id,
        at,
        p10,
        p90,
        servedP10: served.p10 ?? p10,
        servedP90: served.p90 ?? p90,
        late: false,
        done: false,
      });
    }
    const over = this.#issued.length - keep;
    if (over > 0) {
      for (const f of this.#issued.slice(0, over))
        if (this.#last.get(f.id) === f.at) this.#last.delete(f.id);
      this.#issued = this.#issued.slice(over);
    }
  }

  /** Ids of the jobs whose forecasts are kept (to look up their starts). */
  ids(): Set<string> {
    return new Set(this.#issued.map((f) => f.id));
  }

  /** Forecasts kept. */
  get size(): number {
    return this.#issued.length;
  }

  /** What this book remembers, as plain JSON (the service keeps it across restarts). */
  save(): CalibrationState {
    return {
      version: 1,
      lower: this.#lower,
      upper: this.#upper,
      room: this.#room,
      recordedAt: Number.isFinite(this.#recordedAt) ? this.#recordedAt : null,
      issued: this.#issued.map((f) => [
        f.id,
        f.at,
        f.p10,
        f.p90,
        f.servedP10,
        f.servedP90,
        f.late,
        f.done,
      ]),
    };
  }

  /** A book that goes on from `state` (save()'s), under options `o` (newest `keep` kept). */
  static restore(state: CalibrationState, o: CalibrationOptions = {}): Calibration {
    const c = new Calibration(o);
    c.#lower = state.lower;
    c.#upper = state.upper;
    c.#room = Math.min(c.#o.keep, Math.max(0, state.room));
    c.#recordedAt = state.recordedAt ?? Number.NEGATIVE_INFINITY;
    c.#issued = state.issued
      .slice(-c.#o.keep)
      .map(([id, at, p10, p90, servedP10, servedP90, late, done]) => {
        c.#last.set(id, Math.max(at, c.#last.get(id) ?? Number.NEGATIVE_INFINITY));
        return { id, at, p10, p90, servedP10, servedP90, late, done };
      });
    return c;
  }

  /**
   * The shift that earlier forecasts call for at `now`. `startOf(id)` is a job's real
   * start (same clock), or undefined while it waits. Forecasts made at `now` or later
   * are not read: only what was known before.
   */
  shift(now: number, startOf: (id: string) => number | undefined): Shift {
    const lower: number[] = [];
    const upper: number[] = [];
    for (const f of this.#issued) {
      if (f.at >= now) continue;
      const start = startOf(f.id);
      if (start !== undefined && start <= now) {
        const a = Math.max(0, start - f.at);
        lower.push(z(f.p10) - z(a));
        upper.push(z(a) - z(f.p90));
        if (!f.done) {
          f.done = true;
          this.#adapt("lower", a < f.servedP10);
          if (!f.late) this.#adapt("upper", a > f.servedP90);
        }
        continue;
      }
      if (now - f.at > f.p90) {
        lower.push(z(f.p10) - z(now - f.at));
        upper.push(z(now - f.at) - z(f.p90));
      }
      if (!f.late && now - f.at > f.servedP90) {
        f.late = true;
        this.#adapt("upper", true);
      }
    }
    if (upper.length < this.#o.minScores) return NO_SHIFT;
    return {
      lower: conformalQuantile(lower, 1 - this.#lower),
      upper: conformalQuantile(upper, 1 - this.#upper),
      scores: upper.length,
    };
  }

  /** Moves a side's level after one served band held (or missed) on that side. */
  #adapt(side: "lower" | "upper", missed: boolean): void {
    const step = this.#o.gamma * (this.#beta - (missed ? 1 : 0));
    if (side === "lower") this.#lower += step;
    else this.#upper += step;
  }
}

/**
 * `n` of `forecasts` (all of them when there are no more), in their order, chosen by a
 * hash of job id and time: every job is as likely to be kept, and the same inputs keep
 * the same ones.
 */
function evenly(forecasts: readonly Banded[], n: number, at: number): readonly Banded[] {
  if (forecasts.length <= n) return forecasts;
  const keyed = forecasts.map((b, i) => ({ i, h: fnv1a(`${b.f.id}@${at}`) }));
  keyed.sort((a, b) => a.h - b.h || a.i - b.i);
  const kept = keyed.slice(0, Math.max(0, n)).map((k) => k.i);
  kept.sort((a, b) => a - b);
  return kept.map((i) => forecasts[i]);
}

/** 32-bit FNV-1a: a fixed, portable hash (no seed, no platform dependence). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The ⌈q(n + 1)⌉-th smallest score (the largest when that is past n, the smallest below 1). */
export function conformalQuantile(scores: readonly number[], q: number): number {
  const s = [...scores].sort((a, b) => a - b);
  const k = Math.max(1, Math.min(s.length, Math.ceil(q * (s.length + 1))));
  return s[k - 1];
}

/**
 * A forecast with its band moved by `shift`: P10 down by `lower` and P90 up by `upper`
 * on the log scale (a negative shift narrows), never past its P50; a P90 beyond
 * `horizon` becomes null (past the horizon), like a simulated one.
 */
export function widen(f: JobForecast, shift: Shift, horizon: number): JobForecast {
  if (f.p10 === null || f.p90 === null || f.p50 === null || shift.scores === 0) return f;
  const p10 = Math.round(Math.min(f.p50, unz(z(f.p10) - shift.lower)));
  const p90 = Math.round(Math.max(f.p50, unz(z(f.p90) + shift.upper)));
  return { ...f, p10, p90: p90 > horizon ? null : p90 };
}
