/**
 * Random: each feasible node draws a uniform score from the seeded rng, so the job
 * lands on a uniformly random feasible node whatever tie-break order is in force.
 * Pair it with the random device reserve.
 */
import type { CycleContext, ScorePlugin } from "../types.ts";

export const name = "Random";

export function create(): ScorePlugin {
  return { name, score: (ctx: CycleContext) => ctx.rng.next() };
}
