/** Store-wide settings: one row per key in `settings`. */
import { randomUUID } from "node:crypto";
import type { Db } from "./jobs.ts";

/**
 * This store's deployment id, made on first use and kept for the store's life. It
 * tells this deployment's work apart from another's where both meet (one Slurm
 * cluster shared by two gongjang deployments, or by a test run and the one before).
 */
export async function deploymentId(db: Db): Promise<string> {
  // Insert-if-absent, then read: two services starting on one Postgres agree.
  await db
    .insertInto("settings")
    .values({ key: "deployment", value: randomUUID().slice(0, 8) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const id = await readSetting(db, "deployment");
  if (id === undefined) throw new Error("settings: the deployment id was not stored");
  return id;
}

/** The value stored under `key`, or undefined. */
export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `key`, replacing what was there. */
export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}
