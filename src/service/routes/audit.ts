/**
 * The audit log, newest first: every mutation with who made it, when, and the
 * resource before and after. Admins and program-admins read all of it; a tenant-admin
 * reads its tenant's records (fleet-wide ones, such as node drains, are not its);
 * members and viewers may not read it.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { type Role, tenantScope } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { ErrorResponse, Page } from "../schemas.ts";

const READERS: readonly Role[] = ["admin", "program-admin", "tenant-admin"];

const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: "date-time", description: "At or after" })),
    to: Type.Optional(Type.String({ format: "date-time", description: "Before" })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    action: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: "^[a-z-]+(\\.[a-z-]+)*(\\.\\*)?$",
        description: 'Exact, e.g. "node.drain", or a prefix: "node.*"',
      }),
    ),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(
      Type.Integer({ minimum: 1, description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
type AuditQuery = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  tenant?: string;
  limit?: number;
  cursor?: number;
};

const AuditView = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: "date-time" }),
  actor: Type.String(),
  tenant: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

function epoch(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new GongjangError("GJ_ERR_REQUEST_INVALID", `${field}: not a date-time`, {
      path: `querystring.${field}`,
    });
  return ms;
}

export function auditRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "Read the audit log, newest first",
        querystring: AuditQuery,
        response: { 200: Page(AuditView), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      if (!READERS.includes(p.role))
        throw new GongjangError("GJ_ERR_FORBIDDEN", `role ${p.role} may not read the audit log`);
      const q = req.query as AuditQuery;
      const tenant = tenantScope(p, q.tenant);
      const limit = q.limit ?? 50;
      let sel = ctx.store.db
        .selectFrom("audit")
        .selectAll()
        .orderBy("id", "desc")
        .limit(limit + 1);
      if (tenant !== undefined) sel = sel.where("tenant", "=", tenant);
      if (q.from !== undefined) sel = sel.where("at", ">=", epoch(q.from, "from"));
      if (q.to !== undefined) sel = sel.where("at", "<", epoch(q.to, "to"));
      if (q.actor !== undefined) sel = sel.where("actor", "=", q.actor);
      if (q.action?.endsWith(".*")) sel = sel.where("action", "like", `${q.action.slice(0, -1)}%`);
      else if (q.action !== undefined) sel = sel.where("action", "=", q.action);
      if (q.cursor !== undefined) sel = sel.where("id", "<", q.cursor);
      const rows = await sel.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          actor: r.actor,
          tenant: r.tenant,
          action: r.action,
          target: r.target,
          before: parse(r.before),
          after: parse(r.after),
        })),
        nextCursor: rows.length > limit ? page[page.length - 1].id : null,
      };
    },
  );
}
