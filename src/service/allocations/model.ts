/**
 * Allocations of the national access programs, as stored and as the API shows them.
 * An allocation's state changes only through ./decide.ts (people) and ./budget.ts
 * (the scheduler loop's housekeeping), each guarded by the state it expects:
 *
 *   requested ─approve─► approved ─ends_at passes─► expired
 *       │                  │  ▲
 *       └─reject─► rejected └──┘ approve again: change guarantee, budget or period
 *
 * Independently of the state, `budget_alert` climbs 0 → 80 → 100 as the budget is
 * used; at 100 the program's enforcement applies and the guarantee stops counting.
 */

import type { Selectable } from "kysely";
import { type Static, Type } from "typebox";
import type { AllocationsTable, ProgramsTable } from "../../store/schema.ts";

export type AllocationRow = Selectable<AllocationsTable>;
export type ProgramRow = Selectable<ProgramsTable>;

export const AllocationState = {
  Requested: "requested",
  Approved: "approved",
  Rejected: "rejected",
  Expired: "expired",
} as const;
export type AllocationState = (typeof AllocationState)[keyof typeof AllocationState];
export const ALLOCATION_STATES: readonly AllocationState[] = Object.values(AllocationState);

/** What happens to new jobs once a budget is used up. */
export const Enforcement = { Preemptible: "preemptible", Refuse: "refuse" } as const;
export type Enforcement = (typeof Enforcement)[keyof typeof Enforcement];

/** Budget warning levels, in percent of the budget used. */
export const BudgetAlert = { None: 0, Warning: 80, Exhausted: 100 } as const;

const Time = Type.String({ format: "date-time" });

export const AllocationView = Type.Object({
  id: Type.Integer(),
  tenant: Type.String(),
  queue: Type.String(),
  program: Type.String(),
  deviceType: Type.String(),
  guaranteed: Type.Number({ description: "Devices added to the queue's guarantee while live" }),
  budgetHours: Type.Union([Type.Number(), Type.Null()], { description: "Device-hour budget" }),
  startsAt: Time,
  endsAt: Time,
  justification: Type.String(),
  state: Type.String({ description: ALLOCATION_STATES.join(" | ") }),
  requestedBy: Type.String(),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  budgetAlert: Type.Integer({ description: "Highest budget warning sent: 0, 80 or 100" }),
  createdAt: Time,
  usedHours: Type.Optional(
    Type.Number({ description: "Device-hours charged so far (GET by id only)" }),
  ),
});
export type AllocationView = Static<typeof AllocationView>;

const iso = (ms: number) => new Date(ms).toISOString();

export function allocationView(row: AllocationRow, usedHours?: number): AllocationView {
  return {
    id: row.id,
    tenant: row.tenant,
    queue: row.queue,
    program: row.program,
    deviceType: row.device_type,
    guaranteed: row.guaranteed,
    budgetHours: row.budget_hours,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    justification: row.justification,
    state: row.state,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
    budgetAlert: row.budget_alert,
    createdAt: iso(row.created_at),
    ...(usedHours !== undefined && { usedHours }),
  };
}

export const ProgramView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enforcement: Type.Union([Type.Literal("preemptible"), Type.Literal("refuse")]),
  createdAt: Time,
});
export type ProgramView = Static<typeof ProgramView>;

export function programView(row: ProgramRow): ProgramView {
  return {
    id: row.id,
    name: row.name,
    enforcement: row.enforcement === Enforcement.Refuse ? "refuse" : "preemptible",
    createdAt: iso(row.created_at),
  };
}

/** The window whose usage an allocation's budget is charged with, up to `now`. */
export function budgetWindow(row: AllocationRow, now: number) {
  return { from: row.starts_at, to: row.ends_at, now };
}
