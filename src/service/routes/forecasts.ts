/**
 * Start-time forecasts: GET /v1/jobs/:id/forecast (same visibility as GET /v1/jobs/:id;
 * 202 while no computation has seen the job yet) and GET /v1/forecasts?ids=1,2,3 for
 * listings (the queue's ETA column), which leaves out jobs the caller may not see.
 * Both read the background forecaster's cache and never compute in the request.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { forecasterOf } from "../forecast/index.ts";
import { ForecastStatus, ForecastView, forecastView } from "../forecast/view.ts";
import { ErrorResponse, Id } from "../schemas.ts";
import { visibleJob } from "./jobs.ts";

/** Ids one batch may ask for. */
const MAX_IDS = 500;

export function forecastRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/jobs/:id/forecast",
    {
      schema: {
        tags: ["jobs"],
        summary: "When a pending job will start: P10/P50/P90 and why",
        params: Type.Object({ id: Id }),
        response: { 200: ForecastView, 202: ForecastView, "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      const row = await visibleJob(ctx, principalOf(req), (req.params as { id: number }).id);
      const f = forecasterOf(ctx);
      const view = forecastView(row, f);
      if (view.status !== ForecastStatus.Computing) return view;
      f.request();
      return reply.status(202).send(view);
    },
  );

  app.get(
    "/v1/forecasts",
    {
      schema: {
        tags: ["jobs"],
        summary: "Forecasts of several jobs (ids the caller may not see are left out)",
        querystring: Type.Object(
          { ids: Type.String({ pattern: "^[0-9]+(,[0-9]+)*$", maxLength: 8000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ForecastView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const ids = [...new Set((req.query as { ids: string }).ids.split(",").map(Number))];
      if (ids.length > MAX_IDS)
        throw new GongjangError("GJ_ERR_REQUEST_INVALID", `at most ${MAX_IDS} ids`, {
          path: "ids",
        });
      let sel = ctx.store.db.selectFrom("jobs").selectAll().where("id", "in", ids).orderBy("id");
      if (p.tenant !== null) sel = sel.where("tenant", "=", p.tenant);
      const rows = ids.length === 0 ? [] : await sel.execute();
      const f = forecasterOf(ctx);
      const items = rows.map((row) => forecastView(row, f));
      if (items.some((v) => v.status === ForecastStatus.Computing)) f.request();
      return { items };
    },
  );
}
