/** The audit log: every mutation, who made it, and the resource before and after. */
import type { Db } from "./jobs.ts";

export interface AuditEntry {
  readonly actor: string;
  readonly tenant: string | null;
  readonly action: string;
  /** What was changed, e.g. "job/42", "node/h100-a1", "token/9f2c…". */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export async function writeAudit(db: Db, at: number, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit")
    .values({
      at,
      actor: e.actor,
      tenant: e.tenant,
      action: e.action,
      target: e.target,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}
