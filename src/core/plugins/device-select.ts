/**
 * Which devices on the chosen node a request takes. Whole-device requests take the
 * lowest-indexed idle devices; a fractional request picks one shared device by rule.
 */
import { isFractional } from "../model/job.ts";
import type { Request } from "../model/request.ts";
import type { CycleContext, ReservePlugin } from "./types.ts";

/** Lowest-indexed devices with at least `deviceMilli` free, `devices` of them; null if too few. */
export function firstFitDevices(ctx: CycleContext, req: Request, node: number): number[] | null {
  const { state } = ctx;
  const want = req.job.devices;
  if (want === 0) return [];
  const out: number[] = [];
  const end = state.devOffset[node + 1];
  for (let d = state.devOffset[node]; d < end && out.length < want; d++) {
    if (state.devFree[d] >= req.job.deviceMilli) out.push(d);
  }
  return out.length === want ? out : null;
}

/** Fractional: the device with the least free share that still fits (first on ties). */
export function bestFitDevice(ctx: CycleContext, req: Request, node: number): number[] | null {
  if (!isFractional(req.job)) return firstFitDevices(ctx, req, node);
  const { state } = ctx;
  let best = -1;
  for (let d = state.devOffset[node]; d < state.devOffset[node + 1]; d++) {
    const free = state.devFree[d];
    if (free >= req.job.deviceMilli && (best < 0 || free < state.devFree[best])) best = d;
  }
  return best < 0 ? null : [best];
}

/** Fractional: a uniformly random fitting device (seeded). */
export function randomDevice(ctx: CycleContext, req: Request, node: number): number[] | null {
  if (!isFractional(req.job)) return firstFitDevices(ctx, req, node);
  const { state, rng } = ctx;
  let chosen = -1;
  let seen = 0;
  for (let d = state.devOffset[node]; d < state.devOffset[node + 1]; d++) {
    if (state.devFree[d] >= req.job.deviceMilli) {
      seen++;
      if (rng.int(seen) === 0) chosen = d;
    }
  }
  return chosen < 0 ? null : [chosen];
}

export const bestFit: ReservePlugin = { name: "BestFitDevice", selectDevices: bestFitDevice };
export const random: ReservePlugin = { name: "RandomDevice", selectDevices: randomDevice };
export const firstFit: ReservePlugin = { name: "FirstFitDevice", selectDevices: firstFitDevices };

/** Sum of free share over a node's devices, in milli. */
export function nodeFreeMilli(state: CycleContext["state"], node: number): number {
  return state.devFreeSum[node];
}

/** Idle (entirely free) devices on a node. */
export function idleDevices(state: CycleContext["state"], node: number): number {
  return state.devIdle[node];
}
