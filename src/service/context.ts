/** What every route reads: the store, the fleet, the loop, the clock and metrics. */
import type { FastifyRequest } from "fastify";
import { GongjangError } from "../core/errors.ts";
import type { ClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import type { Store } from "../store/open.ts";
import type { AgentHub } from "./agents/hub.ts";
import type { Principal } from "./auth/roles.ts";
import type { TokenVerifier } from "./auth/tokens.ts";
import type { Executor } from "./executors/types.ts";
import type { Metrics } from "./metrics.ts";
import type { SchedulerLoop } from "./scheduler/loop.ts";
import type { CatalogCache } from "./tenancy/catalog.ts";

export interface ServiceContext {
  readonly store: Store;
  readonly fleet: Fleet;
  /** The empty fleet, for admission checks (never mutated). */
  readonly emptyState: ClusterState;
  readonly policy: string;
  readonly loop: SchedulerLoop;
  readonly metrics: Metrics;
  readonly tokens: TokenVerifier;
  readonly clock: () => number;
  /** Queue paths and settings for admission, cached; invalidate after queue edits. */
  readonly catalog: CatalogCache;
  /** The node agents' sessions and runs (serves no node unless the agent executor is on). */
  readonly agents: AgentHub;
  /** What runs the jobs (usage reconciliation asks a Slurm executor for sacct). */
  readonly executor?: Executor;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The authenticated caller (set by the auth hook for every /v1 route). */
export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === undefined)
    throw new GongjangError("GJ_ERR_UNAUTHENTICATED", "expected header Authorization: Bearer gj_…");
  return req.principal;
}
