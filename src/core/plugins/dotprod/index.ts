/**
 * DotProd (Tetris-style alignment): score = 100 × (1 − ⟨free, request⟩ / 2), with both
 * vectors [CPU, devices] normalised by the largest node spec. A node whose leftovers
 * barely cover the request scores high, so big holes are kept for big jobs.
 */
import { jobDeviceMilli } from "../../model/job.ts";
import type { Request } from "../../model/request.ts";
import { nodeFreeMilli } from "../device-select.ts";
import { MAX_NODE_SCORE, MAX_SPEC_CPU, MAX_SPEC_DEVICES } from "../spec.ts";
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "DotProd";

/** Integer score in [0, 100]; same float order as the published simulator. */
export function dotProdScore(ctx: CycleContext, req: Request, node: number): number {
  const { state } = ctx;
  const nodeCpu = state.cpuFree[node] / MAX_SPEC_CPU;
  const nodeDev = nodeFreeMilli(state, node) / MAX_SPEC_DEVICES;
  const podCpu = req.job.cpuMilli / MAX_SPEC_CPU;
  const podDev = jobDeviceMilli(req.job) / MAX_SPEC_DEVICES;
  let dot = 0 + nodeCpu * podCpu + nodeDev * podDev;
  dot /= 2;
  return Math.trunc(MAX_NODE_SCORE * (1 - dot));
}

export function create(): ScorePlugin {
  return { name, score: dotProdScore };
}
