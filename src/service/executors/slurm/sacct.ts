/**
 * Reads `sacct --json` (Slurm's accounting database, through slurmdbd) into what usage
 * reconciliation needs: per job its comment, state, start and end, and allocated GPUs.
 *
 * Written against Slurm 22.05 (OpenAPI plugin dbv0.0.38) and tolerant of 23.02+ where
 * they differ (numbers wrapped as `{set, infinite, number}`, states as arrays). Quirks
 * of 22.05 seen on the test cluster (fixtures/sacct-22.05.json):
 * - `comment` is `{job, administrator, system}`, and `job` is null until the job ends
 *   (slurmctld sends the comment with the end record, given AccountingStoreFlags=job_comment).
 * - `time.start` / `time.end` are 0 while not started / not ended.
 * - The job's `exit_code` reads `{status: "SUCCESS", return_code: 0}` even for `exit 3`
 *   (`sacct -o exitcode` prints 3:0): a FAILED job's code is taken from its batch step,
 *   and where that says 0 too it is unknown (null), never a false 0.
 * - No match is not an empty list but error 9003 "Nothing found".
 */
import { GongjangError } from "../../../core/errors.ts";
import { baseState, exitOf, parseDoc, slurmNumber, str } from "./parse.ts";

/** One job as `sacct --json` reports it. */
export interface SacctJob {
  readonly id: string;
  readonly name: string;
  /** The job's --comment; "" while it runs (22.05 stores it at the end). */
  readonly comment: string;
  /** Base state, upper case: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, … */
  readonly state: string;
  /** Epoch seconds; null before the job started / ended. */
  readonly start: number | null;
  readonly end: number | null;
  /** Run time in seconds (so far, for a running job). */
  readonly elapsed: number;
  readonly exitCode: number | null;
  readonly signal: number | null;
  /** GPUs allocated over all nodes (TRES gres/gpu); 0 without AccountingStorageTRES=gres/gpu. */
  readonly gpus: number;
  /** Compressed node list; "None assigned" while pending. */
  readonly nodes: string;
}

const SRC = "sacct --json";
/** slurmdb_jobs_get's "Nothing found with query". */
const NOTHING_FOUND = 9003;

function commentOf(v: unknown): string {
  if (typeof v === "string") return v;
  return str((v as { job?: unknown } | null)?.job);
}

function epoch(v: unknown): number | null {
  const n = slurmNumber(v);
  return n === null || n <= 0 ? null : n;
}

/** Allocated GPUs: the untyped `gres/gpu` TRES, else the sum of typed `gres/gpu:<type>` ones. */
export function gpusOf(tres: unknown): number {
  const list = Array.isArray(tres) ? (tres as Record<string, unknown>[]) : [];
  const gres = list.filter((t) => t.type === "gres");
  const untyped = gres.find((t) => t.name === "gpu");
  if (untyped !== undefined) return slurmNumber(untyped.count) ?? 0;
  return gres
    .filter((t) => str(t.name).startsWith("gpu:"))
    .reduce((sum, t) => sum + (slurmNumber(t.count) ?? 0), 0);
}

function exitOfJob(j: Record<string, unknown>, state: string): ReturnType<typeof exitOf> {
  const own = exitOf(j.exit_code);
  if (state === "COMPLETED" || own.signal !== null || (own.exitCode ?? 0) !== 0) return own;
  if (state === "PENDING" || state === "RUNNING") return { exitCode: null, signal: null };
  const steps = Array.isArray(j.steps) ? (j.steps as Record<string, unknown>[]) : [];
  const batch = steps.find((s) => str((s.step as { id?: unknown } | undefined)?.id) === "batch");
  const step = exitOf(batch?.exit_code);
  return step.signal !== null || (step.exitCode ?? 0) !== 0
    ? step
    : { exitCode: null, signal: null };
}

/** Parses `sacct --json`: one entry per job (steps folded in). */
export function parseSacctJson(text: string): SacctJob[] {
  return parseDoc(text, SRC, "jobs", [NOTHING_FOUND]).map((j, i) => {
    const id = slurmNumber(j.job_id);
    if (id === null)
      throw new GongjangError("GJ_ERR_SLURM_OUTPUT", "job without a job_id", {
        file: SRC,
        path: `jobs[${i}].job_id`,
      });
    const state = baseState((j.state as { current?: unknown } | null)?.current ?? j.state);
    const time = (j.time ?? {}) as Record<string, unknown>;
    return {
      id: String(id),
      name: str(j.name),
      comment: commentOf(j.comment),
      state: state.toUpperCase(),
      start: epoch(time.start),
      end: epoch(time.end),
      elapsed: slurmNumber(time.elapsed) ?? 0,
      ...exitOfJob(j, state.toUpperCase()),
      gpus: gpusOf((j.tres as { allocated?: unknown } | undefined)?.allocated),
      nodes: str(j.nodes),
    };
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * `t` (epoch ms) as sacct's -S/-E want it: local time, `YYYY-MM-DDTHH:MM:SS`. sacct
 * reads it in its own time zone, which is this process's (the CLI passes TZ through).
 */
export function sacctTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
