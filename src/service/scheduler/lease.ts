/**
 * Leadership: one row, held by one loop at a time for LEASE_MS and renewed every
 * tick. A service whose lease lapsed (it hung, or died) is replaced by the next one
 * to ask. With embedded SQLite there is one process, and the lease is always ours.
 */
import type { Db } from "../../store/jobs.ts";

export const LEASE_MS = 15_000;

/** Takes or renews the lease for `holder`; true when it holds it now. */
export async function acquireLease(db: Db, holder: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable("leader")
    .set({ holder, expires_at: now + LEASE_MS })
    .where("id", "=", 1)
    .where((eb) => eb.or([eb("holder", "=", holder), eb("expires_at", "<", now)]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return true;
  const taken = await db
    .insertInto("leader")
    .values({ id: 1, holder, expires_at: now + LEASE_MS })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(taken.numInsertedOrUpdatedRows ?? 0n) === 1;
}
