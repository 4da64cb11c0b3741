/**
 * One scheduling cycle: a pure function from (snapshot, pending jobs, policy, time,
 * rng) to decisions. It never applies them; the simulator and the service do.
 *
 * Jobs are tried in the policy's queue order. For each: the filters run over the
 * nodes (all of them, or until enough feasible ones are found; see nodesToScore);
 * survivors are scored (weighted sum of score plugins, after normalising); the best
 * node wins, ties broken by node rank or uniformly by the seeded rng (as
 * kube-scheduler does, with one draw per job rather than one per tie); the reserve
 * plugin picks its devices. Later jobs in the same cycle must see earlier
 * placements, so the cycle records them on the snapshot through the ledger and
 * rolls every one back before returning: callers get the state exactly as they
 * passed it (node version stamps aside, which only ever grow).
 */
import type { ClusterState } from "./model/cluster.ts";
import type { Job } from "./model/job.ts";
import { allocate, type Placement, release } from "./model/ledger.ts";
import { compileRequest, fitShapeKey, type Request } from "./model/request.ts";
import * as fit from "./plugins/fit/index.ts";
import type { CycleContext, Policy } from "./plugins/types.ts";
import type { Rng } from "./rng.ts";
import { findFeasible } from "./scan.ts";
import { type Status, unresolvable, unschedulable } from "./status.ts";

export type Decision =
  | {
      readonly kind: "start";
      readonly job: Job;
      readonly request: Request;
      readonly placement: Placement;
    }
  | { readonly kind: "wait"; readonly job: Job; readonly status: Status };

export interface CycleInput {
  readonly state: ClusterState;
  /** Pending jobs, in any order; they are sorted by the policy. */
  readonly pending: readonly (Job | Request)[];
  readonly policy: Policy;
  readonly now: number;
  readonly rng: Rng;
  /**
   * Tie-break order: among equal scores the node with the lowest rank wins. A seeded
   * permutation reproduces the FGD paper's simulator, whose node names carry a
   * random prefix and whose scheduler takes the first best node in name order.
   * Absent: ties are broken uniformly at random.
   */
  readonly nodeRank?: Int32Array;
}

/** Reusable per-state scratch buffers, so a cycle allocates nothing per node. */
const scratchByState = new WeakMap<
  ClusterState,
  { nodes: Int32Array; scores: Float64Array; total: Float64Array }
>();

/** Runs one cycle and returns one decision per pending job, in the order tried. */
export function cycle(input: CycleInput): Decision[] {
  const { state, policy } = input;
  const ctx: CycleContext = { state, now: input.now, rng: input.rng, nodeRank: input.nodeRank };
  const requests = input.pending.map((p) => ("job" in p ? p : compileRequest(state, p)));
  requests.sort((a, b) => policy.sort.compare(a, b));
  const decisions: Decision[] = [];
  const applied: { req: Request; placement: Placement }[] = [];
  // A shape that failed this cycle fails again: nothing frees up within a cycle.
  const failedShapes = new Map<string, Status>();
  let blocked = false;
  try {
    for (const req of requests) {
      if (blocked) {
        decisions.push({
          kind: "wait",
          job: req.job,
          status: unschedulable("Queue", "behind a job that cannot start (strict order)"),
        });
        continue;
      }
      const key = fitShapeKey(req);
      const knownFailure = failedShapes.get(key);
      const outcome = knownFailure ?? placeOne(ctx, req, policy, 0, state.nodeCount);
      if ("node" in outcome) {
        allocate(state, req, outcome);
        applied.push({ req, placement: outcome });
        decisions.push({ kind: "start", job: req.job, request: req, placement: outcome });
      } else {
        failedShapes.set(key, outcome);
        decisions.push({ kind: "wait", job: req.job, status: outcome });
        if (policy.blocking) blocked = true;
      }
    }
  } finally {
    for (let i = applied.length - 1; i >= 0; i--)
      release(state, applied[i].req, applied[i].placement);
  }
  return decisions;
}

/**
 * Filter, score and reserve for one request over nodes lo..hi-1 (a topology scope, or
 * the whole fleet): a placement or the reason there is none. Reads the state only.
 */
export function placeOne(
  ctx: CycleContext,
  req: Request,
  policy: Policy,
  lo: number,
  hi: number,
): Placement | Status {
  const { state } = ctx;
  let scratch = scratchByState.get(state);
  if (!scratch) {
    const n = state.nodeCount;
    scratch = { nodes: new Int32Array(n), scores: new Float64Array(n), total: new Float64Array(n) };
    scratchByState.set(state, scratch);
  }
  const { nodes, scores, total } = scratch;
  const count = hi - lo;
  const want = feasibleNodesToFind(count, policy.nodesToScore);
  // A partial scan starts at a seeded random node so no part of the fleet is favoured.
  const start = lo + (want < count ? ctx.rng.int(count) : 0);
  const { count: feasible, rejections } = findFeasible(
    ctx,
    req,
    policy,
    lo,
    hi,
    start,
    want,
    nodes,
  );
  if (feasible === 0) {
    if (ctx.briefReasons !== true) return explainNoFit(state, req, policy, rejections, lo, hi);
    return everFits(state, req, lo, hi)
      ? unschedulable("Filter", `0/${hi - lo} nodes fit now`)
      : unresolvable("Filter", `0/${hi - lo} nodes fit; no node could ever fit it`);
  }

  let ranked = scores;
  if (policy.scores.length === 1) {
    // One scorer: its (normalised) scores rank the nodes; a positive weight keeps the order.
    const { plugin } = policy.scores[0];
    for (let i = 0; i < feasible; i++) scores[i] = plugin.score(ctx, req, nodes[i]);
    plugin.normalize?.(scores, feasible);
  } else {
    ranked = total;
    total.fill(0, 0, feasible);
    for (const { plugin, weight } of policy.scores) {
      for (let i = 0; i < feasible; i++) scores[i] = plugin.score(ctx, req, nodes[i]);
      plugin.normalize?.(scores, feasible);
      for (let i = 0; i < feasible; i++) total[i] += weight * scores[i];
    }
  }
  const best = pickBest(ctx, nodes, ranked, feasible);
  const devices = policy.reserve.selectDevices(ctx, req, best);
  if (devices === null)
    return unschedulable(policy.reserve.name, `no devices on ${state.nodeIds[best]} fit`);
  return { node: best, devices };
}

/**
 * The best-scoring node. Ties go to the lowest node rank when one is given, else to a
 * uniformly random one: count the ties, then draw once (one draw per job, not per tie).
 */
function pickBest(
  ctx: CycleContext,
  nodes: Int32Array,
  total: Float64Array,
  count: number,
): number {
  let bestScore = total[0];
  let ties = 1;
  for (let i = 1; i < count; i++) {
    if (total[i] > bestScore) {
      bestScore = total[i];
      ties = 1;
    } else if (total[i] === bestScore) {
      ties++;
    }
  }
  const rank = ctx.nodeRank;
  let pick = rank || ties === 1 ? 0 : ctx.rng.int(ties);
  let best = -1;
  for (let i = 0; i < count; i++) {
    if (total[i] !== bestScore) continue;
    if (rank) {
      if (best < 0 || rank[nodes[i]] < rank[best]) best = nodes[i];
    } else if (pick-- === 0) {
      return nodes[i];
    }
  }
  return best;
}

/** Feasible nodes to find before scoring (kube-scheduler's numFeasibleNodesToFind). */
export function feasibleNodesToFind(nodes: number, setting: Policy["nodesToScore"]): number {
  if (setting === "all") return nodes;
  if (typeof setting === "number") return Math.max(1, Math.min(nodes, Math.floor(setting)));
  if (nodes <= FULL_SCAN_UP_TO) return nodes;
  const percent = Math.max(5, 50 - Math.floor(nodes / 125));
  return Math.max(100, Math.floor((nodes * percent) / 100));
}

/** Fleets up to this size are always scanned whole: it is cheap and scores best. */
const FULL_SCAN_UP_TO = 2000;

/** Per state (whose node capacities never change): shape and range → whether any node fits it empty. */
const everFitsByState = new WeakMap<ClusterState, Map<string, boolean>>();

/** Whether some node in lo..hi-1 could host `req` if it were empty. */
function everFits(state: ClusterState, req: Request, lo: number, hi: number): boolean {
  let memo = everFitsByState.get(state);
  if (memo === undefined) {
    memo = new Map();
    everFitsByState.set(state, memo);
  }
  const key = `${fitShapeKey(req)}|${lo}|${hi}`;
  let could = memo.get(key);
  if (could === undefined) {
    could = false;
    for (let n = lo; n < hi && !could; n++) could = fit.fitsWhenEmpty(state, req, n);
    memo.set(key, could);
  }
  return could;
}

function explainNoFit(
  state: ClusterState,
  req: Request,
  policy: Policy,
  rejections: Int32Array[],
  lo: number,
  hi: number,
): Status {
  const anyCould = everFits(state, req, lo, hi);
  const parts: string[] = [];
  policy.filters.forEach((f, i) => {
    rejections[i].forEach((count, code) => {
      if (count > 0) parts.push(`${count} ${f.reasons[code]}`);
    });
  });
  const summary = `0/${hi - lo} nodes fit: ${parts.join(", ")}`;
  const plugin = policy.filters.find((_, i) => rejections[i].some((c) => c > 0))?.name ?? "Filter";
  return anyCould
    ? unschedulable(plugin, summary)
    : unresolvable(plugin, `${summary}; no node could ever fit it`);
}
