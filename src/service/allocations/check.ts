/**
 * Before an allocation is approved (or changed), the tenancy it would make live must
 * still compile: a guarantee added to a queue may not push a queue's children above
 * an explicit guarantee of their parent. Allocations that overlap in time are checked
 * together (conservatively, as if all were live at once), so that the scheduler loop
 * never meets a tenancy it cannot compile.
 */
import { GongjangError } from "../../core/errors.ts";
import type { DeviceType } from "../../core/model/fleet.ts";
import type { QuotaSpec, TenancySpec } from "../../core/tenancy/spec.ts";
import { compileTenancy } from "../../core/tenancy/tree.ts";
import type { Db } from "../../store/jobs.ts";
import { tenancySettings } from "../tenancy/live.ts";
import { AllocationState, BudgetAlert } from "./model.ts";

/** An allocation's guarantee as it would be approved. */
export interface Grant {
  readonly id?: number;
  readonly queue: string;
  readonly deviceType: string;
  readonly guaranteed: number;
  readonly startsAt: number;
  readonly endsAt: number;
}

/** The tenancy with `grants` added to the stored queues' guarantees. */
export async function tenancyWithGrants(db: Db, grants: readonly Grant[]): Promise<TenancySpec> {
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

/**
 * Throws GJ_ERR_ALLOCATION_OVERCOMMIT (path `body.guaranteed`) when `grant`, together
 * with every other approved, not exhausted allocation overlapping its period, makes a
 * tenancy that does not compile.
 */
export async function checkGrant(
  db: Db,
  deviceTypes: readonly DeviceType[],
  grant: Grant,
): Promise<void> {
  if (grant.guaranteed <= 0) return;
  let sel = db
    .selectFrom("allocations")
    .select(["id", "queue", "device_type", "guaranteed", "starts_at", "ends_at"])
    .where("state", "=", AllocationState.Approved)
    .where("guaranteed", ">", 0)
    .where("budget_alert", "<", BudgetAlert.Exhausted)
    .where("starts_at", "<", grant.endsAt)
    .where("ends_at", ">", grant.startsAt);
  if (grant.id !== undefined) sel = sel.where("id", "!=", grant.id);
  const others: Grant[] = (await sel.execute()).map((r) => ({
    id: r.id,
    queue: r.queue,
    deviceType: r.device_type,
    guaranteed: r.guaranteed,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
  const spec = await tenancyWithGrants(db, [...others, grant]);
  try {
    compileTenancy(spec, deviceTypes);
  } catch (err) {
    if (!(err instanceof GongjangError)) throw err;
    throw new GongjangError(
      "GJ_ERR_ALLOCATION_OVERCOMMIT",
      `${grant.guaranteed} ${grant.deviceType} on "${grant.queue}"${others.length > 0 ? ` (with ${others.length} other approved allocation(s) in the period)` : ""} breaks the tenancy: ${err.text}`,
      { path: "body.guaranteed" },
    );
  }
}
