/**
 * The fastify application: OpenAPI at /openapi.json and /docs, token auth on /v1,
 * coded errors, API latency metrics, and the resource routes. It does not listen or
 * start the loop; ./server.ts does.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { GongjangError } from "../core/errors.ts";
import type { ServiceContext } from "./context.ts";
import { sendError } from "./http-errors.ts";
import type { AdmissionHook } from "./jobs/submit.ts";
import { registerRoutes } from "./routes/index.ts";

/** Largest request body accepted (a job spec with a long command fits easily). */
export const BODY_LIMIT = 256 * 1024;

export interface AppOptions {
  readonly logger?: boolean;
  /** Admission hooks (allocation budgets). */
  readonly admission?: readonly AdmissionHook[];
  /** Extra route sets, registered after the built-in ones. */
  readonly routes?: readonly ((app: FastifyInstance, ctx: ServiceContext) => void)[];
}

export async function buildApp(ctx: ServiceContext, o: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger === true ? { level: "info" } : false,
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false } },
    // Router errors (a malformed %-escape in the URL) get coded bodies too.
    frameworkErrors: (err, req, reply) => sendError(err, req, reply),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "gongjang control plane",
        version: "0.1.0",
        description:
          "Quotas, fair share and placement for a shared accelerator fleet. Errors are GJ_ERR_* codes (docs/errors.md).",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler((err, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) =>
    sendError(
      new GongjangError("GJ_ERR_NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`),
      req,
      reply,
    ),
  );
  app.addHook("onRequest", async (req) => {
    if (req.url.startsWith("/v1/")) {
      const h = req.headers.authorization;
      const token = h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined;
      req.principal = await ctx.tokens.verify(token, ctx.clock());
      // An agent token is fleet-wide but may only speak the agent protocol: it must
      // never read tenants' jobs through the unscoped listings.
      if (req.principal.role === "agent" && !req.url.startsWith("/v1/agents/"))
        throw new GongjangError("GJ_ERR_FORBIDDEN", "an agent token may only use /v1/agents/*");
    }
  });
  // JSON has no Infinity, but "1e400" parses to it, and ajv coerces "Infinity" in queries:
  // both slip past minimum/maximum, so refuse any non-finite number before a handler runs.
  app.addHook("preHandler", async (req) => {
    const where =
      nonFinite(req.body, "body") ??
      nonFinite(req.query, "querystring") ??
      nonFinite(req.params, "params");
    if (where !== undefined)
      throw new GongjangError("GJ_ERR_REQUEST_INVALID", "must be a finite number", { path: where });
  });
  // Acknowledge a mutation only once the store has made it durable (group commit).
  app.addHook("onSend", async (req, _reply, payload) => {
    if (req.method !== "GET" && req.method !== "HEAD") await ctx.store.durable();
    return payload;
  });
  app.addHook("onResponse", async (req, reply) => {
    ctx.metrics.api.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? "unknown",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  registerRoutes(app, ctx, o.admission ?? []);
  for (const r of o.routes ?? []) r(app, ctx);
  return app;
}

/** The JSON path of the first non-finite number in `v`, or undefined. */
function nonFinite(v: unknown, path: string): string | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? undefined : path;
  if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      const p = nonFinite(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`);
      if (p !== undefined) return p;
    }
  return undefined;
}
