/**
 * What a new store starts with: the tenancy (queues and policy-wide settings), tenants
 * and access programs, and one admin token. A store that already has tokens is left
 * alone, so restarts never reseed.
 */
import type { Fleet } from "../core/model/fleet.ts";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import { compileTenancy } from "../core/tenancy/tree.ts";
import type { Db } from "../store/jobs.ts";
import { createToken } from "./auth/tokens.ts";

export interface Seed {
  readonly tenancy?: TenancySpec;
  readonly tenants?: readonly { id: string; displayName: string; program?: string }[];
  readonly programs?: readonly {
    id: string;
    name: string;
    enforcement: "preemptible" | "refuse";
  }[];
}

/** Seeds an empty store; returns the new admin token, or undefined if it was not empty. */
export async function seedStore(
  db: Db,
  fleet: Fleet,
  seed: Seed,
  now: number,
): Promise<string | undefined> {
  const any = await db.selectFrom("tokens").select("id").limit(1).executeTakeFirst();
  if (any !== undefined) return undefined;
  const tenancy = seed.tenancy ?? { queues: [] };
  compileTenancy(tenancy, fleet.deviceTypes); // refuses a tenancy the fleet cannot carry
  const { queues, ...settings } = tenancy;
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto("settings")
      .values({ key: "tenancy", value: JSON.stringify(settings) })
      .execute();
    for (const q of queues)
      await tx
        .insertInto("queues")
        .values({
          path: q.path,
          tenant: q.path.split("/")[0],
          weight: q.weight ?? 1,
          quota: JSON.stringify(q.quota ?? {}),
          created_at: now,
        })
        .execute();
    for (const p of seed.programs ?? [])
      await tx
        .insertInto("programs")
        .values({ id: p.id, name: p.name, enforcement: p.enforcement, created_at: now })
        .execute();
    const tenants = new Map((seed.tenants ?? []).map((t) => [t.id, t]));
    for (const q of queues) {
      const id = q.path.split("/")[0];
      if (!tenants.has(id)) tenants.set(id, { id, displayName: id });
    }
    for (const t of tenants.values())
      await tx
        .insertInto("tenants")
        .values({
          id: t.id,
          display_name: t.displayName,
          program: t.program ?? null,
          created_at: now,
        })
        .execute();
    const admin = await createToken(tx, {
      name: "admin",
      role: "admin",
      tenant: null,
      createdBy: "seed",
      now,
    });
    return admin.token;
  });
}
