/**
 * GpuPacking: prefer, in order, (1) sharing already-used devices, (2) idle devices on
 * a node that is already in use, (3) an untouched node. Bands: 50–100, 33–50, 0–33.
 * CPU-only jobs score 0 everywhere.
 */
import { MILLI } from "../../model/cluster.ts";
import type { Request } from "../../model/request.ts";
import { idleDevices } from "../device-select.ts";
import { MAX_NODE_SCORE } from "../spec.ts";
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "GpuPacking";

export function gpuPackingScore(ctx: CycleContext, req: Request, node: number): number {
  const job = req.job;
  if (job.devices === 0 || job.deviceMilli <= 0) return 0;
  const { state } = ctx;
  const first = state.devOffset[node];
  const count = state.devOffset[node + 1] - first;
  const idle = idleDevices(state, node);
  if (idle === count) return Math.max(Math.trunc(MAX_NODE_SCORE / 3) - idle, idle);
  // Walk devices from least to most free (stable), as the job would fill them.
  const order = Array.from({ length: count }, (_, i) => first + i).sort(
    (a, b) => state.devFree[a] - state.devFree[b] || a - b,
  );
  let need = job.devices;
  let idleUsed = 0;
  let freeRatioOnUsed = 0;
  for (const d of order) {
    if (need === 0) break;
    if (job.deviceMilli <= state.devFree[d]) {
      need--;
      if (state.devFree[d] === MILLI) idleUsed++;
      freeRatioOnUsed += Math.trunc((state.devFree[d] * 100) / MILLI);
    }
  }
  if (need !== 0) return 0;
  if (idleUsed > 0) return Math.max(MAX_NODE_SCORE / 2 - idleUsed, Math.trunc(MAX_NODE_SCORE / 3));
  return Math.max(MAX_NODE_SCORE - Math.trunc(freeRatioOnUsed / 10), MAX_NODE_SCORE / 2);
}

export function create(): ScorePlugin {
  return { name, score: gpuPackingScore };
}
