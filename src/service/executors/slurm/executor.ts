/**
 * The Slurm executor: each gongjang execution is one Slurm batch job (see script.ts),
 * named `gj-${jobId}.${attempt}` and marked with
 * `--comment=gongjang ${deployment} ${jobId}.${attempt}` so it can be found again after a
 * restart, and told apart from other deployments' jobs on the same cluster.
 *
 * Life of a tracked execution (changes only in start, cancel, poll, reconcile):
 *
 *   start ─► submitted (running) ─► poll sees an end ─► reported, forgotten
 *                 │                 └► job vanished from squeue ─► lost, forgotten
 *                 └► cancel(): scancel sent; the end arrives through poll
 *
 * Slurm states map to ExecState in `execStateOf`; NODE_FAIL and PREEMPTED are `lost`,
 * and jobs are submitted `--no-requeue`, so the service re-places a node failure's
 * victims itself instead of Slurm quietly restarting them elsewhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecJob, ExecState, ExecStatus, Executor } from "../types.ts";
import { SlurmCli } from "./cli.ts";
import type { SlurmJob } from "./parse.ts";
import { buildSubmission, execKey, keyOfComment, type SubmitOptions } from "./script.ts";

export interface SlurmExecutorOptions extends SubmitOptions {
  readonly cli?: SlurmCli;
  /** Wall clock for `at`; default Date.now. */
  readonly now?: () => number;
}

interface Tracked {
  readonly jobId: string;
  readonly attempt: number;
  readonly slurmId: string;
  last: ExecState;
}

/** Slurm states in which a job is still alive (queued in Slurm counts as running to us). */
const ALIVE = new Set([
  "PENDING",
  "CONFIGURING",
  "RUNNING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
]);
const LOST = new Set(["NODE_FAIL", "PREEMPTED", "BOOT_FAIL"]);

/** Maps a Slurm job to an ExecState, its exit code (128 + signal when signalled) and detail. */
export function execStateOf(job: SlurmJob): {
  state: ExecState;
  exitCode?: number;
  detail: string;
} {
  const detail = `slurm job ${job.id} ${job.state}${job.reason && job.reason !== "None" ? ` (${job.reason})` : ""}`;
  if (ALIVE.has(job.state)) return { state: "running", detail };
  if (job.state === "COMPLETED") return { state: "succeeded", exitCode: 0, detail };
  if (job.state === "CANCELLED") return { state: "cancelled", detail };
  if (LOST.has(job.state)) return { state: "lost", detail };
  // FAILED, TIMEOUT, OUT_OF_MEMORY, DEADLINE and anything newer: the job itself failed.
  const exitCode = job.exitCode ?? (job.signal === null ? undefined : 128 + job.signal);
  return { state: "failed", ...(exitCode === undefined ? {} : { exitCode }), detail };
}

export class SlurmExecutor implements Executor {
  readonly name = "slurm";
  readonly #cli: SlurmCli;
  #opts: SlurmExecutorOptions;
  readonly #now: () => number;
  readonly #tracked = new Map<string, Tracked>();

  constructor(opts: SlurmExecutorOptions) {
    this.#opts = opts;
    this.#cli = opts.cli ?? new SlurmCli();
    this.#now = opts.now ?? Date.now;
  }

  /** Takes the store's deployment id, unless the options named one. */
  attach(deployment: string): void {
    if (this.#opts.deployment === undefined) this.#opts = { ...this.#opts, deployment };
  }

  /** The Slurm client it submits with (usage reconciliation reads sacct through it). */
  get cli(): SlurmCli {
    return this.#cli;
  }

  /** The id in this executor's job comments. */
  get deployment(): string | undefined {
    return this.#opts.deployment;
  }

  /**
   * Submits the gang as one batch job. Idempotent per `${jobId}.${attempt}`: a second
   * start reports the tracked job. A job Slurm refuses outright (no such node, more
   * GPUs than a node has) resolves as `failed` with sbatch's reason; an unreachable
   * controller rejects (GJ_ERR_SLURM_COMMAND) so the caller can retry.
   */
  async start(job: ExecJob): Promise<ExecStatus> {
    const key = execKey(job.jobId, job.attempt);
    const known = this.#tracked.get(key);
    if (known !== undefined) return this.#status(known, known.last, `slurm job ${known.slurmId}`);
    const sub = buildSubmission(job, this.#opts);
    const dir = mkdtempSync(join(tmpdir(), "gj-sbatch-"));
    try {
      const hostfile = join(dir, "hostfile");
      writeFileSync(hostfile, sub.hostfile);
      const res = await this.#cli.submit(sub.args, sub.script, { SLURM_HOSTFILE: hostfile });
      if ("refused" in res)
        return {
          jobId: job.jobId,
          attempt: job.attempt,
          state: "failed",
          at: this.#now(),
          detail: `sbatch refused: ${res.refused}`,
        };
      const t: Tracked = {
        jobId: job.jobId,
        attempt: job.attempt,
        slurmId: res.id,
        last: "running",
      };
      this.#tracked.set(key, t);
      return this.#status(t, "running", `slurm job ${res.id} submitted`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Sends scancel for a tracked execution; unknown or ended ones are a no-op. */
  async cancel(jobId: string, attempt: number): Promise<void> {
    const t = this.#tracked.get(execKey(jobId, attempt));
    if (t !== undefined) await this.#cli.cancel([t.slurmId]);
  }

  /**
   * One `squeue --json` for all tracked executions; reports each whose ExecState
   * changed. Ended executions are reported once and forgotten; one squeue no longer
   * knows (the controller lost its state, or MinJobAge passed unseen) is `lost`.
   */
  async poll(): Promise<readonly ExecStatus[]> {
    if (this.#tracked.size === 0) return [];
    const byId = new Map((await this.#cli.jobs()).map((j) => [j.id, j]));
    const out: ExecStatus[] = [];
    for (const [key, t] of this.#tracked) {
      const job = byId.get(t.slurmId);
      const s =
        job === undefined
          ? { state: "lost" as const, detail: `slurm job ${t.slurmId} is gone from squeue` }
          : execStateOf(job);
      if (s.state === t.last) continue;
      t.last = s.state;
      out.push(this.#status(t, s.state, s.detail, "exitCode" in s ? s.exitCode : undefined));
      if (s.state !== "running") this.#tracked.delete(key);
    }
    return out;
  }

  /**
   * After a restart: finds each expected execution among Slurm's jobs by its comment,
   * re-adopts those still alive, and reports the rest (ended while we were away, or
   * lost when Slurm no longer knows them). Jobs of ours that are alive in Slurm but not
   * expected are orphans of a crash between submit and store; they are cancelled.
   */
  async reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]> {
    const deployment = this.#opts.deployment;
    if (deployment === undefined) throw new Error("the Slurm executor has no deployment id");
    const jobs = await this.#cli.jobs();
    const ours = new Map<string, SlurmJob>();
    for (const j of jobs) {
      const key = keyOfComment(j.comment, deployment);
      const prev = key === null ? undefined : ours.get(key);
      // Several Slurm jobs for one key (a resubmit after a crash): the newest wins.
      if (key !== null && (prev === undefined || Number(j.id) > Number(prev.id))) ours.set(key, j);
    }
    const out: ExecStatus[] = [];
    const wanted = new Set<string>();
    for (const e of expected) {
      const key = execKey(e.jobId, e.attempt);
      wanted.add(key);
      const j = ours.get(key);
      if (j === undefined) {
        out.push({
          jobId: e.jobId,
          attempt: e.attempt,
          state: "lost",
          at: this.#now(),
          detail: "no slurm job carries this execution",
        });
        continue;
      }
      const s = execStateOf(j);
      const t: Tracked = { jobId: e.jobId, attempt: e.attempt, slurmId: j.id, last: s.state };
      if (s.state === "running") this.#tracked.set(key, t);
      out.push(this.#status(t, s.state, s.detail, s.exitCode));
    }
    const orphans = [...ours]
      .filter(([k, j]) => !wanted.has(k) && ALIVE.has(j.state))
      .map(([, j]) => j.id);
    await this.#cli.cancel(orphans);
    return out;
  }

  /** Nothing runs in the background: polling is driven by the caller. */
  async close(): Promise<void> {}

  /** Executions being tracked (for tests and diagnostics): key → Slurm job id. */
  tracked(): Map<string, string> {
    return new Map([...this.#tracked].map(([k, t]) => [k, t.slurmId]));
  }

  #status(t: Tracked, state: ExecState, detail: string, exitCode?: number): ExecStatus {
    return {
      jobId: t.jobId,
      attempt: t.attempt,
      state,
      at: this.#now(),
      ...(exitCode === undefined ? {} : { exitCode }),
      detail,
      handle: t.slurmId,
    };
  }
}
