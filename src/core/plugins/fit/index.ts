/**
 * ResourceFit: the node has the CPU, memory and devices the request needs, of an
 * accepted device type, and is schedulable. Every policy runs it first.
 */
import { MILLI } from "../../model/cluster.ts";
import { type Request, typeAllowed } from "../../model/request.ts";
import type { CycleContext, FilterPlugin } from "../types.ts";

export const name = "ResourceFit";

export const Reason = {
  Fits: 0,
  Cordoned: 1,
  NoDevices: 2,
  WrongType: 3,
  Cpu: 4,
  Memory: 5,
  DeviceShare: 6,
  Residency: 7,
} as const;

const reasons = [
  "fits",
  "node is cordoned or down",
  "node has no accelerators",
  "device type not accepted",
  "insufficient CPU",
  "insufficient memory",
  "insufficient free devices",
  "outside the job's data residency",
];

/** Number of devices on `node` whose free share is at least `milli`. */
export function devicesWithFree(state: CycleContext["state"], node: number, milli: number): number {
  let count = 0;
  const end = state.devOffset[node + 1];
  for (let d = state.devOffset[node]; d < end; d++) if (state.devFree[d] >= milli) count++;
  return count;
}

/** Fit check shared by filters and explain: returns a Reason code. */
export function fitReason(state: CycleContext["state"], req: Request, node: number): number {
  const job = req.job;
  if (state.schedulable[node] === 0) return Reason.Cordoned;
  if (((req.siteMask >>> state.nodeSite[node]) & 1) === 0) return Reason.Residency;
  if (job.devices > 0) {
    if (state.nodeType[node] < 0) return Reason.NoDevices;
    if (!typeAllowed(req, state.nodeType[node])) return Reason.WrongType;
  }
  if (state.cpuFree[node] < job.cpuMilli) return Reason.Cpu;
  if (state.memFree[node] < job.memoryMiB) return Reason.Memory;
  if (job.devices > 0) {
    // Whole-device jobs need idle devices: an O(1) count the ledger keeps.
    const fitting =
      job.deviceMilli === MILLI
        ? state.devIdle[node]
        : devicesWithFree(state, node, job.deviceMilli);
    if (fitting < job.devices) return Reason.DeviceShare;
  }
  return Reason.Fits;
}

/** Creates the filter. It has no options. */
export function create(): FilterPlugin {
  return {
    name,
    reasons,
    filter: (ctx: CycleContext, req: Request, node: number) => fitReason(ctx.state, req, node),
  };
}

/** True when the node could host the request if it were empty (capacity, not free space). */
export function fitsWhenEmpty(state: CycleContext["state"], req: Request, node: number): boolean {
  const job = req.job;
  if (((req.siteMask >>> state.nodeSite[node]) & 1) === 0) return false;
  if (job.devices > 0) {
    if (state.nodeType[node] < 0 || !typeAllowed(req, state.nodeType[node])) return false;
    if (state.devOffset[node + 1] - state.devOffset[node] < job.devices) return false;
    if (job.deviceMilli > MILLI) return false;
  }
  return state.cpuCap[node] >= job.cpuMilli && state.memCap[node] >= job.memoryMiB;
}
