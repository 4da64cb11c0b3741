/**
 * Jobs and their events. A job's state changes only through the functions here, each
 * guarded by the state it expects (a cancel racing a start loses cleanly):
 *
 *   pending ─start─► running ─exit─► succeeded | failed
 *      ▲  │            │
 *      │  │            └─stop(requeue | cancel | timeout)─► stopping ─exit─► pending | cancelled | failed
 *      │  └─cancel─► cancelled
 *      └──────── requeue (preempted, drained, executor lost it)
 */
import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { Database, JobsTable } from "./schema.ts";

export type Db = Kysely<Database> | Transaction<Database>;
export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;

/** A new pending job's row: the given fields, and every run-time field empty. */
export function pendingJob(
  o: Pick<NewJob, "tenant" | "queue" | "user" | "name" | "spec" | "priority" | "submitted_at"> &
    Partial<NewJob>,
): Omit<JobRow, "id"> {
  return {
    state: JobState.Pending,
    started_at: null,
    ended_at: null,
    stop: null,
    attempt: 0,
    device_type: null,
    placement: null,
    exit_code: null,
    reason: null,
    idempotency_key: null,
    body_hash: null,
    attained: 0,
    ...o,
  } as Omit<JobRow, "id">;
}

export const JobState = {
  Pending: "pending",
  Running: "running",
  Stopping: "stopping",
  Succeeded: "succeeded",
  Failed: "failed",
  Cancelled: "cancelled",
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];
export const JOB_STATES: readonly JobState[] = Object.values(JobState);
/** States that hold devices. */
export const ACTIVE_STATES: readonly JobState[] = [JobState.Running, JobState.Stopping];
export const FINAL_STATES: readonly JobState[] = [
  JobState.Succeeded,
  JobState.Failed,
  JobState.Cancelled,
];

export const StopKind = { Requeue: "requeue", Cancel: "cancel", Timeout: "timeout" } as const;
export type StopKind = (typeof StopKind)[keyof typeof StopKind];

/** One member's placement as stored: node-local device indices. */
export interface StoredMember {
  readonly node: string;
  readonly devices: readonly number[];
  readonly deviceMilli: number;
  readonly deviceType: string | null;
}

export function placementOf(row: Pick<JobRow, "placement">): StoredMember[] {
  return row.placement === null ? [] : (JSON.parse(row.placement) as StoredMember[]);
}

/** Appends an event to a job's history. */
export async function addEvent(
  db: Db,
  jobId: number,
  at: number,
  kind: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insertInto("job_events")
    .values({ job_id: jobId, at, kind, detail: JSON.stringify(detail) })
    .execute();
}

export async function getJob(db: Db, id: number): Promise<JobRow | undefined> {
  return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Jobs in the given states, oldest first. */
export async function jobsIn(db: Db, states: readonly JobState[]): Promise<JobRow[]> {
  return db.selectFrom("jobs").selectAll().where("state", "in", states).orderBy("id").execute();
}

/** Sets fields of a job if it is still in `from`; true when it was. */
export async function transition(
  db: Db,
  id: number,
  from: readonly JobState[],
  set: Partial<Omit<JobRow, "id">>,
): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set(set)
    .where("id", "=", id)
    .where("state", "in", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
