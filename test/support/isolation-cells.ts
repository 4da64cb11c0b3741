/**
 * The tenant-isolation matrix's table: every /v1 route, what role it needs, the status
 * it answers when allowed, and how to build a fresh target for a tenant. One row per
 * route; test/integration/isolation.test.ts runs every row × role × own/other tenant.
 */
import assert from "node:assert/strict";
import { Action, type Role } from "../../src/service/auth/roles.ts";
import type { TestService } from "./service.ts";

export type Scope = "own" | "other" | "fleet";
/** What a role needs: an Action, or "audit" (admins and tenant-admins read the log). */
type Need = Action | "audit";
type Target = { path: string; body?: unknown };

export interface Cell {
  readonly route: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly need: Need;
  /** Status when allowed. */
  readonly ok: number;
  /** Builds a fresh target for a tenant (mutations of one cell never affect another). */
  readonly prepare: (f: Fixture, tenant: string) => Promise<Target>;
  /** False for fleet-wide routes (one column, no own/other). */
  readonly perTenant: boolean;
}

export const TENANT = { own: "snu", other: "samsung" } as const;
export const LEAF: Record<string, string> = { snu: "snu/gsai", samsung: "samsung/foundation" };

export const SCOPED: readonly Role[] = ["tenant-admin", "member", "viewer"];
const ALLOWED: Record<Role, readonly Need[]> = {
  admin: [...Object.values(Action), "audit"],
  "program-admin": [Action.Read, Action.DecideAllocation, "audit"],
  "tenant-admin": [
    Action.Read,
    Action.SubmitJob,
    Action.CancelJob,
    Action.ManageTokens,
    Action.RequestAllocation,
    "audit",
  ],
  member: [Action.Read, Action.SubmitJob, Action.CancelJob],
  viewer: [Action.Read],
  // Only the agent protocol (app.ts answers 403 elsewhere, so it never reads tenants' data).
  agent: [Action.AgentReport],
};

export function expected(role: Role, cell: Cell, scope: Scope): number {
  if (scope === "other" && SCOPED.includes(role)) return 404;
  return ALLOWED[role].includes(cell.need) ? cell.ok : 403;
}

/** Fresh resources of a tenant, made by the admin. */
export class Fixture {
  readonly svc: TestService;
  private n = 0;
  constructor(svc: TestService) {
    this.svc = svc;
  }
  unique(prefix: string): string {
    return `${prefix}${this.n++}`;
  }
  private async make(
    method: string,
    path: string,
    body: unknown,
  ): Promise<Record<string, unknown>> {
    const res = await this.svc.call(method, path, { token: this.svc.admin, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
    return res.json;
  }
  async job(tenant: string): Promise<number> {
    return (
      await this.make("POST", "/v1/jobs", { queue: LEAF[tenant], devices: 1, duration: 3600 })
    ).id as number;
  }
  async allocation(tenant: string): Promise<number> {
    return (await this.make("POST", "/v1/allocations", allocationBody(tenant))).id as number;
  }
  async token(tenant: string): Promise<string> {
    return (
      await this.make("POST", "/v1/tokens", { name: this.unique("t"), role: "viewer", tenant })
    ).id as string;
  }
  async queue(tenant: string): Promise<string> {
    const path = `${tenant}/${this.unique("q")}`;
    await this.make("PUT", `/v1/queues/${encodeURIComponent(path)}`, {});
    return path;
  }
}

export function allocationBody(tenant: string) {
  return {
    queue: LEAF[tenant],
    // snu belongs to the university program; samsung to none, so it names one.
    ...(tenant === "samsung" && { program: "university" }),
    deviceType: "nvidia-h100-80g",
    // A budget, not a guarantee: the demo's parents' guarantees are already all given out.
    budgetHours: 100,
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2027-01-01T00:00:00Z",
    justification: "isolation matrix",
  };
}
