/**
 * The service's job transitions that touch more than the job row: usage records,
 * events and executor hand-offs. Callers run them inside one store transaction and
 * act on the executor only after it commits (what they return says what to do).
 */
import {
  addEvent,
  type Db,
  type JobRow,
  JobState,
  placementOf,
  StopKind,
  transition,
} from "../../store/jobs.ts";
import { closeUsage } from "../../store/usage.ts";
import type { ExecStatus } from "../executors/types.ts";

/** A cancel to deliver to the executor once the transaction commits. */
export interface Cancel {
  readonly jobId: string;
  readonly attempt: number;
}

/** Device-seconds a run of `row` received from its start to `at` (ms). */
function runService(row: JobRow, at: number): number {
  if (row.started_at === null) return 0;
  const held = placementOf(row).reduce((s, m) => s + (m.devices.length * m.deviceMilli) / 1000, 0);
  return (held * Math.max(0, at - row.started_at)) / 1000;
}

/**
 * Asks a running job to stop; it keeps its devices (state stopping) until the executor
 * confirms the exit. A pending job told to cancel ends at once. Returns the cancel
 * to deliver, or null when none is needed (or the job had already ended).
 */
export async function stopJob(
  db: Db,
  row: JobRow,
  kind: StopKind,
  at: number,
  detail: Record<string, unknown>,
): Promise<Cancel | null> {
  if (row.state === JobState.Pending) {
    if (kind !== StopKind.Cancel) return null;
    if (
      await transition(db, row.id, [JobState.Pending], {
        state: JobState.Cancelled,
        ended_at: at,
        reason: "cancelled",
      })
    )
      await addEvent(db, row.id, at, "cancelled", detail);
    return null;
  }
  if (row.state === JobState.Running) {
    if (
      !(await transition(db, row.id, [JobState.Running], { state: JobState.Stopping, stop: kind }))
    )
      return null;
    await addEvent(db, row.id, at, kind === StopKind.Requeue ? "preempting" : "stopping", {
      ...detail,
      stop: kind,
    });
    return { jobId: String(row.id), attempt: row.attempt };
  }
  if (row.state === JobState.Stopping && kind === StopKind.Cancel && row.stop !== StopKind.Cancel) {
    // A preempted job whose owner cancels it: it ends cancelled instead of requeued.
    await transition(db, row.id, [JobState.Stopping], { stop: StopKind.Cancel });
    await addEvent(db, row.id, at, "stopping", { ...detail, stop: kind });
  }
  return null;
}

/**
 * Applies what an executor reported about one execution. Reports about an attempt that
 * is no longer current (a requeued job's old run) are ignored. Returns true if applied.
 */
export async function applyExecStatus(db: Db, s: ExecStatus, now: number): Promise<boolean> {
  const id = Number(s.jobId);
  const row = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined || row.attempt !== s.attempt) return false;
  if (row.state !== JobState.Running && row.state !== JobState.Stopping) return false;
  if (s.state === "running") return false;
  const at = Math.min(s.at, now);
  const attained = row.attained + runService(row, at);
  const ended = { ended_at: at, exit_code: s.exitCode ?? null, attained, stop: null };
  let next: JobRow["state"];
  let reason: string;
  if (s.state === "lost") {
    next = JobState.Pending;
    reason = `lost by the executor${s.detail ? `: ${s.detail}` : ""}; requeued`;
  } else if (row.state === JobState.Stopping && row.stop === StopKind.Requeue) {
    next = JobState.Pending;
    reason = "preempted; requeued";
  } else if (row.state === JobState.Stopping && row.stop === StopKind.Timeout) {
    next = JobState.Failed;
    reason = "stopped at its QoS maximum run time";
  } else if (s.state === "succeeded") {
    next = JobState.Succeeded;
    reason = "exited 0";
  } else if (s.state === "failed") {
    next = JobState.Failed;
    reason = `exited ${s.exitCode ?? "?"}${s.detail ? `: ${s.detail}` : ""}`;
  } else {
    next = JobState.Cancelled;
    reason = "cancelled";
  }
  const requeue = next === JobState.Pending;
  const set = requeue
    ? {
        state: next,
        reason,
        attained,
        stop: null,
        placement: null,
        device_type: null,
        started_at: null,
      }
    : { ...ended, state: next, reason };
  if (!(await transition(db, id, [row.state], set))) return false;
  await closeUsage(db, id, row.attempt, at);
  await addEvent(db, id, at, requeue ? "requeued" : next, {
    attempt: row.attempt,
    ...(s.exitCode !== undefined && { exitCode: s.exitCode }),
    ...(s.detail !== undefined && { detail: s.detail }),
    reason,
  });
  return true;
}
