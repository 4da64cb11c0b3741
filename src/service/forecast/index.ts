/**
 * The background forecaster: start-time forecasts for every pending job, cached and
 * recomputed off the scheduler loop. The loop never waits for it: it reads the store
 * on its own, and the Monte Carlo runs happen in a worker thread.
 *
 *   idle ─refresh()─► computing ─done─► idle (cache replaced whole, computedAt set)
 *                        │  └─refresh() while computing: one more computation is queued
 *                        │    after it (one at most), and the caller waits for that one
 *                        └─failed─► idle (cache kept; the error goes to onError)
 * A timer calls refresh() every intervalMs when the jobs changed since the last
 * computation or it is older than maxAgeMs, once it has rested after the last one
 * (restRatio); a request for a job the cache lacks asks for one too (request()). The
 * calibration book is read from the store at the first computation and saved after each.
 */
import { Worker } from "node:worker_threads";
import { type Calibration, NO_SHIFT, type Shift, widen } from "../../forecast/calibrate.ts";
import { type ForecastOptions, forecast, type JobForecast } from "../../forecast/index.ts";
import { DEFAULT_HORIZON } from "../../forecast/runs.ts";
import { ACTIVE_STATES, type Db, JobState } from "../../store/jobs.ts";
import type { ServiceContext } from "../context.ts";
import { loadOrStart, saveBook } from "./book.ts";
import { forecastSnapshot } from "./snapshot.ts";

/** A pending job's forecast, times in epoch ms. */
export interface CachedForecast {
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly outcome: JobForecast["outcome"];
  readonly reason: string;
}

export interface ForecasterOptions {
  /** Milliseconds between checks; default 30,000. */
  readonly intervalMs?: number;
  /** A computation older than this is redone even when nothing changed; default 5 min. */
  readonly maxAgeMs?: number;
  /** Seconds of submissions that set the arrival rates; default one day. */
  readonly arrivalWindow?: number;
  /** Monte Carlo runs etc.; default 20 runs, seed 1. */
  readonly forecast?: ForecastOptions;
  /** Run forecast() in a worker thread (default true; tests may run it in this thread). */
  readonly thread?: boolean;
  /**
   * After a computation the timer waits at least this many times as long as it took
   * before the next; default 1. At 300,000 devices one takes minutes, and without a rest
   * a busy queue (jobs change every check) would keep a core computing all the time,
   * beside the scheduler loop's. A job the cache lacks still asks for one at once.
   */
  readonly restRatio?: number;
  /** Milliseconds of a monotonic clock, for the rest; default performance.now (tests fake it). */
  readonly monotonic?: () => number;
  readonly onError?: (err: unknown) => void;
}

type Reply = { id: number; forecasts?: JobForecast[]; error?: string };

export class Forecaster {
  private readonly ctx: ServiceContext;
  private readonly o: ForecasterOptions;
  private cache = new Map<number, CachedForecast>();
  /**
   * Past forecasts, whose jobs' real starts set the band's width (src/forecast/calibrate.ts),
   * read from the store at the first computation and saved after each (./book.ts).
   */
  private calibration: Calibration | undefined;
  private shift: Shift = NO_SHIFT;
  private computed: { at: number; signature: string } | undefined;
  /** The last computation's span on the monotonic clock (ended: -∞ before the first). */
  private busy = { ms: 0, ended: Number.NEGATIVE_INFINITY };
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, (r: Reply) => void>();

  private readonly monotonic: () => number;

  constructor(ctx: ServiceContext, o: ForecasterOptions = {}) {
    this.ctx = ctx;
    this.o = o;
    this.monotonic = o.monotonic ?? performance.now.bind(performance);
  }

  /** Epoch ms of the last computation, or undefined before the first. */
  get computedAt(): number | undefined {
    return this.computed?.at;
  }

  /** Past forecasts behind the last computation's band width (0: the band as simulated). */
  get calibratedOn(): number {
    return this.shift.scores;
  }

  /** Monte Carlo runs per computation. */
  get runs(): number {
    return this.o.forecast?.mode === "estimates" ? 1 : (this.o.forecast?.runs ?? 20);
  }

  /** The cached forecast of pending job `id`, if the last computation had it. */
  get(id: number): CachedForecast | undefined {
    return this.cache.get(id);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.check(), this.o.intervalMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queued?.catch(() => {});
    await this.running?.catch(() => {});
    await this.worker?.terminate();
    this.worker = undefined;
  }

  /** Asks for a computation soon (a job the cache lacks was asked for). */
  request(): void {
    void this.refresh().catch((err) => this.o.onError?.(err));
  }

  /**
   * Computes every pending job's forecast and replaces the cache; resolves once a
   * computation that began after this call is done (one under way may have missed the
   * latest change, so one more follows it, shared by every caller meanwhile).
   */
  refresh(): Promise<void> {
    if (this.running === undefined) return this.begin();
    this.queued ??= this.running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.begin();
      });
    return this.queued;
  }

  private begin(): Promise<void> {
    const began = this.monotonic();
    const run = this.compute()
      .finally(() => {
        const ended = this.monotonic();
        this.busy = { ms: ended - began, ended };
      })
      .then(
        (done) =>
          this.ctx.metrics.observeForecast(
            this.busy.ms / 1000,
            done.at,
            done.outcomes,
            done.scores,
          ),
        (err) => {
          this.ctx.metrics.forecastFailures.inc();
          throw err;
        },
      )
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  /**
   * The timer's step: recompute when the jobs changed or the last one is old, unless
   * one is under way or the forecaster rests after the last (restRatio). Resolves true
   * when it computed.
   */
  async check(): Promise<boolean> {
    try {
      if (this.running !== undefined || this.queued !== undefined) return false;
      if (this.monotonic() - this.busy.ended < this.busy.ms * (this.o.restRatio ?? 1)) return false;
      const age = this.ctx.clock() - (this.computed?.at ?? Number.NEGATIVE_INFINITY);
      if (age < (this.o.maxAgeMs ?? 300_000)) {
        const sig = await signature(this.ctx.store.db);
        if (sig === this.computed?.signature) return false;
      }
      await this.refresh();
      return true;
    } catch (err) {
      this.o.onError?.(err);
      return false;
    }
  }

  /** One computation; says when (epoch ms), its outcomes and the scores behind its band. */
  private async compute(): Promise<{
    at: number;
    outcomes: Map<string, number>;
    scores: number;
  }> {
    const { ctx } = this;
    const now = ctx.clock();
    const sig = await signature(ctx.store.db);
    const snap = await forecastSnapshot(
      ctx.store.db,
      ctx.fleet,
      ctx.policy,
      now,
      this.o.arrivalWindow ?? 86_400,
    );
    const opts: ForecastOptions = { runs: 20, seed: 1, ...this.o.forecast };
    const raw = this.o.thread === false ? forecast(snap, opts) : await this.inWorker(snap, opts);
    this.calibration ??= await loadOrStart(ctx.store.db, this.o.onError);
    const book = this.calibration;
    const starts = await startsOf(ctx.store.db, book.ids());
    const shift = book.shift(snap.now, (id) => starts.get(id));
    book.record(snap.now, raw, shift);
    await saveBook(ctx.store.db, book);
    const out = raw.map((f) => widen(f, shift, opts.horizon ?? DEFAULT_HORIZON));
    const ms = (s: number | null) => (s === null ? null : Math.round(now + s * 1000));
    const cache = new Map<number, CachedForecast>();
    for (const f of out)
      cache.set(Number(f.id), {
        p10: ms(f.p10),
        p50: ms(f.p50),
        p90: ms(f.p90),
        outcome: f.outcome,
        reason: f.reason,
      });
    this.cache = cache;
    this.shift = shift;
    this.computed = { at: now, signature: sig };
    const outcomes = new Map<string, number>();
    for (const f of out) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);
    return { at: now, outcomes, scores: shift.scores };
  }

  private inWorker(snap: unknown, opts: ForecastOptions): Promise<JobForecast[]> {
    if (this.worker === undefined) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url));
      worker.unref();
      worker.on("message", (m: Reply) => {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      });
      worker.on("error", (err) => {
        for (const w of this.waiting.values()) w({ id: -1, error: String(err) });
        this.waiting.clear();
        this.worker = undefined;
      });
      this.worker = worker;
    }
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) =>
        m.forecasts !== undefined
          ? resolve(m.forecasts)
          : reject(new Error(`forecast: ${m.error}`)),
      );
      worker.postMessage({ id, snap, opts });
    });
  }
}

/** Start times (epoch s) of the jobs in `ids` that have started. */
async function startsOf(db: Db, ids: ReadonlySet<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const all = [...ids].map(Number);
  for (let i = 0; i < all.length; i += 500) {
    const rows = await db
      .selectFrom("jobs")
      .select(["id", "started_at"])
      .where("id", "in", all.slice(i, i + 500))
      .where("state", "!=", JobState.Pending)
      .where("started_at", "is not", null)
      .execute();
    for (const r of rows) out.set(String(r.id), r.started_at! / 1000);
  }
  return out;
}

/** What changes when a job arrives, starts or ends: ids and attempts of live jobs. */
async function signature(db: Db): Promise<string> {
  const rows = await db
    .selectFrom("jobs")
    .select(["id", "state", "attempt"])
    .where("state", "in", [JobState.Pending, ...ACTIVE_STATES])
    .orderBy("id")
    .execute();
  return rows.map((r) => `${r.id}.${r.state}.${r.attempt}`).join(",");
}

const forecasters = new WeakMap<ServiceContext, Forecaster>();

/** Starts the service's forecaster (server.ts calls it once). */
export function startForecaster(ctx: ServiceContext, o: ForecasterOptions = {}): Forecaster {
  const f = new Forecaster(ctx, o);
  forecasters.set(ctx, f);
  f.start();
  return f;
}

/** The service's forecaster; one is made, not started, when none was (app-only tests). */
export function forecasterOf(ctx: ServiceContext): Forecaster {
  let f = forecasters.get(ctx);
  if (f === undefined) {
    f = new Forecaster(ctx, { thread: false });
    forecasters.set(ctx, f);
  }
  return f;
}
