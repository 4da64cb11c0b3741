/**
 * The sim executor: runs each job for its declared duration on the wall clock,
 * divided by `speedup`, and then reports it succeeded. It keeps nothing durable: an
 * execution's end follows from its start time, so after a restart reconcile()
 * re-adopts every expected execution exactly where it would be.
 *
 *   start ─► running ─(duration/speedup elapsed)─► succeeded
 *                    └─cancel──────────────────────► cancelled
 */
import { type ExecJob, ExecState, type ExecStatus, type Executor } from "../types.ts";

export interface SimExecutorOptions {
  /** Wall-clock speedup: 60 runs a one-hour job in a minute. Default 1. */
  readonly speedup?: number;
  readonly clock?: () => number;
}

interface Execution {
  readonly job: ExecJob;
  readonly endsAt: number;
}

const key = (jobId: string, attempt: number) => `${jobId}.${attempt}`;

export class SimExecutor implements Executor {
  readonly name = "sim";
  private readonly speedup: number;
  private readonly clock: () => number;
  private readonly running = new Map<string, Execution>();
  private readonly outbox: ExecStatus[] = [];

  constructor(options: SimExecutorOptions = {}) {
    this.speedup = options.speedup ?? 1;
    this.clock = options.clock ?? Date.now;
  }

  async start(job: ExecJob): Promise<ExecStatus> {
    const k = key(job.jobId, job.attempt);
    if (!this.running.has(k))
      this.running.set(k, { job, endsAt: job.startedAt + (job.duration * 1000) / this.speedup });
    return { jobId: job.jobId, attempt: job.attempt, state: ExecState.Running, at: this.clock() };
  }

  async cancel(jobId: string, attempt: number): Promise<void> {
    if (this.running.delete(key(jobId, attempt)))
      this.outbox.push({ jobId, attempt, state: ExecState.Cancelled, at: this.clock() });
  }

  async poll(): Promise<readonly ExecStatus[]> {
    const now = this.clock();
    const out = this.outbox.splice(0);
    for (const [k, e] of this.running) {
      if (e.endsAt > now) continue;
      this.running.delete(k);
      out.push({
        jobId: e.job.jobId,
        attempt: e.job.attempt,
        state: ExecState.Succeeded,
        at: Math.round(e.endsAt),
        exitCode: 0,
      });
    }
    return out;
  }

  async reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]> {
    const out: ExecStatus[] = [];
    for (const job of expected) out.push(await this.start(job));
    return out;
  }

  async close(): Promise<void> {
    this.running.clear();
  }
}
