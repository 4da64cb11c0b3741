/**
 * The scheduler loop: the one writer of placements. Each tick it
 *   1. takes the executor's reports and applies them (exits, losses);
 *   2. stops runs past their QoS maximum run time;
 *   3. builds a snapshot from the store and runs the core's schedule();
 *   4. applies the decisions in one transaction, and only then tells the executor.
 * A crash between 4's commit and the executor call is healed at the next start by
 * reconcile(): the store says what should run, the executor re-adopts or reports it lost.
 * With Postgres several service processes may run; a lease row picks the one leader.
 */
import { randomUUID } from "node:crypto";
import type { Fleet } from "../../core/model/fleet.ts";
import {
  ACTIVE_STATES,
  type Db,
  JobState,
  jobsIn,
  placementOf,
  StopKind,
} from "../../store/jobs.ts";
import type { Store } from "../../store/open.ts";
import type { ExecJob, Executor } from "../executors/types.ts";
import { storedSpec } from "../jobs/workload.ts";
import type { Metrics } from "../metrics.ts";
import { applyPlan } from "./apply.ts";
import { acquireLease } from "./lease.ts";
import { InThreadPlanner, type Planner, WorkerPlanner } from "./planner.ts";
import type { Snapshot } from "./snapshot.ts";
import { applyExecStatus, type Cancel, stopJob } from "./transitions.ts";

/** A hook run inside each tick's first transaction; it writes through `tx`. */
export type Housekeeping = (ctx: { readonly now: number; readonly tx: Db }) => Promise<void>;

export interface LoopOptions {
  readonly store: Store;
  readonly fleet: Fleet;
  readonly policy: string;
  readonly executor: Executor;
  readonly metrics?: Metrics;
  /** Milliseconds between ticks; default 1000. */
  readonly tickMs?: number;
  /** Plan in a worker thread (needs `database`, the store's unredacted location). */
  readonly plannerThread?: boolean;
  readonly database?: string;
  /** Least milliseconds between the end of a tick and a kicked one; default 100. */
  readonly minGapMs?: number;
  readonly clock?: () => number;
  readonly seed?: number;
  /** Hooks run inside each tick's first transaction (allocation expiry, budget alerts). */
  readonly housekeeping?: readonly Housekeeping[];
  readonly onError?: (err: unknown) => void;
}

export class SchedulerLoop {
  private readonly o: LoopOptions;
  private readonly clock: () => number;
  private readonly id = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private soon: NodeJS.Timeout | undefined;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  private tickCount = 0;
  private adopted = false;
  /** Beneficiaries of preemptions still exiting, oldest first (kept by the leader only). */
  private promised: number[] = [];
  private readonly planner: Planner;

  constructor(options: LoopOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
    this.planner =
      options.plannerThread === true && options.database !== undefined
        ? new WorkerPlanner(options.database, options.fleet, options.policy)
        : new InThreadPlanner(options.store, options.fleet, options.policy);
  }

  /** The last snapshot when planning runs in this thread (else undefined: build one). */
  get last(): Snapshot | undefined {
    return this.planner.last;
  }

  get ticks(): number {
    return this.tickCount;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.kick(), this.o.tickMs ?? 1000);
    this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.timer = undefined;
    this.soon = undefined;
    await this.ticking;
  }

  /**
   * Runs a tick soon (after a submit or cancel). Ticks never overlap, and a burst of
   * kicks runs one tick at most every minGapMs, so that a busy API does not keep the
   * loop (and the event loop) busy with back-to-back snapshots.
   */
  kick(): void {
    if (this.ticking !== undefined || this.soon !== undefined) {
      this.again = true;
      return;
    }
    const wait = this.lastTickAt + (this.o.minGapMs ?? 500) - performance.now();
    if (wait > 0) {
      this.soon = setTimeout(() => {
        this.soon = undefined;
        this.kick();
      }, wait);
      return;
    }
    this.run().catch(() => {}); // reported through onError
  }

  /** Starts a tick and holds `ticking` until it ends; a kick that came meanwhile runs next. */
  private run(): Promise<void> {
    const tick = this.tick();
    this.ticking = tick
      .catch((err) => this.o.onError?.(err))
      .finally(() => {
        this.ticking = undefined;
        this.lastTickAt = performance.now();
        if (this.again) {
          this.again = false;
          if (this.timer !== undefined) this.kick();
        }
      });
    return tick;
  }

  /**
   * Delivers a cancel decided outside the loop (a user's cancel). A tick in flight may be
   * starting this very execution (the store says running, the executor has not heard of
   * it yet, and would drop the cancel), so it is delivered once that tick is over.
   */
  async cancel(c: Cancel): Promise<void> {
    while (this.ticking !== undefined) await this.ticking;
    await this.deliverCancels([c]);
  }

  /** Waits for the tick in flight, then runs one more (tests drive the loop with this). */
  async tickNow(): Promise<void> {
    // Ticks must never overlap (two plans from one snapshot could hand the same devices
    // to two jobs), so this one also holds `ticking` while a kick waits for it.
    while (this.ticking !== undefined) await this.ticking;
    await this.run();
  }

  private async tick(): Promise<void> {
    const { store, executor } = this.o;
    const db = store.db;
    // Embedded SQLite has one process by design; Postgres may have several.
    if (store.dialect === "postgres" && !(await acquireLease(db, this.id, this.clock()))) return;
    if (!this.adopted) {
      await this.reconcile();
      this.adopted = true;
    }
    const reports = await executor.poll();
    const cancels: Cancel[] = [];
    await db.transaction().execute(async (tx) => {
      const now = this.clock();
      for (const s of reports) await applyExecStatus(tx, s, now);
      for (const row of await jobsIn(tx, [JobState.Running])) {
        const max = storedSpec(row).maxRuntime;
        if (max !== undefined && row.started_at !== null && now - row.started_at > max * 1000) {
          const c = await stopJob(tx, row, StopKind.Timeout, now, { maxRuntime: max });
          if (c !== null) cancels.push(c);
        }
      }
      for (const h of this.o.housekeeping ?? []) await h({ now, tx });
    });
    await this.deliverCancels(cancels);

    const started = performance.now();
    const now = this.clock();
    const plan = await this.planner.plan({
      now,
      promised: this.promised,
      seed: (this.o.seed ?? 1) + this.tickCount,
    });
    const applied = await db.transaction().execute((tx) => applyPlan(tx, plan, now));
    this.promised = [...plan.promised];
    this.tickCount++;
    this.o.metrics?.observeCycle((performance.now() - started) / 1000, plan.stats);
    for (const job of applied.starts) await this.startExecution(job);
    await this.deliverCancels(applied.cancels);
  }

  private async startExecution(job: ExecJob): Promise<void> {
    try {
      await this.o.executor.start(job);
    } catch (err) {
      // The executor refused: report it lost so the job requeues instead of hanging.
      await applyExecStatus(
        this.o.store.db,
        {
          jobId: job.jobId,
          attempt: job.attempt,
          state: "lost",
          at: this.clock(),
          detail: String(err),
        },
        this.clock(),
      );
    }
  }

  private async deliverCancels(cancels: readonly Cancel[]): Promise<void> {
    for (const c of cancels) await this.o.executor.cancel(c.jobId, c.attempt).catch(this.o.onError);
  }

  /** After a (re)start: hand the executor what the store says is running. */
  private async reconcile(): Promise<void> {
    const db = this.o.store.db;
    const rows = await jobsIn(db, ACTIVE_STATES);
    const expected: ExecJob[] = rows.map((row) => {
      const spec = storedSpec(row);
      return {
        jobId: String(row.id),
        attempt: row.attempt,
        tenant: row.tenant,
        queue: row.queue,
        ...(spec.command !== undefined && { command: spec.command }),
        ...(spec.env !== undefined && { env: spec.env }),
        duration: spec.duration,
        members: placementOf(row),
        startedAt: row.started_at ?? this.clock(),
      };
    });
    const statuses = await this.o.executor.reconcile(expected);
    await db.transaction().execute(async (tx) => {
      for (const s of statuses) await applyExecStatus(tx, s, this.clock());
    });
    for (const row of rows)
      if (row.state === JobState.Stopping)
        await this.o.executor.cancel(String(row.id), row.attempt);
  }
}
