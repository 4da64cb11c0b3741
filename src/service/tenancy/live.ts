/**
 * The tenancy as it stands now: the queues table, plus the guarantees of approved
 * allocations whose period covers `now` (an allocation is live quota only while it
 * lasts), plus the policy-wide settings (priority classes, QoS, grace, half-life).
 */
import type { QuotaSpec, TenancySpec } from "../../core/tenancy/spec.ts";
import type { Db } from "../../store/jobs.ts";

export type TenancySettings = Omit<TenancySpec, "queues">;

export async function tenancySettings(db: Db): Promise<TenancySettings> {
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "tenancy")
    .executeTakeFirst();
  return row === undefined ? {} : (JSON.parse(row.value) as TenancySettings);
}

/** A guarantee added on top of a queue's stored quota (an approved allocation). */
export interface GuaranteeGrant {
  readonly queue: string;
  readonly deviceType: string;
  readonly guaranteed: number;
}

/** The live TenancySpec at `now` (epoch ms). */
export async function liveTenancy(db: Db, now: number): Promise<TenancySpec> {
  const grants = await db
    .selectFrom("allocations")
    .select(["queue", "device_type as deviceType", "guaranteed"])
    .where("state", "=", "approved")
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .where("guaranteed", ">", 0)
    // An exhausted budget's guarantee no longer counts (service/allocations/budget.ts).
    .where("budget_alert", "<", 100)
    .execute();
  return tenancyWithGrants(db, grants);
}

/** The stored queues and settings, with `grants` added to the queues' guarantees. */
export async function tenancyWithGrants(
  db: Db,
  grants: readonly GuaranteeGrant[],
): Promise<TenancySpec> {
  const settings = await tenancySettings(db);
  const rows = await db.selectFrom("queues").selectAll().orderBy("path").execute();
  const quota = new Map<string, Record<string, QuotaSpec>>(
    rows.map((r) => [r.path, JSON.parse(r.quota) as Record<string, QuotaSpec>]),
  );
  for (const g of grants) {
    const q = quota.get(g.queue) ?? {};
    const cur = q[g.deviceType];
    q[g.deviceType] = { ...cur, guaranteed: (cur?.guaranteed ?? 0) + g.guaranteed };
    quota.set(g.queue, q);
  }
  // An allocation may name a queue that has none of its own: it is implied by the grant.
  const weight = new Map(rows.map((r) => [r.path, r.weight]));
  return {
    ...settings,
    queues: [...quota.entries()].map(([path, q]) => ({
      path,
      weight: weight.get(path) ?? 1,
      quota: q,
    })),
  };
}
