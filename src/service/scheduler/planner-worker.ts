/** The planner's worker thread: its own store connection, planCycle() per message. */
import { parentPort, workerData } from "node:worker_threads";
import type { Fleet } from "../../core/model/fleet.ts";
import { openStore } from "../../store/open.ts";
import { livePolicy, type PlanRequest, planCycle } from "./plan.ts";

const { database, fleet, policy } = workerData as {
  database: string;
  fleet: Fleet;
  policy: string;
};
const store = await openStore(database);
const pol = livePolicy(policy, fleet);

parentPort!.on("message", async (m: { id: number; request: PlanRequest }) => {
  try {
    const { plan } = await planCycle(store.db, store.dialect, fleet, pol, m.request);
    parentPort!.postMessage({ id: m.id, plan });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
