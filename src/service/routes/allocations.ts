/**
 * Access programs and their allocations: list and create programs; request, list,
 * get, approve (or change) and reject allocations. Other tenants' allocations answer
 * 404; deciding needs program-admin or admin.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import { budgetUsed } from "../allocations/budget.ts";
import {
  type AllocationDecision,
  type AllocationRequest,
  approveAllocation,
  rejectAllocation,
  requestAllocation,
} from "../allocations/decide.ts";
import {
  ALLOCATION_STATES,
  type AllocationRow,
  AllocationView,
  allocationView,
  ProgramView,
  programView,
} from "../allocations/model.ts";
import { Action, authorize, type Principal, tenantScope } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { QueuePath } from "../jobs/spec.ts";
import { ErrorResponse, Id, Page } from "../schemas.ts";

const IdParams = Type.Object({ id: Id });
const IsoTime = (description: string) => Type.String({ minLength: 1, maxLength: 40, description });
const Devices = Type.Number({ minimum: 0, maximum: 1_000_000 });
const Hours = Type.Number({ exclusiveMinimum: 0, maximum: 1e9 });
const Note = Type.String({ minLength: 1, maxLength: 4000 });

const ProgramBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9][a-z0-9_-]*$" }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    enforcement: Type.Union([Type.Literal("preemptible"), Type.Literal("refuse")]),
  },
  { additionalProperties: false },
);

const RequestBody = Type.Object(
  {
    queue: QueuePath,
    program: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    deviceType: Type.String({ minLength: 1, maxLength: 64 }),
    guaranteed: Type.Optional(Devices),
    budgetHours: Type.Optional(Hours),
    startsAt: IsoTime("Start of the period, ISO time"),
    endsAt: IsoTime("End of the period, ISO time"),
    justification: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

const ApproveBody = Type.Object(
  {
    guaranteed: Type.Optional(Devices),
    budgetHours: Type.Optional(Type.Union([Hours, Type.Null()])),
    startsAt: Type.Optional(IsoTime("New start")),
    endsAt: Type.Optional(IsoTime("New end")),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union(ALLOCATION_STATES.map((s) => Type.Literal(s)))),
    tenant: Type.Optional(Type.String({ maxLength: 64 })),
    program: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Loads an allocation the caller may see, or answers 404. */
async function visibleAllocation(
  ctx: ServiceContext,
  p: Principal,
  id: number,
): Promise<AllocationRow> {
  const row = await ctx.store.db
    .selectFrom("allocations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (row === undefined || (p.tenant !== null && row.tenant !== p.tenant))
    throw new GongjangError("GJ_ERR_NOT_FOUND", `no allocation ${id}`, { path: "id" });
  return row;
}

export function allocationRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const db = ctx.store.db;
  const one = { 200: AllocationView, "4xx": ErrorResponse };

  app.get(
    "/v1/programs",
    {
      schema: {
        tags: ["allocations"],
        summary: "List access programs",
        response: { 200: Type.Object({ items: Type.Array(ProgramView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      authorize(principalOf(req), Action.Read, null);
      const rows = await db.selectFrom("programs").selectAll().orderBy("id").execute();
      return { items: rows.map(programView) };
    },
  );

  app.post(
    "/v1/programs",
    {
      schema: {
        tags: ["allocations"],
        summary: "Create an access program (admin)",
        body: ProgramBody,
        response: { 201: ProgramView, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      authorize(p, Action.ManageTenancy, null);
      const b = req.body as { id: string; name: string; enforcement: string };
      const now = ctx.clock();
      const row = await db.transaction().execute(async (tx) => {
        const exists = await tx
          .selectFrom("programs")
          .select("id")
          .where("id", "=", b.id)
          .executeTakeFirst();
        if (exists !== undefined)
          throw new GongjangError("GJ_ERR_CONFLICT", `program "${b.id}" exists`, {
            path: "body.id",
          });
        const r = await tx
          .insertInto("programs")
          .values({ id: b.id, name: b.name, enforcement: b.enforcement, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: null,
          action: "program.create",
          target: `program/${b.id}`,
          after: b,
        });
        return r;
      });
      return reply.status(201).send(programView(row));
    },
  );

  app.post(
    "/v1/allocations",
    {
      schema: {
        tags: ["allocations"],
        summary: "Request an allocation (tenant-admin of the queue's tenant, or admin)",
        body: RequestBody,
        response: { 201: AllocationView, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as AllocationRequest;
      authorize(p, Action.RequestAllocation, body.queue.split("/")[0], "queue");
      return reply.status(201).send(allocationView(await requestAllocation(ctx, p, body)));
    },
  );

  app.get(
    "/v1/allocations",
    {
      schema: {
        tags: ["allocations"],
        summary: "List allocations, newest first",
        querystring: ListQuery,
        response: { 200: Page(AllocationView), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as {
        state?: string;
        tenant?: string;
        program?: string;
        limit?: number;
        cursor?: number;
      };
      const tenant = tenantScope(p, q.tenant);
      const limit = q.limit ?? 50;
      let sel = db
        .selectFrom("allocations")
        .selectAll()
        .orderBy("id", "desc")
        .limit(limit + 1);
      if (tenant !== undefined) sel = sel.where("tenant", "=", tenant);
      if (q.state !== undefined) sel = sel.where("state", "=", q.state);
      if (q.program !== undefined) sel = sel.where("program", "=", q.program);
      if (q.cursor !== undefined) sel = sel.where("id", "<", q.cursor);
      const rows = await sel.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => allocationView(r)),
        nextCursor: rows.length > limit ? page[page.length - 1].id : null,
      };
    },
  );

  app.get(
    "/v1/allocations/:id",
    {
      schema: {
        tags: ["allocations"],
        summary: "Get an allocation, with the device-hours charged to it so far",
        params: IdParams,
        response: one,
      },
    },
    async (req) => {
      const row = await visibleAllocation(ctx, principalOf(req), (req.params as { id: number }).id);
      return allocationView(row, await budgetUsed(db, row, ctx.clock()));
    },
  );

  app.post(
    "/v1/allocations/:id/approve",
    {
      schema: {
        tags: ["allocations"],
        summary: "Approve a request, or change an approved allocation (program-admin or admin)",
        params: IdParams,
        body: ApproveBody,
        response: one,
      },
      // The body is optional: no body approves the request as it stands.
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await visibleAllocation(ctx, p, (req.params as { id: number }).id);
      authorize(p, Action.DecideAllocation, row.tenant, "allocation");
      const d = req.body as AllocationDecision;
      const updated = await approveAllocation(ctx, p, row, d);
      ctx.loop.kick();
      return allocationView(updated);
    },
  );

  app.post(
    "/v1/allocations/:id/reject",
    {
      schema: {
        tags: ["allocations"],
        summary: "Reject a request (program-admin or admin)",
        params: IdParams,
        body: Type.Object({ note: Note }, { additionalProperties: false }),
        response: one,
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await visibleAllocation(ctx, p, (req.params as { id: number }).id);
      authorize(p, Action.DecideAllocation, row.tenant, "allocation");
      const { note } = req.body as { note: string };
      return allocationView(await rejectAllocation(ctx, p, row, note));
    },
  );
}
