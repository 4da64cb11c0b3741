/** Liveness, readiness (the store answers and the loop has ticked) and Prometheus metrics. */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { ServiceContext } from "../context.ts";

export function healthRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/healthz",
    { schema: { tags: ["health"], summary: "The process is alive" } },
    async () => ({
      status: "ok",
    }),
  );

  app.get(
    "/readyz",
    { schema: { tags: ["health"], summary: "The store answers and the scheduler loop has run" } },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      try {
        await sql`select 1`.execute(ctx.store.db);
        checks.store = "ok";
      } catch (err) {
        checks.store = `failing: ${err instanceof Error ? err.message : String(err)}`;
      }
      checks.scheduler = ctx.loop.ticks > 0 ? "ok" : "not yet run";
      const ready = Object.values(checks).every((v) => v === "ok");
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? "ready" : "not ready", checks });
    },
  );

  app.get(
    "/metrics",
    { schema: { tags: ["health"], summary: "Prometheus metrics" } },
    async (_req, reply) =>
      reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );
}
