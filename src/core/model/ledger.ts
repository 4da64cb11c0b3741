/**
 * The only code that changes a ClusterState. Drivers call these after the core
 * decides; every change bumps the node's version so per-node caches stay honest.
 *
 * Node states: schedulable ⇄ cordoned (no new work, running work stays).
 */
import { CLASS_COUNT, type ClusterState, MILLI } from "./cluster.ts";
import { updateFree, updateIdle } from "./idle-index.ts";
import type { Request } from "./request.ts";

/** Where a request runs: a node and the global indices of the devices it takes. */
export interface Placement {
  readonly node: number;
  readonly devices: readonly number[];
}

/** Takes the request's resources on the placement. The caller has checked the fit. */
export function allocate(state: ClusterState, req: Request, placement: Placement): void {
  const { node } = placement;
  const job = req.job;
  state.cpuFree[node] -= job.cpuMilli;
  state.memFree[node] -= job.memoryMiB;
  const idleBefore = state.devIdle[node];
  for (const d of placement.devices) {
    if (state.devFree[d] === MILLI) state.devIdle[node]--;
    state.devFree[d] -= job.deviceMilli;
  }
  updateIdle(state.idleIndex, node, idleBefore, state.devIdle[node]);
  state.domainIdle[state.nodeDomain[node]] += state.devIdle[node] - idleBefore;
  state.devFreeSum[node] -= job.deviceMilli * placement.devices.length;
  updateFree(state.idleIndex, node, state.devFreeSum[node] > 0);
  state.nodeClassCount[node * CLASS_COUNT + req.affinityClass]++;
  state.nodeVersion[node]++;
}

/** Returns the request's resources; the exact inverse of allocate(). */
export function release(state: ClusterState, req: Request, placement: Placement): void {
  const { node } = placement;
  const job = req.job;
  state.cpuFree[node] += job.cpuMilli;
  state.memFree[node] += job.memoryMiB;
  const idleBefore = state.devIdle[node];
  for (const d of placement.devices) {
    state.devFree[d] += job.deviceMilli;
    if (state.devFree[d] === MILLI) state.devIdle[node]++;
  }
  updateIdle(state.idleIndex, node, idleBefore, state.devIdle[node]);
  state.domainIdle[state.nodeDomain[node]] += state.devIdle[node] - idleBefore;
  state.devFreeSum[node] += job.deviceMilli * placement.devices.length;
  updateFree(state.idleIndex, node, state.devFreeSum[node] > 0);
  state.nodeClassCount[node * CLASS_COUNT + req.affinityClass]--;
  state.nodeVersion[node]++;
}

/** Cordons (false) or uncordons (true) a node. Running work is not touched. */
export function setSchedulable(state: ClusterState, node: number, on: boolean): void {
  state.schedulable[node] = on ? 1 : 0;
  state.nodeVersion[node]++;
}
