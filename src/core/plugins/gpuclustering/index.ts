/**
 * GpuClustering: keep jobs of one shape together. Nodes already running only this
 * shape score 75–100, mixed nodes with it 50–75, empty nodes 25–50, others 0–25;
 * within a band, fuller nodes win. CPU-only jobs score 0 everywhere.
 */
import { CLASS_COUNT } from "../../model/cluster.ts";
import type { Request } from "../../model/request.ts";
import { nodeFreeMilli } from "../device-select.ts";
import { MAX_NODE_SCORE, MAX_SPEC_DEVICES } from "../spec.ts";
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "GpuClustering";

export function gpuClusteringScore(ctx: CycleContext, req: Request, node: number): number {
  const cls = req.affinityClass;
  if (cls === 0) return 0;
  const { state } = ctx;
  const base = node * CLASS_COUNT;
  let distinct = 0;
  // Class 0 (CPU-only work) does not count: only device-holding jobs set a node's affinity.
  for (let c = 1; c < CLASS_COUNT; c++) if (state.nodeClassCount[base + c] > 0) distinct++;
  // Integer arithmetic, as in the published simulator: 25 × (8000 − free) / 8000.
  const fill = Math.trunc(
    ((MAX_NODE_SCORE / 4) * (MAX_SPEC_DEVICES - nodeFreeMilli(state, node))) / MAX_SPEC_DEVICES,
  );
  if (state.nodeClassCount[base + cls] > 0) return fill + (distinct === 1 ? 75 : 50);
  return fill + (distinct === 0 ? 25 : 0);
}

export function create(): ScorePlugin {
  return { name, score: gpuClusteringScore };
}
