/**
 * Accounting: device-hours per tenant, queue, user and device type over any period, and
 * (admin, Slurm executor only) reconciliation of the usage records with Slurm's sacct.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { Action, authorize, tenantScope } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { QueuePath } from "../jobs/spec.ts";
import { ErrorResponse } from "../schemas.ts";
import { parseDimensions, USAGE_DIMENSIONS, usageCsv } from "../usage/aggregate.ts";
import { usageReport } from "../usage/query.ts";
import { reconcileWithSlurm } from "../usage/reconcile-slurm.ts";
import { ReconcileBody, ReconcileReportSchema } from "./usage-schemas.ts";

const DAY_MS = 86_400_000;

const UsageQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ maxLength: 40, description: "ISO time; default 30 days before `to`" }),
    ),
    to: Type.Optional(Type.String({ maxLength: 40, description: "ISO time; default now" })),
    by: Type.Optional(
      Type.String({
        maxLength: 100,
        description: `Comma-separated grouping: ${USAGE_DIMENSIONS.join(", ")} (default tenant; empty: one row)`,
      }),
    ),
    format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("csv")])),
    tenant: Type.Optional(Type.String({ maxLength: 64 })),
    queue: Type.Optional(QueuePath),
    type: Type.Optional(Type.String({ maxLength: 64, description: "Device type" })),
  },
  { additionalProperties: false },
);

const UsageRowSchema = Type.Object({
  tenant: Type.Optional(Type.String()),
  queue: Type.Optional(Type.String()),
  user: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  deviceHours: Type.Number(),
  runs: Type.Integer(),
});

const UsageReportSchema = Type.Object({
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  asOf: Type.String({ format: "date-time" }),
  by: Type.Array(Type.String()),
  unit: Type.Literal("device-hours"),
  rows: Type.Array(UsageRowSchema),
  total: Type.Object({ deviceHours: Type.Number(), runs: Type.Integer() }),
});

function parseTime(v: string | undefined, fallback: number, path: string): number {
  if (v === undefined) return fallback;
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new GongjangError("GJ_ERR_REQUEST_INVALID", `"${v}" is not an ISO time`, { path });
  return t;
}

export function usageRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/usage",
    {
      schema: {
        tags: ["usage"],
        summary: "Device-hours grouped by tenant, queue, user and/or device type (JSON or CSV)",
        querystring: UsageQuery,
        response: { 200: UsageReportSchema, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const q = req.query as {
        from?: string;
        to?: string;
        by?: string;
        format?: "json" | "csv";
        tenant?: string;
        queue?: string;
        type?: string;
      };
      const now = ctx.clock();
      const to = parseTime(q.to, now, "querystring.to");
      const from = parseTime(q.from, to - 30 * DAY_MS, "querystring.from");
      if (from >= to)
        throw new GongjangError(
          "GJ_ERR_REQUEST_INVALID",
          `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`,
          { path: "querystring.from" },
        );
      const by = parseDimensions(q.by ?? "tenant");
      const tenant = tenantScope(p, q.tenant);
      // Another tenant's queue answers 404 to a scoped token, like its jobs.
      if (q.queue !== undefined) tenantScope(p, q.queue.split("/")[0]);
      const report = await usageReport(ctx.store.db, { from, to, now }, by, {
        ...(tenant !== undefined && { tenant }),
        ...(q.queue !== undefined && { queue: q.queue }),
        ...(q.type !== undefined && { deviceType: q.type }),
      });
      if (q.format === "csv")
        return reply.type("text/csv; charset=utf-8").serializer(String).send(usageCsv(report));
      return report;
    },
  );

  app.post(
    "/v1/usage/reconcile",
    {
      schema: {
        tags: ["usage"],
        summary:
          "Compare usage records with Slurm's accounting (sacct); apply moves mismatched runs to Slurm's times (admin; Slurm executor only)",
        body: ReconcileBody,
        response: { 200: ReconcileReportSchema, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      authorize(p, Action.ReconcileUsage, null, "usage");
      const body = (req.body ?? {}) as {
        since?: string;
        apply?: boolean;
        toleranceSeconds?: number;
      };
      const now = ctx.clock();
      const since = parseTime(body.since, now - 7 * DAY_MS, "body.since");
      if (since >= now)
        throw new GongjangError("GJ_ERR_REQUEST_INVALID", "since must be in the past", {
          path: "body.since",
        });
      return reconcileWithSlurm(ctx.store.db, ctx.executor, {
        since,
        now,
        apply: body.apply === true,
        toleranceS: body.toleranceSeconds ?? 5,
        actor: p.name,
      });
    },
  );
}
