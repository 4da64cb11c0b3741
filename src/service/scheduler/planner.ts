/**
 * Where plans are made: in this thread (tests, in-memory stores), or in a worker
 * thread with its own store connection, so that a long snapshot or cycle never
 * stalls the API. Both run the same planCycle().
 */
import { Worker } from "node:worker_threads";
import type { Fleet } from "../../core/model/fleet.ts";
import type { SchedulerPolicy } from "../../core/schedule/types.ts";
import type { Store } from "../../store/open.ts";
import { livePolicy, type Plan, type PlanRequest, planCycle } from "./plan.ts";
import type { Snapshot } from "./snapshot.ts";

export interface Planner {
  plan(r: PlanRequest): Promise<Plan>;
  /** The last snapshot, when planning runs in this thread (explain and views may reuse it). */
  readonly last: Snapshot | undefined;
  close(): Promise<void>;
}

export class InThreadPlanner implements Planner {
  private readonly store: Store;
  private readonly fleet: Fleet;
  private readonly policy: SchedulerPolicy;
  last: Snapshot | undefined;

  constructor(store: Store, fleet: Fleet, policy: string) {
    this.store = store;
    this.fleet = fleet;
    this.policy = livePolicy(policy, fleet);
  }

  async plan(r: PlanRequest): Promise<Plan> {
    const { plan, snap } = await planCycle(
      this.store.db,
      this.store.dialect,
      this.fleet,
      this.policy,
      r,
    );
    this.last = snap;
    return plan;
  }

  async close(): Promise<void> {}
}

type Reply = { id: number; plan?: Plan; error?: string };

export class WorkerPlanner implements Planner {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (p: Plan) => void; reject: (e: Error) => void }
  >();
  readonly last = undefined;

  /** `database` is the store's unredacted location (the worker opens its own connection). */
  constructor(database: string, fleet: Fleet, policy: string) {
    this.worker = new Worker(new URL("./planner-worker.ts", import.meta.url), {
      workerData: { database, fleet, policy },
    });
    this.worker.unref();
    this.worker.on("message", (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (w === undefined) return;
      this.waiting.delete(m.id);
      if (m.plan !== undefined) w.resolve(m.plan);
      else w.reject(new Error(`planner: ${m.error}`));
    });
    this.worker.on("error", (err) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    });
  }

  plan(r: PlanRequest): Promise<Plan> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, request: r });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
