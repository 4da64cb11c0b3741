/** The isolation matrix's rows: one per /v1 route (see ./isolation-cells.ts for the columns). */
import { Action } from "../../src/service/auth/roles.ts";
import { forecasterOf } from "../../src/service/forecast/index.ts";
import { allocationBody, type Cell, LEAF } from "./isolation-cells.ts";

const R = Action.Read;
export const CELLS: readonly Cell[] = [
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
  // Admin only; the service runs the sim executor, so an allowed request is refused as
  // 409 GJ_ERR_EXECUTOR_UNSUPPORTED (reconciliation needs Slurm's sacct).
  {
    route: "POST /v1/usage/reconcile",
    method: "POST",
    need: Action.ReconcileUsage,
    ok: 409,
    perTenant: false,
    prepare: async () => ({ path: "/v1/usage/reconcile", body: { apply: true } }),
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
