/**
 * The executor interface: how the service hands admitted work to something that runs
 * it (the wall-clock `sim` executor, a GPU node agent, a Slurm cluster).
 *
 * One execution is one attempt of one job: `${jobId}.${attempt}` is its key, so a
 * requeued job's next attempt never collides with the old one. Executors are
 * idempotent by that key: starting an execution that already runs is a no-op, and
 * cancelling one that has ended is too. The service is the source of truth for what
 * should run; the executor is the source of truth for what does.
 *
 * Life of an execution, as the executor reports it:
 *   start() ─► running ─► succeeded | failed(exitCode) | cancelled | lost
 * `lost` means the executor no longer knows the execution (its node died, Slurm
 * forgot it): the service requeues the job as its policy says.
 */

/** One member of a gang, placed on one node. */
export interface ExecMember {
  /** Node id from the fleet (for Slurm, the Slurm node name). */
  readonly node: string;
  /** Device indices on that node (node-local, 0-based); empty for CPU-only work. */
  readonly devices: readonly number[];
  /** Share of each device in thousandths (1000 for whole devices). */
  readonly deviceMilli: number;
  readonly deviceType: string | null;
}

export interface ExecJob {
  readonly jobId: string;
  readonly attempt: number;
  readonly tenant: string;
  readonly queue: string;
  /** Shell command to run on each member; absent for a sim job (it just sleeps). */
  readonly command?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Declared run time in seconds (the sim executor runs this long; others use it as a limit hint). */
  readonly duration: number;
  readonly members: readonly ExecMember[];
  /** When the service started this attempt (epoch ms); executors that re-adopt use it. */
  readonly startedAt: number;
}

export const ExecState = {
  Running: "running",
  Succeeded: "succeeded",
  Failed: "failed",
  Cancelled: "cancelled",
  Lost: "lost",
} as const;
export type ExecState = (typeof ExecState)[keyof typeof ExecState];

export interface ExecStatus {
  readonly jobId: string;
  readonly attempt: number;
  readonly state: ExecState;
  /** Wall-clock milliseconds (epoch) when the executor saw this state. */
  readonly at: number;
  readonly exitCode?: number;
  /** A short human-readable detail ("node gpu-3 down", "slurm job 4711"). */
  readonly detail?: string;
  /** Executor-side handle, e.g. the Slurm job id, kept for reconciliation. */
  readonly handle?: string;
}

export interface Executor {
  readonly name: string;
  /** Starts an execution; resolves once the executor accepted it (not when it ends). */
  start(job: ExecJob): Promise<ExecStatus>;
  /** Asks the execution to stop; resolves once the request is delivered. */
  cancel(jobId: string, attempt: number): Promise<void>;
  /** State changes since the last poll (the loop calls this every tick). */
  poll(): Promise<readonly ExecStatus[]>;
  /**
   * After a restart: given what the store says is running, re-adopt what still runs
   * and report the state of everything else (ended while we were down, or lost).
   */
  reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]>;
  /**
   * Optional: takes the store's deployment id before the first reconcile. Executors
   * that mark work in a system other deployments share (one Slurm cluster) use it to
   * find only their own.
   */
  attach?(deployment: string): void;
  /** Stops background work (timers, child processes are left to their owner). */
  close(): Promise<void>;
}
