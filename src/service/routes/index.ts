/**
 * Every route set of the API, registered in this order by ./app.ts. Each file under
 * ./routes owns one resource and exports one registration function.
 */
import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "../context.ts";
import type { AdmissionHook } from "../jobs/submit.ts";
import { healthRoutes } from "./health.ts";
import { jobRoutes } from "./jobs.ts";

export type RouteSet = (app: FastifyInstance, ctx: ServiceContext) => void;

export function registerRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  admission: readonly AdmissionHook[],
): void {
  healthRoutes(app, ctx);
  jobRoutes(app, ctx, admission);
  // One line per resource below.
}
