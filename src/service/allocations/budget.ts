/**
 * What the system does to allocations by itself: each scheduler tick expires approved
 * allocations past their end and charges budgets with usage; at submit, jobs that
 * would draw on an exhausted budget are refused or made preemptible, per program.
 *
 * A budget is charged with the device-hours of the allocation's queue (and its
 * subtree) on its device type inside its period. At 80% one warning is recorded, at
 * 100% the allocation is exhausted: its guarantee stops counting as live quota
 * (../tenancy/live.ts) and new jobs that may run on its device type are refused
 * (program "refuse") or queued as preemptible (program "preemptible"). Runs already
 * going are left alone.
 */
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import type { Db } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import type { AdmissionHook } from "../jobs/submit.ts";
import type { Housekeeping } from "../scheduler/loop.ts";
import { deviceHoursUsed } from "../usage/query.ts";
import {
  type AllocationRow,
  AllocationState,
  BudgetAlert,
  budgetWindow,
  Enforcement,
} from "./model.ts";

const SYSTEM = "system";

/** Device-hours an allocation's budget has been charged up to `now`. */
export async function budgetUsed(db: Db, row: AllocationRow, now: number): Promise<number> {
  return deviceHoursUsed(db, budgetWindow(row, now), {
    queue: row.queue,
    deviceType: row.device_type,
  });
}

/** The alert level `used` of `budget` device-hours has reached. */
export function alertLevel(used: number, budget: number): number {
  // 8 of 10 h = 80% → warning; 10 of 10 h = 100% → exhausted
  if (used >= budget) return BudgetAlert.Exhausted;
  if (used >= 0.8 * budget) return BudgetAlert.Warning;
  return BudgetAlert.None;
}

async function enforcementOf(db: Db, program: string): Promise<Enforcement> {
  const p = await db
    .selectFrom("programs")
    .select("enforcement")
    .where("id", "=", program)
    .executeTakeFirst();
  return p?.enforcement === Enforcement.Refuse ? Enforcement.Refuse : Enforcement.Preemptible;
}

/** Expires approved allocations whose period is over. */
async function expire(tx: Db, now: number): Promise<void> {
  const due = await tx
    .selectFrom("allocations")
    .selectAll()
    .where("state", "=", AllocationState.Approved)
    .where("ends_at", "<=", now)
    .execute();
  for (const row of due) {
    const r = await tx
      .updateTable("allocations")
      .set({ state: AllocationState.Expired })
      .where("id", "=", row.id)
      .where("state", "=", AllocationState.Approved)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) continue;
    await writeAudit(tx, now, {
      actor: SYSTEM,
      tenant: row.tenant,
      action: "allocation.expire",
      target: `allocation/${row.id}`,
      before: { state: row.state },
      after: { state: AllocationState.Expired, endsAt: new Date(row.ends_at).toISOString() },
    });
  }
}

/** Raises budget alerts of live allocations with a budget, writing one record per level. */
async function chargeBudgets(tx: Db, now: number): Promise<void> {
  const live = await tx
    .selectFrom("allocations")
    .selectAll()
    .where("state", "=", AllocationState.Approved)
    .where("budget_hours", "is not", null)
    .where("budget_alert", "<", BudgetAlert.Exhausted)
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .execute();
  for (const row of live) {
    const budget = row.budget_hours!;
    const used = await budgetUsed(tx, row, now);
    const level = alertLevel(used, budget);
    if (level <= row.budget_alert) continue;
    // Guarded by the level read, so a concurrent tick cannot send the same alert twice.
    const r = await tx
      .updateTable("allocations")
      .set({ budget_alert: level })
      .where("id", "=", row.id)
      .where("budget_alert", "=", row.budget_alert)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) continue;
    const enforcement = await enforcementOf(tx, row.program);
    const numbers = {
      usedHours: used,
      budgetHours: budget,
      percent: Math.floor((used / budget) * 100),
    };
    // A jump straight past 100% still leaves the 80% warning in the log first.
    if (row.budget_alert < BudgetAlert.Warning)
      await writeAudit(tx, now, {
        actor: SYSTEM,
        tenant: row.tenant,
        action: "allocation.budget-warning",
        target: `allocation/${row.id}`,
        before: { budgetAlert: row.budget_alert },
        after: { budgetAlert: BudgetAlert.Warning, ...numbers },
      });
    if (level === BudgetAlert.Exhausted)
      await writeAudit(tx, now, {
        actor: SYSTEM,
        tenant: row.tenant,
        action: "allocation.budget-exhausted",
        target: `allocation/${row.id}`,
        before: { budgetAlert: Math.max(row.budget_alert, BudgetAlert.Warning) },
        after: { budgetAlert: BudgetAlert.Exhausted, enforcement, ...numbers },
      });
  }
}

/** The loop's housekeeping for allocations: expiry, then budget alerts. */
export const allocationHousekeeping: Housekeeping = async ({ now, tx }) => {
  await expire(tx, now);
  await chargeBudgets(tx, now);
};

/** True when a job in `queue` accepting `types` (empty: any) may run on `row`'s type. */
function drawsOn(row: AllocationRow, queue: string, types: readonly string[] | undefined) {
  const inQueue = queue === row.queue || queue.startsWith(`${row.queue}/`);
  return inQueue && (types === undefined || types.length === 0 || types.includes(row.device_type));
}

/**
 * Admission hook: a job that may run on the device type of an exhausted, live
 * allocation of its queue is refused (GJ_ERR_BUDGET_EXHAUSTED, naming the allocation
 * and its numbers) when the program refuses, or made preemptible otherwise.
 */
export const budgetAdmission: AdmissionHook = async (ctx: ServiceContext, _p: Principal, spec) => {
  const db = ctx.store.db;
  const now = ctx.clock();
  const exhausted = await db
    .selectFrom("allocations")
    .selectAll()
    .where("tenant", "=", spec.queue.split("/")[0])
    .where("state", "=", AllocationState.Approved)
    .where("budget_alert", ">=", BudgetAlert.Exhausted)
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .orderBy("id")
    .execute();
  const hit = exhausted.filter((a) => drawsOn(a, spec.queue, spec.deviceTypes));
  if (hit.length === 0) return undefined;
  for (const a of hit) {
    if ((await enforcementOf(db, a.program)) !== Enforcement.Refuse) continue;
    const used = await budgetUsed(db, a, now);
    throw new GongjangError(
      "GJ_ERR_BUDGET_EXHAUSTED",
      `allocation ${a.id} (program ${a.program}, ${a.device_type} on ${a.queue}) has used ${round2(used)} of its ${a.budget_hours} device-hours; ` +
        `its program refuses new jobs: name other deviceTypes or request a new allocation`,
      { path: "deviceTypes" },
    );
  }
  return { preemptible: true };
};

const round2 = (x: number) => Math.round(x * 100) / 100;
