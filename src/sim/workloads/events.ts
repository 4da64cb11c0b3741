/**
 * Event kinds of a multi-tenant run. At one instant they apply in this order
 * (completions first, arrivals last), so room freed at t is seen by work arriving at t.
 */
export const Ev = {
  Completion: 0,
  Timeout: 1,
  GraceEnd: 2,
  Node: 3,
  HoldEdge: 4,
  Demotion: 5,
  Arrival: 6,
} as const;

/** Cycles per instant at most (preemptions without grace re-run the cycle). */
export const CYCLES_PER_INSTANT = 64;
