// The tenant-isolation matrix: every route × every role × own vs other tenant, with
// the status each must get. Tenant-scoped tokens (tenant-admin, member, viewer of
// "snu") must never see or touch "samsung": another tenant's resources answer 404, as
// if they did not exist; a role without the right answers 403; no token answers 401.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Action, ROLES, type Role } from "../../src/service/auth/roles.ts";
import { forecasterOf } from "../../src/service/forecast/index.ts";
import { backends, type TestService, testService } from "../support/service.ts";

type Scope = "own" | "other" | "fleet";
/** What a role needs: an Action, or "audit" (admins and tenant-admins read the log). */
type Need = Action | "audit";
type Target = { path: string; body?: unknown };

interface Cell {
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

const TENANT = { own: "snu", other: "samsung" } as const;
const LEAF: Record<string, string> = { snu: "snu/gsai", samsung: "samsung/foundation" };

const SCOPED: readonly Role[] = ["tenant-admin", "member", "viewer"];
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

function expected(role: Role, cell: Cell, scope: Scope): number {
  if (scope === "other" && SCOPED.includes(role)) return 404;
  return ALLOWED[role].includes(cell.need) ? cell.ok : 403;
}

/** Fresh resources of a tenant, made by the admin. */
class Fixture {
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

function allocationBody(tenant: string) {
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

const R = Action.Read;
const CELLS: readonly Cell[] = [
  // jobs
  {
    route: "POST /v1/jobs",
    method: "POST",
    need: Action.SubmitJob,
    ok: 201,
    perTenant: true,
    prepare: async (_f, t) => ({
      path: "/v1/jobs",
      body: { queue: LEAF[t], devices: 1, duration: 3600 },
    }),
  },
  {
    route: "GET /v1/jobs",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/jobs" }),
  },
  {
    route: "GET /v1/jobs?tenant=",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (_f, t) => ({ path: `/v1/jobs?tenant=${t}` }),
  },
  {
    route: "GET /v1/jobs/:id",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/jobs/${await f.job(t)}` }),
  },
  {
    route: "GET /v1/jobs/:id/events",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/jobs/${await f.job(t)}/events` }),
  },
  {
    route: "GET /v1/jobs/:id/explain",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/jobs/${await f.job(t)}/explain` }),
  },
  {
    route: "GET /v1/jobs/:id/forecast",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    // Forecast first: a job no computation has seen yet answers 202.
    prepare: async (f, t) => {
      const id = await f.job(t);
      await forecasterOf(f.svc.ctx).refresh();
      return { path: `/v1/jobs/${id}/forecast` };
    },
  },
  {
    route: "POST /v1/jobs/:id/cancel",
    method: "POST",
    need: Action.CancelJob,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/jobs/${await f.job(t)}/cancel` }),
  },
  // fleet
  {
    route: "GET /v1/fleet",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/fleet" }),
  },
  {
    route: "GET /v1/fleet/nodes",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/fleet/nodes?limit=5" }),
  },
  {
    route: "GET /v1/fleet/nodes/:id",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/fleet/nodes/h100-01" }),
  },
  ...["cordon", "drain", "uncordon"].map(
    (a): Cell => ({
      route: `POST /v1/fleet/nodes/:id/${a}`,
      method: "POST",
      need: Action.ManageFleet,
      ok: 200,
      perTenant: false,
      prepare: async () => ({ path: `/v1/fleet/nodes/h100-02/${a}`, body: {} }),
    }),
  ),
  // node agents (the service runs the sim executor: its hub serves no node, so an
  // allowed registration is refused as 409 GJ_ERR_AGENT_MISMATCH and a heartbeat
  // without a session as 409 GJ_ERR_AGENT_SESSION; what matters here is who gets past auth)
  {
    route: "POST /v1/agents/register",
    method: "POST",
    need: Action.AgentReport,
    ok: 409,
    perTenant: false,
    prepare: async () => ({
      path: "/v1/agents/register",
      body: { node: "h100-01", devices: [], runs: [] },
    }),
  },
  {
    route: "POST /v1/agents/heartbeat",
    method: "POST",
    need: Action.AgentReport,
    ok: 409,
    perTenant: false,
    prepare: async () => ({
      path: "/v1/agents/heartbeat",
      body: { node: "h100-01", session: "none", seq: 1, ack: 0, gpus: [], runs: [] },
    }),
  },
  {
    route: "GET /v1/agents",
    method: "GET",
    need: Action.ManageFleet,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/agents" }),
  },
  // tenants and queues
  {
    route: "GET /v1/tenants",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/tenants" }),
  },
  {
    route: "GET /v1/tenants/:id",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (_f, t) => ({ path: `/v1/tenants/${t}` }),
  },
  {
    route: "POST /v1/tenants",
    method: "POST",
    need: Action.ManageTenancy,
    ok: 201,
    perTenant: false,
    prepare: async (f) => ({
      path: "/v1/tenants",
      body: { id: f.unique("tenant"), displayName: "New" },
    }),
  },
  {
    route: "GET /v1/queues",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/queues" }),
  },
  {
    route: "PUT /v1/queues/:path",
    method: "PUT",
    need: Action.ManageTenancy,
    ok: 201,
    perTenant: true,
    prepare: async (f, t) => ({
      path: `/v1/queues/${encodeURIComponent(`${t}/${f.unique("new")}`)}`,
      body: {},
    }),
  },
  {
    route: "DELETE /v1/queues/:path",
    method: "DELETE",
    need: Action.ManageTenancy,
    ok: 204,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/queues/${encodeURIComponent(await f.queue(t))}` }),
  },
  // tokens
  {
    route: "POST /v1/tokens",
    method: "POST",
    need: Action.ManageTokens,
    ok: 201,
    perTenant: true,
    prepare: async (f, t) => ({
      path: "/v1/tokens",
      body: { name: f.unique("tok"), role: "member", tenant: t },
    }),
  },
  {
    route: "GET /v1/tokens?tenant=",
    method: "GET",
    need: Action.ManageTokens,
    ok: 200,
    perTenant: true,
    prepare: async (_f, t) => ({ path: `/v1/tokens?tenant=${t}` }),
  },
  {
    route: "DELETE /v1/tokens/:id",
    method: "DELETE",
    need: Action.ManageTokens,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/tokens/${await f.token(t)}` }),
  },
  // audit and usage
  {
    route: "GET /v1/audit",
    method: "GET",
    need: "audit",
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/audit" }),
  },
  {
    route: "GET /v1/usage",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/usage" }),
  },
  {
    route: "GET /v1/usage?tenant=",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (_f, t) => ({ path: `/v1/usage?tenant=${t}` }),
  },
  // the dashboard's caller and simulation reports (fleet-wide: any token reads them)
  {
    route: "GET /v1/whoami",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/whoami" }),
  },
  {
    route: "GET /v1/simulations",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/simulations" }),
  },
  // programs and allocations
  {
    route: "GET /v1/programs",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: false,
    prepare: async () => ({ path: "/v1/programs" }),
  },
  {
    route: "POST /v1/programs",
    method: "POST",
    need: Action.ManageTenancy,
    ok: 201,
    perTenant: false,
    prepare: async (f) => ({
      path: "/v1/programs",
      body: { id: f.unique("prog"), name: "P", enforcement: "refuse" },
    }),
  },
  {
    route: "POST /v1/allocations",
    method: "POST",
    need: Action.RequestAllocation,
    ok: 201,
    perTenant: true,
    prepare: async (_f, t) => ({ path: "/v1/allocations", body: allocationBody(t) }),
  },
  {
    route: "GET /v1/allocations?tenant=",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (_f, t) => ({ path: `/v1/allocations?tenant=${t}` }),
  },
  {
    route: "GET /v1/allocations/:id",
    method: "GET",
    need: R,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({ path: `/v1/allocations/${await f.allocation(t)}` }),
  },
  {
    route: "POST /v1/allocations/:id/approve",
    method: "POST",
    need: Action.DecideAllocation,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({
      path: `/v1/allocations/${await f.allocation(t)}/approve`,
      body: {},
    }),
  },
  {
    route: "POST /v1/allocations/:id/reject",
    method: "POST",
    need: Action.DecideAllocation,
    ok: 200,
    perTenant: true,
    prepare: async (f, t) => ({
      path: `/v1/allocations/${await f.allocation(t)}/reject`,
      body: { note: "no" },
    }),
  },
];

for (const backend of backends()) {
  test(`tenant isolation: every route × role × own/other tenant (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const f = new Fixture(svc);
    const tokens = new Map<Role, string>();
    for (const role of ROLES)
      tokens.set(role, await svc.token(role, SCOPED.includes(role) ? TENANT.own : null));
    const wrong: string[] = [];
    let checked = 0;
    for (const cell of CELLS) {
      const scopes: Scope[] = cell.perTenant ? ["own", "other"] : ["fleet"];
      for (const scope of scopes) {
        const tenant = scope === "other" ? TENANT.other : TENANT.own;
        for (const role of ROLES) {
          const target = await cell.prepare(f, tenant);
          const res = await svc.call(cell.method, target.path, {
            token: tokens.get(role),
            body: target.body,
          });
          const want = expected(role, cell, scope);
          checked++;
          if (res.status !== want)
            wrong.push(
              `${cell.route} [${scope}] as ${role}: got ${res.status}, want ${want} (${res.text.slice(0, 160)})`,
            );
          else if (res.status >= 400)
            assert.match(
              res.json?.error?.code ?? "",
              /^GJ_ERR_/,
              `${cell.route} as ${role}: coded error`,
            );
        }
        // No token, and a malformed token: 401 everywhere.
        const target = await cell.prepare(f, tenant);
        for (const token of [undefined, "gj_000000000000_nope"]) {
          const res = await svc.call(cell.method, target.path, { token, body: target.body });
          checked++;
          if (res.status !== 401)
            wrong.push(`${cell.route} [${scope}] with token ${token}: got ${res.status}, want 401`);
        }
      }
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${checked} cells wrong`);
    assert.ok(checked > 300, `checked ${checked} cells`);
  });
}
