/** Jobs: submit, list (filters, cursor pagination), get, cancel, events. */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import { getJob, JOB_STATES, type JobRow, StopKind } from "../../store/jobs.ts";
import { Action, authorize, type Principal, tenantScope } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { JobSpec, QueuePath } from "../jobs/spec.ts";
import { type AdmissionHook, submitJob, tenantOfQueue } from "../jobs/submit.ts";
import { JobView, jobView } from "../jobs/view.ts";
import { stopJob } from "../scheduler/transitions.ts";
import { ErrorResponse, Id, Page } from "../schemas.ts";

const IdParams = Type.Object({ id: Id });

const ListQuery = Type.Object(
  {
    tenant: Type.Optional(Type.String({ maxLength: 64 })),
    queue: Type.Optional(QueuePath),
    state: Type.Optional(Type.Union(JOB_STATES.map((s) => Type.Literal(s)))),
    user: Type.Optional(Type.String({ maxLength: 128 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(
      Type.Integer({ minimum: 1, description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);

/** Loads a job the caller may see, or answers 404 (other tenants' jobs do not exist for it). */
export async function visibleJob(ctx: ServiceContext, p: Principal, id: number): Promise<JobRow> {
  const row = await getJob(ctx.store.db, id);
  if (row === undefined || (p.tenant !== null && row.tenant !== p.tenant))
    throw new GongjangError("GJ_ERR_NOT_FOUND", `no job ${id}`, { path: "id" });
  return row;
}

export function jobRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  hooks: readonly AdmissionHook[],
): void {
  app.post(
    "/v1/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "Submit a job",
        body: JobSpec,
        headers: Type.Object({
          "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: { 200: JobView, 201: JobView, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as JobSpec;
      authorize(p, Action.SubmitJob, tenantOfQueue(body.queue), "queue");
      const key = req.headers["idempotency-key"] as string | undefined;
      const { row, created } = await submitJob(ctx, p, body, key, hooks);
      return reply.status(created ? 201 : 200).send(jobView(row));
    },
  );

  app.get(
    "/v1/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "List jobs, newest first",
        querystring: ListQuery,
        response: { 200: Page(JobView), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as {
        tenant?: string;
        queue?: string;
        state?: string;
        user?: string;
        limit?: number;
        cursor?: number;
      };
      const tenant = tenantScope(p, q.tenant);
      const limit = q.limit ?? 50;
      let sel = ctx.store.db
        .selectFrom("jobs")
        .selectAll()
        .orderBy("id", "desc")
        .limit(limit + 1);
      if (tenant !== undefined) sel = sel.where("tenant", "=", tenant);
      if (q.queue !== undefined) sel = sel.where("queue", "=", q.queue);
      if (q.state !== undefined) sel = sel.where("state", "=", q.state);
      if (q.user !== undefined) sel = sel.where("user", "=", q.user);
      if (q.cursor !== undefined) sel = sel.where("id", "<", q.cursor);
      const rows = await sel.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map(jobView),
        nextCursor: rows.length > limit ? page[page.length - 1].id : null,
      };
    },
  );

  app.get(
    "/v1/jobs/:id",
    {
      schema: {
        tags: ["jobs"],
        summary: "Get a job",
        params: IdParams,
        response: { 200: JobView, "4xx": ErrorResponse },
      },
    },
    async (req) =>
      jobView(await visibleJob(ctx, principalOf(req), (req.params as { id: number }).id)),
  );

  app.post(
    "/v1/jobs/:id/cancel",
    {
      schema: {
        tags: ["jobs"],
        summary: "Cancel a job (a running one stops, then ends cancelled)",
        params: IdParams,
        response: { 200: JobView, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await visibleJob(ctx, p, (req.params as { id: number }).id);
      authorize(p, Action.CancelJob, row.tenant, "job");
      if (row.state === "succeeded" || row.state === "failed" || row.state === "cancelled")
        throw new GongjangError("GJ_ERR_JOB_FINISHED", `job ${row.id} already ${row.state}`, {
          path: "id",
        });
      const now = ctx.clock();
      const cancel = await ctx.store.db.transaction().execute(async (tx) => {
        const c = await stopJob(tx, row, StopKind.Cancel, now, { by: p.name });
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: row.tenant,
          action: "job.cancel",
          target: `job/${row.id}`,
          before: { state: row.state },
          after: { state: c === null ? "cancelled" : "stopping" },
        });
        return c;
      });
      if (cancel !== null) await ctx.loop.cancel(cancel);
      ctx.loop.kick();
      return jobView((await getJob(ctx.store.db, row.id))!);
    },
  );

  app.get(
    "/v1/jobs/:id/events",
    {
      schema: {
        tags: ["jobs"],
        summary: "A job's history",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                at: Type.String(),
                kind: Type.String(),
                detail: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
          }),
          "4xx": ErrorResponse,
        },
      },
    },
    async (req) => {
      const row = await visibleJob(ctx, principalOf(req), (req.params as { id: number }).id);
      const events = await ctx.store.db
        .selectFrom("job_events")
        .selectAll()
        .where("job_id", "=", row.id)
        .orderBy("id")
        .execute();
      return {
        items: events.map((e) => ({
          at: new Date(e.at).toISOString(),
          kind: e.kind,
          detail: JSON.parse(e.detail) as Record<string, unknown>,
        })),
      };
    },
  );
}
