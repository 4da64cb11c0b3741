/**
 * Tenants and queues: list and read them (a tenant's token sees only its tenant),
 * create tenants, and create, change or delete queues (admin only). Usage is what the
 * jobs holding devices use now; see ../tenancy/queues.ts.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import type { QuotaSpec } from "../../core/tenancy/spec.ts";
import { writeAudit } from "../../store/audit.ts";
import type { TenantsTable } from "../../store/schema.ts";
import { Action, authorize, tenantScope } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { QueuePath } from "../jobs/spec.ts";
import { ErrorResponse } from "../schemas.ts";
import { deleteQueue, putQueue } from "../tenancy/queue-edit.ts";
import { QueueView, QuotaInput, queueViews } from "../tenancy/queues.ts";

const TenantId = Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9][a-z0-9_-]*$" });

const Tenant = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  program: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});

const TenantDetail = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  program: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  usage: Type.Record(Type.String(), Type.Number(), {
    description: "Devices in use per device type, over all of the tenant's queues",
  }),
  pending: Type.Integer(),
  queues: Type.Array(QueueView),
});

const NewTenant = Type.Object(
  {
    id: TenantId,
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    program: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

const QueueBody = Type.Object(
  {
    weight: Type.Optional(
      Type.Number({
        minimum: 0.001,
        maximum: 1e6,
        description: "Fair-share weight among siblings",
      }),
    ),
    quota: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 64 }), QuotaInput, {
        maxProperties: 64,
      }),
    ),
  },
  { additionalProperties: false },
);

const PathParams = Type.Object({ path: QueuePath });

function tenantView(r: {
  id: string;
  display_name: string;
  program: string | null;
  created_at: TenantsTable["created_at"];
}) {
  return {
    id: r.id,
    displayName: r.display_name,
    program: r.program,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function tenancyRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/tenants",
    {
      schema: {
        tags: ["tenancy"],
        summary: "List tenants",
        response: { 200: Type.Object({ items: Type.Array(Tenant) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const tenant = tenantScope(principalOf(req), undefined);
      let sel = ctx.store.db.selectFrom("tenants").selectAll().orderBy("id");
      if (tenant !== undefined) sel = sel.where("id", "=", tenant);
      return { items: (await sel.execute()).map(tenantView) };
    },
  );

  app.get(
    "/v1/tenants/:id",
    {
      schema: {
        tags: ["tenancy"],
        summary: "Get a tenant with its queues, quotas, usage and pending jobs",
        params: Type.Object({ id: TenantId }),
        response: { 200: TenantDetail, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const id = (req.params as { id: string }).id;
      authorize(p, Action.Read, id, "tenant");
      const row = await ctx.store.db
        .selectFrom("tenants")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined)
        throw new GongjangError("GJ_ERR_NOT_FOUND", `no tenant "${id}"`, { path: "id" });
      const queues = await queueViews(ctx, id);
      const usage: Record<string, number> = {};
      for (const t of ctx.fleet.deviceTypes) usage[t.id] = 0;
      let pending = 0;
      // Top-level queues (the tenant's own, or the roots of its subtrees) sum the rest.
      for (const q of queues)
        if (!queues.some((o) => q.path.startsWith(`${o.path}/`))) {
          pending += q.pending;
          for (const [type, v] of Object.entries(q.types)) usage[type] += v.used;
        }
      return { ...tenantView(row), usage, pending, queues };
    },
  );

  app.post(
    "/v1/tenants",
    {
      schema: {
        tags: ["tenancy"],
        summary: "Create a tenant (admin)",
        body: NewTenant,
        response: { 201: Tenant, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      authorize(p, Action.ManageTenancy, null, "tenant");
      const body = req.body as { id: string; displayName: string; program?: string };
      const now = ctx.clock();
      const row = {
        id: body.id,
        display_name: body.displayName,
        program: body.program ?? null,
        created_at: now,
      };
      await ctx.store.db.transaction().execute(async (tx) => {
        const dup = await tx
          .selectFrom("tenants")
          .select("id")
          .where("id", "=", body.id)
          .executeTakeFirst();
        if (dup !== undefined)
          throw new GongjangError("GJ_ERR_CONFLICT", `tenant "${body.id}" already exists`, {
            path: "body.id",
          });
        if (body.program !== undefined) {
          const prog = await tx
            .selectFrom("programs")
            .select("id")
            .where("id", "=", body.program)
            .executeTakeFirst();
          if (prog === undefined)
            throw new GongjangError("GJ_ERR_NOT_FOUND", `no program "${body.program}"`, {
              path: "body.program",
            });
        }
        await tx.insertInto("tenants").values(row).execute();
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: body.id,
          action: "tenant.create",
          target: `tenant/${body.id}`,
          before: null,
          after: { displayName: row.display_name, program: row.program },
        });
      });
      return reply.status(201).send(tenantView(row));
    },
  );

  app.get(
    "/v1/queues",
    {
      schema: {
        tags: ["tenancy"],
        summary: "List queues with quotas, usage, borrowing and waiting jobs",
        querystring: Type.Object(
          { tenant: Type.Optional(TenantId) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(QueueView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const tenant = tenantScope(principalOf(req), (req.query as { tenant?: string }).tenant);
      return { items: await queueViews(ctx, tenant) };
    },
  );

  app.put(
    "/v1/queues/:path",
    {
      schema: {
        tags: ["tenancy"],
        summary: "Create or change a queue (admin); the path is URL-encoded, e.g. hyundai%2Fllm",
        params: PathParams,
        body: QueueBody,
        response: { 200: QueueView, 201: QueueView, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const path = (req.params as { path: string }).path;
      authorize(p, Action.ManageTenancy, path.split("/")[0], "queue");
      const body = req.body as { weight?: number; quota?: Record<string, QuotaSpec> };
      const created = await putQueue(ctx, p, path, body);
      ctx.loop.kick();
      const view = (await queueViews(ctx, path.split("/")[0])).find((q) => q.path === path);
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.delete(
    "/v1/queues/:path",
    {
      schema: {
        tags: ["tenancy"],
        summary: "Delete a queue without child queues or jobs (admin)",
        params: PathParams,
        response: { 204: Type.Null(), "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const path = (req.params as { path: string }).path;
      authorize(p, Action.ManageTenancy, path.split("/")[0], "queue");
      await deleteQueue(ctx, p, path);
      ctx.loop.kick();
      return reply.status(204).send();
    },
  );
}
