/**
 * Starts the control plane: opens (and migrates) the store, seeds a new one, builds
 * the app, starts the scheduler loop and listens. `close()` stops them in reverse.
 */
import type { FastifyInstance } from "fastify";
import { buildClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { openStore, type Store } from "../store/open.ts";
import { deploymentId } from "../store/settings.ts";
import { AgentHub } from "./agents/hub.ts";
import { allocationHousekeeping, budgetAdmission } from "./allocations/budget.ts";
import { type AppOptions, buildApp } from "./app.ts";
import { TokenVerifier } from "./auth/tokens.ts";
import type { ServiceContext } from "./context.ts";
import { SimExecutor } from "./executors/sim/index.ts";
import type { Executor } from "./executors/types.ts";
import { recordNodeHealth } from "./fleet/ops.ts";
import { startForecaster } from "./forecast/index.ts";
import { Metrics } from "./metrics.ts";
import { SchedulerLoop } from "./scheduler/loop.ts";
import { type Seed, seedStore } from "./seed.ts";
import { CatalogCache } from "./tenancy/catalog.ts";

export interface ServiceOptions extends AppOptions {
  /** A file path, ":memory:" or a postgres:// URL. */
  readonly database: string;
  readonly fleet: Fleet;
  readonly policy?: string;
  readonly executor?: Executor;
  /**
   * The hub the agent executor (if any) runs on; the /v1/agents routes feed it.
   * Default: a hub that serves no node.
   */
  readonly agents?: AgentHub;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly tickMs?: number;
  readonly clock?: () => number;
  /** Plan cycles in a worker thread (serve does; tests plan in this thread). */
  readonly plannerThread?: boolean;
  /** What a new, empty store starts with. */
  readonly seed?: Seed;
}

export interface Service {
  readonly app: FastifyInstance;
  readonly ctx: ServiceContext;
  readonly url: string;
  /** The admin token, when this start created it (a new store). */
  readonly adminToken: string | undefined;
  close(): Promise<void>;
}

export async function startService(o: ServiceOptions): Promise<Service> {
  const store: Store = await openStore(o.database);
  const clock = o.clock ?? Date.now;
  const policy = o.policy ?? "gongjang-default";
  const metrics = new Metrics();
  const executor: Executor = o.executor ?? new SimExecutor({ clock });
  executor.attach?.(await deploymentId(store.db));
  const agents = o.agents ?? new AgentHub({ fleet: o.fleet, now: clock });
  const loop = new SchedulerLoop({
    store,
    fleet: o.fleet,
    policy,
    executor,
    metrics,
    tickMs: o.tickMs,
    clock,
    plannerThread: o.plannerThread === true && o.database !== ":memory:",
    database: o.database,
    housekeeping: [
      allocationHousekeeping,
      // Nodes the agent hub saw go down (or come back), stored with the tick's requeues.
      async ({ now, tx }) => {
        for (const e of agents.takeNodeEvents()) await recordNodeHealth(tx, e, now);
      },
    ],
    onError: (err) => app.log.error({ err }, "scheduler tick failed"),
  });
  const ctx: ServiceContext = {
    store,
    fleet: o.fleet,
    emptyState: buildClusterState(o.fleet),
    policy,
    loop,
    metrics,
    tokens: new TokenVerifier(store.db),
    clock,
    catalog: new CatalogCache(),
    agents,
    executor,
  };
  const adminToken = await seedStore(store.db, o.fleet, o.seed ?? {}, clock());
  const app = await buildApp(ctx, { ...o, admission: [budgetAdmission, ...(o.admission ?? [])] });
  const address = await app.listen({ host: o.host ?? "127.0.0.1", port: o.port ?? 0 });
  loop.start();
  // Forecasts recompute in the background, never in the loop (tests refresh them by hand).
  const forecaster = startForecaster(ctx, {
    intervalMs: Math.max(30_000, o.tickMs ?? 1000),
    onError: (err) => app.log.error({ err }, "forecast failed"),
  });
  return {
    app,
    ctx,
    url: address,
    adminToken,
    close: async () => {
      agents.close();
      await forecaster.stop();
      await loop.stop();
      await app.close();
      await executor.close();
      await store.close();
    },
  };
}
