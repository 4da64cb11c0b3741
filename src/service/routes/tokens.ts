/**
 * API tokens: create (the secret is returned once and only its hash is stored), list
 * and revoke. An admin manages every token; a tenant-admin manages its own tenant's
 * tokens and may mint only tenant-admin, member and viewer ones. Audit records carry
 * the token's id, name, role and tenant, never its secret.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import type { TokensTable } from "../../store/schema.ts";
import { Action, authorize, type Principal, ROLES, type Role } from "../auth/roles.ts";
import { createToken } from "../auth/tokens.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { ErrorResponse } from "../schemas.ts";

/** Roles a tenant-admin may hand out (never wider than its own). */
const TENANT_GRANTABLE: readonly Role[] = ["tenant-admin", "member", "viewer"];
/** Roles that are never scoped to a tenant; viewer may be either. */
const UNSCOPED: readonly Role[] = ["admin", "program-admin", "agent"];

const Iso = Type.String({ format: "date-time" });

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  tenant: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Iso,
  revokedAt: Type.Union([Iso, Type.Null()]),
});

const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    tenant: Type.Union([
      Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9][a-z0-9_-]*$" }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ pattern: "^[0-9a-f]{12}$" }) });

type TokenRow = Omit<TokensTable, "secret_hash">;

const tokenView = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  role: r.role,
  tenant: r.tenant,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
});

/** Throws unless `p` may create a token of `role` for `tenant`. */
function checkGrant(p: Principal, role: Role, tenant: string | null): void {
  authorize(p, Action.ManageTokens, tenant, "tenant");
  if (p.role === "admin") return;
  if (tenant !== p.tenant)
    throw new GongjangError(
      "GJ_ERR_FORBIDDEN",
      `a ${p.role} may create tokens of its tenant only`,
      {
        path: "body.tenant",
      },
    );
  if (!TENANT_GRANTABLE.includes(role))
    throw new GongjangError(
      "GJ_ERR_FORBIDDEN",
      `a ${p.role} may create ${TENANT_GRANTABLE.join(", ")} tokens only`,
      { path: "body.role" },
    );
}

export function tokenRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post(
    "/v1/tokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "Create a token; the response carries it once",
        body: NewTokenBody,
        response: {
          201: Type.Object({ ...TokenView.properties, token: Type.String() }),
          "4xx": ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as { name: string; role: Role; tenant: string | null };
      checkGrant(p, body.role, body.tenant);
      if (UNSCOPED.includes(body.role) && body.tenant !== null)
        throw new GongjangError("GJ_ERR_REQUEST_INVALID", `a ${body.role} token has no tenant`, {
          path: "body.tenant",
        });
      if (body.tenant === null && body.role !== "viewer" && !UNSCOPED.includes(body.role))
        throw new GongjangError("GJ_ERR_REQUEST_INVALID", `a ${body.role} token needs a tenant`, {
          path: "body.tenant",
        });
      const now = ctx.clock();
      const made = await ctx.store.db.transaction().execute(async (tx) => {
        if (body.tenant !== null) {
          const t = await tx
            .selectFrom("tenants")
            .select("id")
            .where("id", "=", body.tenant)
            .executeTakeFirst();
          if (t === undefined)
            throw new GongjangError("GJ_ERR_NOT_FOUND", `no tenant "${body.tenant}"`, {
              path: "body.tenant",
            });
        }
        const made = await createToken(tx, { ...body, createdBy: p.name, now });
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: body.tenant,
          action: "token.create",
          target: `token/${made.id}`,
          before: null,
          after: { name: body.name, role: body.role, tenant: body.tenant },
        });
        return made;
      });
      return reply.status(201).send({
        ...tokenView({
          id: made.id,
          name: body.name,
          role: body.role,
          tenant: body.tenant,
          created_by: p.name,
          created_at: now,
          revoked_at: null,
        }),
        token: made.token,
      });
    },
  );

  app.get(
    "/v1/tokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "List tokens (never their secrets)",
        querystring: Type.Object(
          {
            tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            revoked: Type.Optional(Type.Boolean({ description: "Include revoked tokens" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TokenView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as { tenant?: string; revoked?: boolean };
      authorize(p, Action.ManageTokens, q.tenant ?? null, "tenant");
      const tenant = p.role === "admin" ? q.tenant : p.tenant;
      let sel = ctx.store.db
        .selectFrom("tokens")
        .select(["id", "name", "role", "tenant", "created_by", "created_at", "revoked_at"])
        .orderBy("created_at", "desc")
        .orderBy("id");
      // A tenant-admin sees its tenant's tokens only (not the fleet-wide ones).
      if (tenant !== undefined) sel = sel.where("tenant", "=", tenant);
      if (q.revoked !== true) sel = sel.where("revoked_at", "is", null);
      return { items: (await sel.execute()).map(tokenView) };
    },
  );

  app.delete(
    "/v1/tokens/:id",
    {
      schema: {
        tags: ["tokens"],
        summary: "Revoke a token",
        params: IdParams,
        response: { 200: TokenView, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const id = (req.params as { id: string }).id;
      const now = ctx.clock();
      const row = await ctx.store.db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("tokens")
          .select(["id", "name", "role", "tenant", "created_by", "created_at", "revoked_at"])
          .where("id", "=", id)
          .executeTakeFirst();
        // A tenant-scoped caller sees only its tenant's tokens: others do not exist for it.
        if (row === undefined || (p.tenant !== null && row.tenant !== p.tenant))
          throw new GongjangError("GJ_ERR_NOT_FOUND", `no token ${id}`, { path: "id" });
        authorize(p, Action.ManageTokens, row.tenant, "token");
        if (row.revoked_at !== null)
          throw new GongjangError("GJ_ERR_CONFLICT", `token ${id} is already revoked`, {
            path: "id",
          });
        await tx.updateTable("tokens").set({ revoked_at: now }).where("id", "=", id).execute();
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: row.tenant,
          action: "token.revoke",
          target: `token/${id}`,
          before: { name: row.name, role: row.role, revokedAt: null },
          after: { name: row.name, role: row.role, revokedAt: new Date(now).toISOString() },
        });
        return { ...row, revoked_at: now };
      });
      ctx.tokens.forget(id);
      return tokenView(row);
    },
  );
}
