/**
 * Usage records: one row per run of a job (a start to its exit), which accounting
 * integrates over any period. Open rows (ended_at null) are runs still going.
 */
import type { Insertable } from "kysely";
import type { Db, JobRow } from "./jobs.ts";
import type { UsageTable } from "./schema.ts";

export type UsageRow = Insertable<UsageTable>;

/** The open usage record of a run that starts at `at` (insert it with the start). */
export function usageRow(
  job: Pick<JobRow, "id" | "tenant" | "queue" | "user">,
  attempt: number,
  deviceType: string,
  deviceMilli: number,
  at: number,
): UsageRow {
  return {
    job_id: job.id,
    attempt,
    tenant: job.tenant,
    queue: job.queue,
    user: job.user,
    device_type: deviceType,
    device_milli: deviceMilli,
    started_at: at,
    ended_at: null,
  };
}

/** Closes the open record of a job's run. */
export async function closeUsage(
  db: Db,
  jobId: number,
  attempt: number,
  at: number,
): Promise<void> {
  await db
    .updateTable("usage")
    .set({ ended_at: at })
    .where("job_id", "=", jobId)
    .where("attempt", "=", attempt)
    .where("ended_at", "is", null)
    .execute();
}

/** Opens the usage record of a run that starts at `at`. */
export async function openUsage(
  db: Db,
  job: Pick<JobRow, "id" | "tenant" | "queue" | "user">,
  attempt: number,
  deviceType: string,
  deviceMilli: number,
  at: number,
): Promise<void> {
  await db
    .insertInto("usage")
    .values(usageRow(job, attempt, deviceType, deviceMilli, at))
    .execute();
}
