/**
 * Every route set of the API, registered in this order by ./app.ts. Each file under
 * ./routes owns one resource and exports one registration function.
 */
import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "../context.ts";
import type { AdmissionHook } from "../jobs/submit.ts";
import { agentRoutes } from "./agents.ts";
import { allocationRoutes } from "./allocations.ts";
import { auditRoutes } from "./audit.ts";
import { explainRoutes } from "./explain.ts";
import { fleetRoutes } from "./fleet.ts";
import { forecastRoutes } from "./forecasts.ts";
import { healthRoutes } from "./health.ts";
import { jobRoutes } from "./jobs.ts";
import { tenancyRoutes } from "./tenancy.ts";
import { tokenRoutes } from "./tokens.ts";
import { usageRoutes } from "./usage.ts";
import { webRoutes } from "./web.ts";

export type RouteSet = (app: FastifyInstance, ctx: ServiceContext) => void;

export function registerRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  admission: readonly AdmissionHook[],
): void {
  healthRoutes(app, ctx);
  jobRoutes(app, ctx, admission);
  // One line per resource below.
  fleetRoutes(app, ctx);
  tenancyRoutes(app, ctx);
  tokenRoutes(app, ctx);
  auditRoutes(app, ctx);
  usageRoutes(app, ctx);
  allocationRoutes(app, ctx);
  explainRoutes(app, ctx);
  forecastRoutes(app, ctx);
  agentRoutes(app, ctx);
  webRoutes(app, ctx);
}
