/** FirstFit: the lowest-indexed feasible node in fleet order wins. */
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "FirstFit";

export function create(): ScorePlugin {
  return { name, score: (ctx: CycleContext, _req, node: number) => ctx.state.nodeCount - node };
}
