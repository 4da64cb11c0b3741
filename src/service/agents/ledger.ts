/**
 * What the agent hub knows about one execution: its members, one run per member on
 * the member's node, and how the members' ends combine into the execution's end.
 *
 * Life of a member run (changes only through `report`, `loseMember`, and the hub's
 * delivery bookkeeping):
 *
 *   assigned ─(delivered, agent reports it)─► running ─► succeeded | failed | cancelled
 *      │                                         │
 *      └─────(node down, agent forgot it)────────┴──► lost
 *
 * An execution ends (settles) with the first member that fails or is lost (the others
 * are then cancelled: a gang lives and dies together), or once every member has ended.
 */
import { constants } from "node:os";
import type { ExecJob, ExecState, ExecStatus } from "../executors/types.ts";
import type { AgentRun, AgentRunState } from "./protocol.ts";
import { runKey } from "./protocol.ts";

export type MemberState = "assigned" | AgentRunState;

export interface Member {
  readonly key: string;
  readonly node: string;
  readonly index: number;
  readonly devices: readonly number[];
  state: MemberState;
  exitCode: number | null;
  signal: string | null;
  detail: string | null;
  /** The heartbeat seq whose reply first carried this run to `session` (null: not yet). */
  deliveredSeq: number | null;
  session: string | null;
  memoryMiB: number | null;
  utilizationGpu: number | null;
}

export interface Execution {
  readonly job: ExecJob;
  readonly members: readonly Member[];
  /** The service asked it to stop, or a member's end stopped the gang. */
  cancel: boolean;
  /** The state reported to the service, once it ended. */
  final: ExecState | null;
}

export const execKey = (jobId: string, attempt: number) => `${jobId}.${attempt}`;

/** A new execution with every member assigned and not yet delivered. */
export function newExecution(job: ExecJob): Execution {
  return {
    job,
    cancel: false,
    final: null,
    members: job.members.map((m, i) => ({
      key: runKey(job.jobId, job.attempt, i),
      node: m.node,
      index: i,
      devices: m.devices,
      state: "assigned",
      exitCode: null,
      signal: null,
      detail: null,
      deliveredSeq: null,
      session: null,
      memoryMiB: null,
      utilizationGpu: null,
    })),
  };
}

export const isEnded = (m: Member) => m.state !== "assigned" && m.state !== "running";

/** Applies an agent's report of a member's run. Ended members never change again. */
export function report(m: Member, run: AgentRun): void {
  if (isEnded(m)) return;
  if (run.memoryMiB !== undefined) m.memoryMiB = run.memoryMiB;
  if (run.utilizationGpu !== undefined) m.utilizationGpu = run.utilizationGpu;
  m.state = run.state;
  if (run.state === "running") return;
  m.exitCode = run.exitCode ?? null;
  m.signal = run.signal ?? null;
  if (run.state === "lost") m.detail = `the agent on ${m.node} lost run ${m.key}`;
}

/** Marks a member lost (its node went down, or its agent no longer knows the run). */
export function loseMember(m: Member, detail: string): void {
  if (isEnded(m)) return;
  m.state = "lost";
  m.detail = detail;
}

/** Exit code of a failed member: its status, else 128 + its signal's number. */
function exitCodeOf(m: Member): number | undefined {
  if (m.exitCode !== null) return m.exitCode;
  const n = m.signal === null ? undefined : constants.signals[m.signal as NodeJS.Signals];
  return n === undefined ? undefined : 128 + n;
}

/**
 * Settles `e` when its members say it ended, and returns the status to report then
 * (null while it still runs, or once reported). A settled execution with members
 * still running is marked `cancel`, so their agents stop them.
 */
export function settle(e: Execution, at: number): ExecStatus | null {
  if (e.final !== null) return null;
  const lost = e.members.find((m) => m.state === "lost");
  const failed = e.members.find((m) => m.state === "failed");
  const ended = e.members.every(isEnded);
  let state: ExecState;
  let exitCode: number | undefined;
  let detail: string;
  if (lost !== undefined) {
    state = "lost";
    detail = lost.detail ?? `run ${lost.key} lost`;
  } else if (failed !== undefined) {
    state = "failed";
    exitCode = exitCodeOf(failed);
    detail = `run ${failed.key} on ${failed.node} ${failed.signal !== null ? `killed by ${failed.signal}` : `exited ${failed.exitCode}`}`;
  } else if (ended) {
    const cancelled = e.members.some((m) => m.state === "cancelled");
    state = cancelled ? "cancelled" : "succeeded";
    exitCode = cancelled ? undefined : 0;
    detail = `${e.members.length} run(s) on ${[...new Set(e.members.map((m) => m.node))].join(",")}`;
  } else return null;
  e.final = state;
  if (!ended) {
    e.cancel = true;
    // Runs never handed to an agent need no stopping: they end here.
    for (const m of e.members)
      if (m.state === "assigned" && m.deliveredSeq === null) m.state = "cancelled";
  }
  return {
    jobId: e.job.jobId,
    attempt: e.job.attempt,
    state,
    at,
    ...(exitCode === undefined ? {} : { exitCode }),
    detail,
    handle: e.members.map((m) => `${m.node}/${m.key}`).join(" "),
  };
}

/** The environment every member's command sees, besides the job's own `env`. */
export function memberEnv(job: ExecJob, index: number): Record<string, string> {
  return {
    ...job.env,
    GJ_JOB_ID: job.jobId,
    GJ_ATTEMPT: String(job.attempt),
    GJ_MEMBER: String(index),
    GJ_GANG_SIZE: String(job.members.length),
    GJ_TENANT: job.tenant,
    GJ_QUEUE: job.queue,
  };
}
