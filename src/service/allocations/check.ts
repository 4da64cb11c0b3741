/**
 * Before an allocation is approved (or changed), the tenancy it would make live must
 * still compile: a guarantee added to a queue may not push a queue's children above
 * an explicit guarantee of their parent. Allocations that overlap in time are checked
 * together (conservatively, as if all were live at once), so that the scheduler loop
 * never meets a tenancy it cannot compile.
 */
import { GongjangError } from "../../core/errors.ts";
import type { DeviceType } from "../../core/model/fleet.ts";
import { compileTenancy } from "../../core/tenancy/tree.ts";
import type { Db } from "../../store/jobs.ts";
import { type GuaranteeGrant, tenancyWithGrants } from "../tenancy/live.ts";
import { AllocationState, BudgetAlert } from "./model.ts";

/** An allocation's guarantee as it would be approved. */
export interface Grant extends GuaranteeGrant {
  readonly id?: number;
  readonly startsAt: number;
  readonly endsAt: number;
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
