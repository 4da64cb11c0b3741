/**
 * BestFit: the node with the least CPU and device share left after placement wins.
 * Raw score 100 × (1 − ½·cpuLeft/128 cores − ½·devLeft/8 devices), then rescaled to
 * 0..100 over the feasible nodes with integer division (as Kubernetes plugins do).
 */
import { jobDeviceMilli } from "../../model/job.ts";
import type { Request } from "../../model/request.ts";
import { nodeFreeMilli } from "../device-select.ts";
import { MAX_NODE_SCORE, MAX_SPEC_CPU, MAX_SPEC_DEVICES } from "../spec.ts";
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "BestFit";

export function bestFitScore(ctx: CycleContext, req: Request, node: number): number {
  const { state } = ctx;
  const cpuLeft = state.cpuFree[node] - req.job.cpuMilli;
  const devLeft = nodeFreeMilli(state, node) - jobDeviceMilli(req.job);
  let s = 0;
  s += (cpuLeft / MAX_SPEC_CPU) * 0.5;
  s += (devLeft / MAX_SPEC_DEVICES) * 0.5;
  return Math.trunc((1 - s) * MAX_NODE_SCORE);
}

/** Min–max rescale to 0..100 in integers; all equal → all 0. */
export function normalizeMinMax(scores: Float64Array, count: number): void {
  let hi = -Infinity;
  let lo = Infinity;
  for (let i = 0; i < count; i++) {
    if (scores[i] > hi) hi = scores[i];
    if (scores[i] < lo) lo = scores[i];
  }
  const range = hi - lo;
  for (let i = 0; i < count; i++) {
    scores[i] = range === 0 ? 0 : Math.trunc(((scores[i] - lo) * MAX_NODE_SCORE) / range);
  }
}

export function create(): ScorePlugin {
  return { name, score: bestFitScore, normalize: normalizeMinMax };
}
