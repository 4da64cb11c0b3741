/**
 * Applies a plan to the store, inside the caller's transaction. Every write is guarded
 * by the state the plan assumed (a job cancelled while the cycle was planned is
 * skipped, not started). Returns the executor hand-offs to make after commit.
 */
import { type Db, type JobRow, JobState, StopKind, transition } from "../../store/jobs.ts";
import { type UsageRow, usageRow } from "../../store/usage.ts";
import type { ExecJob } from "../executors/types.ts";
import { storedSpec } from "../jobs/workload.ts";
import type { Plan } from "./plan.ts";
import { type Cancel, stopJob } from "./transitions.ts";

export interface Applied {
  readonly starts: ExecJob[];
  readonly cancels: Cancel[];
}

export async function applyPlan(db: Db, plan: Plan, at: number): Promise<Applied> {
  const out: Applied = { starts: [], cancels: [] };
  const ids = plan.decisions.flatMap((d) =>
    d.kind === "start" ? [d.jobId] : d.kind === "preempt" ? [d.victimId] : [],
  );
  const rows = new Map((await jobsById(db, ids)).map((r) => [r.id, r]));
  // Events and usage records of all starts go in one insert each.
  const events: { job_id: number; at: number; kind: string; detail: string }[] = [];
  const usage: UsageRow[] = [];
  // A backlog may get thousands of waits, with a handful of distinct reasons: one update each.
  const waits = new Map<string, number[]>();
  for (const d of plan.decisions) {
    switch (d.kind) {
      case "start": {
        const row = rows.get(d.jobId);
        if (row === undefined || row.state !== JobState.Pending) break;
        const attempt = row.attempt + 1;
        const ok = await transition(db, row.id, [JobState.Pending], {
          state: JobState.Running,
          started_at: at,
          attempt,
          device_type: d.deviceType,
          placement: JSON.stringify(d.members),
          reason: null,
        });
        if (!ok) break;
        const held = d.members.reduce((s, m) => s + m.devices.length * m.deviceMilli, 0);
        if (d.deviceType !== null) usage.push(usageRow(row, attempt, d.deviceType, held, at));
        events.push({
          job_id: row.id,
          at,
          kind: "started",
          detail: JSON.stringify({
            attempt,
            nodes: [...new Set(d.members.map((m) => m.node))],
            deviceType: d.deviceType,
            crossed: d.crossed,
          }),
        });
        const spec = storedSpec(row);
        out.starts.push({
          jobId: String(row.id),
          attempt,
          tenant: row.tenant,
          queue: row.queue,
          ...(spec.command !== undefined && { command: spec.command }),
          ...(spec.env !== undefined && { env: spec.env }),
          duration: spec.duration,
          members: d.members,
          startedAt: at,
        });
        break;
      }
      case "preempt": {
        const row = rows.get(d.victimId);
        if (row === undefined) break;
        const cancel = await stopJob(db, row, StopKind.Requeue, at, {
          for: d.beneficiaryId,
          reason: d.reason,
        });
        if (cancel !== null) out.cancels.push(cancel);
        break;
      }
      case "wait": {
        const ids = waits.get(d.reason);
        if (ids === undefined) waits.set(d.reason, [d.jobId]);
        else ids.push(d.jobId);
        break;
      }
      default: {
        const never: never = d;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }
  }
  for (const [reason, ids] of waits)
    for (let i = 0; i < ids.length; i += CHUNK)
      await db
        .updateTable("jobs")
        .set({ reason })
        .where("id", "in", ids.slice(i, i + CHUNK))
        .where("state", "=", JobState.Pending)
        .execute();
  for (let i = 0; i < events.length; i += CHUNK)
    await db
      .insertInto("job_events")
      .values(events.slice(i, i + CHUNK))
      .execute();
  for (let i = 0; i < usage.length; i += CHUNK)
    await db
      .insertInto("usage")
      .values(usage.slice(i, i + CHUNK))
      .execute();
  return out;
}

/** Rows per multi-row statement (SQLite allows 32,766 bound values). */
const CHUNK = 500;

async function jobsById(db: Db, ids: readonly number[]): Promise<JobRow[]> {
  const out: JobRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    out.push(
      ...(await db
        .selectFrom("jobs")
        .selectAll()
        .where("id", "in", ids.slice(i, i + CHUNK))
        .execute()),
    );
  return out;
}
