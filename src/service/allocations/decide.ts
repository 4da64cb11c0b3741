/**
 * The people's steps of an allocation: a tenant admin requests, a program admin
 * approves (optionally changing guarantee, budget or period; approving an approved
 * allocation again changes it) or rejects. Each step is one transaction with its
 * audit record, guarded by the state it expects, so two admins deciding at once
 * cannot both win.
 *
 * Program rule: a tenant that belongs to a program requests from that program only
 * (the body's `program` may be left out); a tenant with none names any program.
 */
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import type { Db } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import { checkGrant } from "./check.ts";
import { type AllocationRow, AllocationState, BudgetAlert } from "./model.ts";

/** POST /v1/allocations body, times as ISO strings. */
export interface AllocationRequest {
  readonly queue: string;
  readonly program?: string;
  readonly deviceType: string;
  readonly guaranteed?: number;
  readonly budgetHours?: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly justification: string;
}

/** POST /v1/allocations/:id/approve body: what the program admin changes, and why. */
export interface AllocationDecision {
  readonly guaranteed?: number;
  /** null removes the budget. */
  readonly budgetHours?: number | null;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly note?: string;
}

const invalid = (message: string, path: string) =>
  new GongjangError("GJ_ERR_REQUEST_INVALID", message, { path });

function time(v: string, path: string): number {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`"${v}" is not an ISO time`, path);
  return t;
}

/** Checks period and amounts; `now` refuses periods that are already over. */
function checkTerms(
  t: { guaranteed: number; budgetHours: number | null; startsAt: number; endsAt: number },
  now: number,
): void {
  if (t.startsAt >= t.endsAt) throw invalid("startsAt must be before endsAt", "body.endsAt");
  if (t.endsAt <= now) throw invalid("the period is already over", "body.endsAt");
  if (t.guaranteed <= 0 && t.budgetHours === null)
    throw invalid("ask for a guaranteed quota, a budgetHours budget or both", "body.guaranteed");
}

/** Queue paths that exist: the stored queues and their ancestors. */
async function queuePaths(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom("queues").select("path").execute();
  const out = new Set<string>();
  for (const r of rows) {
    const parts = r.path.split("/");
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("/"));
  }
  return out;
}

/** Stores a request (the caller has authorized RequestAllocation on the queue's tenant). */
export async function requestAllocation(
  ctx: ServiceContext,
  p: Principal,
  body: AllocationRequest,
): Promise<AllocationRow> {
  const db = ctx.store.db;
  const now = ctx.clock();
  const tenant = body.queue.split("/")[0];
  if (!(await queuePaths(db)).has(body.queue))
    throw new GongjangError("GJ_ERR_QUEUE_UNKNOWN", `no queue "${body.queue}"`, {
      path: "body.queue",
    });
  const types = ctx.fleet.deviceTypes.map((t) => t.id);
  if (!types.includes(body.deviceType))
    throw invalid(
      `unknown device type "${body.deviceType}"; the fleet has ${types.join(", ")}`,
      "body.deviceType",
    );
  const own = await db
    .selectFrom("tenants")
    .select("program")
    .where("id", "=", tenant)
    .executeTakeFirst();
  const program = body.program ?? own?.program ?? undefined;
  if (program === undefined)
    throw invalid(`tenant "${tenant}" belongs to no program: name one`, "body.program");
  if (own?.program != null && program !== own.program)
    throw invalid(
      `tenant "${tenant}" belongs to program "${own.program}" and requests from it only`,
      "body.program",
    );
  const known = await db
    .selectFrom("programs")
    .select("id")
    .where("id", "=", program)
    .executeTakeFirst();
  if (known === undefined) throw invalid(`no program "${program}"`, "body.program");
  const terms = {
    guaranteed: body.guaranteed ?? 0,
    budgetHours: body.budgetHours ?? null,
    startsAt: time(body.startsAt, "body.startsAt"),
    endsAt: time(body.endsAt, "body.endsAt"),
  };
  checkTerms(terms, now);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("allocations")
      .values({
        tenant,
        queue: body.queue,
        program,
        device_type: body.deviceType,
        guaranteed: terms.guaranteed,
        budget_hours: terms.budgetHours,
        starts_at: terms.startsAt,
        ends_at: terms.endsAt,
        justification: body.justification,
        state: AllocationState.Requested,
        requested_by: p.name,
        decided_by: null,
        decision_note: null,
        budget_alert: BudgetAlert.None,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, now, {
      actor: p.name,
      tenant,
      action: "allocation.request",
      target: `allocation/${row.id}`,
      after: terms,
    });
    return row;
  });
}

/**
 * Approves a requested allocation, or changes an approved one, with the decision's
 * changes applied; refuses one whose guarantee would break the tenancy.
 */
export async function approveAllocation(
  ctx: ServiceContext,
  p: Principal,
  row: AllocationRow,
  d: AllocationDecision,
): Promise<AllocationRow> {
  const now = ctx.clock();
  if (row.state !== AllocationState.Requested && row.state !== AllocationState.Approved)
    throw new GongjangError(
      "GJ_ERR_ALLOCATION_STATE",
      `allocation ${row.id} is ${row.state}; only requested or approved allocations can be approved`,
      { path: "id" },
    );
  const terms = {
    guaranteed: d.guaranteed ?? row.guaranteed,
    budgetHours: d.budgetHours === undefined ? row.budget_hours : d.budgetHours,
    startsAt: d.startsAt === undefined ? row.starts_at : time(d.startsAt, "body.startsAt"),
    endsAt: d.endsAt === undefined ? row.ends_at : time(d.endsAt, "body.endsAt"),
  };
  checkTerms(terms, now);
  await checkGrant(ctx.store.db, ctx.fleet.deviceTypes, {
    id: row.id,
    queue: row.queue,
    deviceType: row.device_type,
    ...terms,
  });
  const before = {
    state: row.state,
    guaranteed: row.guaranteed,
    budgetHours: row.budget_hours,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  };
  // A new budget or period is measured afresh; the next tick sends its warnings again.
  const budgetChanged =
    terms.budgetHours !== row.budget_hours ||
    terms.startsAt !== row.starts_at ||
    terms.endsAt !== row.ends_at;
  return ctx.store.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable("allocations")
      .set({
        state: AllocationState.Approved,
        guaranteed: terms.guaranteed,
        budget_hours: terms.budgetHours,
        starts_at: terms.startsAt,
        ends_at: terms.endsAt,
        decided_by: p.name,
        decision_note: d.note ?? null,
        ...(budgetChanged && { budget_alert: BudgetAlert.None }),
      })
      .where("id", "=", row.id)
      .where("state", "=", row.state)
      .returningAll()
      .executeTakeFirst();
    if (updated === undefined) throw changedMeanwhile(row);
    await writeAudit(tx, now, {
      actor: p.name,
      tenant: row.tenant,
      action: row.state === AllocationState.Requested ? "allocation.approve" : "allocation.change",
      target: `allocation/${row.id}`,
      before,
      after: { state: AllocationState.Approved, ...terms, note: d.note ?? null },
    });
    return updated;
  });
}

/** Rejects a requested allocation. */
export async function rejectAllocation(
  ctx: ServiceContext,
  p: Principal,
  row: AllocationRow,
  note: string,
): Promise<AllocationRow> {
  if (row.state !== AllocationState.Requested)
    throw new GongjangError(
      "GJ_ERR_ALLOCATION_STATE",
      `allocation ${row.id} is ${row.state}; only requested allocations can be rejected`,
      { path: "id" },
    );
  const now = ctx.clock();
  return ctx.store.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable("allocations")
      .set({ state: AllocationState.Rejected, decided_by: p.name, decision_note: note })
      .where("id", "=", row.id)
      .where("state", "=", AllocationState.Requested)
      .returningAll()
      .executeTakeFirst();
    if (updated === undefined) throw changedMeanwhile(row);
    await writeAudit(tx, now, {
      actor: p.name,
      tenant: row.tenant,
      action: "allocation.reject",
      target: `allocation/${row.id}`,
      before: { state: row.state },
      after: { state: AllocationState.Rejected, note },
    });
    return updated;
  });
}

const changedMeanwhile = (row: AllocationRow) =>
  new GongjangError("GJ_ERR_CONFLICT", `allocation ${row.id} was decided meanwhile; reload it`, {
    path: "id",
  });
