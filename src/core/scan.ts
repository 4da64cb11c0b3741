/**
 * The filter phase of placeOne: find up to `want` feasible nodes in lo..hi-1, visiting
 * them in scan order (from `start` to hi, then from lo to start), and count every
 * rejection by filter and reason so a miss can be explained.
 *
 * Two shortcuts keep it cheap on a large, mixed fleet without changing what it finds:
 * - nodes come in runs of one device type and site (fleet order is site › rack ›
 *   domain, and a domain has one type), and ResourceFit rejects a whole run at once
 *   when the request does not accept its type or site: the scan jumps over it;
 * - whole-device requests visit only nodes with enough idle devices, and fractional
 *   ones only nodes with some free share (the idle index).
 * The feasible nodes and their order are exactly the plain scan's. When nothing is
 * feasible the skipped runs are visited after all, so the rejection counts (and the
 * reason text built from them) are exactly the plain scan's too, unless the cycle
 * wants brief reasons (CycleContext.briefReasons): then the counts are left partial.
 */
import { type ClusterState, MILLI } from "./model/cluster.ts";
import { nextWithFree, nextWithIdle } from "./model/idle-index.ts";
import { ANY_TYPE, type Request } from "./model/request.ts";
import * as fit from "./plugins/fit/index.ts";
import type { CycleContext, FilterPlugin, Policy } from "./plugins/types.ts";

const runsByState = new WeakMap<ClusterState, Int32Array>();

/** runEnd[n]: the first node after n of another device type or site (computed once per state). */
function runEnds(state: ClusterState): Int32Array {
  let ends = runsByState.get(state);
  if (!ends) {
    const n = state.nodeCount;
    ends = new Int32Array(n);
    for (let i = n - 1; i >= 0; i--) {
      const same =
        i + 1 < n &&
        state.nodeType[i + 1] === state.nodeType[i] &&
        state.nodeSite[i + 1] === state.nodeSite[i];
      ends[i] = same ? ends[i + 1] : i + 1;
    }
    runsByState.set(state, ends);
  }
  return ends;
}

/** False when ResourceFit rejects node `n` for its type or site alone (so its whole run). */
function runAllowed(state: ClusterState, req: Request, n: number): boolean {
  if (((req.siteMask >>> state.nodeSite[n]) & 1) === 0) return false;
  if (req.job.devices === 0 || req.typeMask === ANY_TYPE) return true;
  const t = state.nodeType[n];
  return t >= 0 && (req.typeMask & (1 << t)) !== 0;
}

/** Per policy: where ResourceFit is among its filters, and reusable rejection counters. */
interface FilterScratch {
  readonly fitIndex: number;
  readonly rejections: Int32Array[];
}
const scratchByPolicy = new WeakMap<Policy, FilterScratch>();

/**
 * Rejection counters for `policy`, zeroed: [filter][reason code]. Reused by every
 * call, so a caller must read them before the next findFeasible().
 */
function filterScratch(policy: Policy): FilterScratch {
  let s = scratchByPolicy.get(policy);
  if (!s) {
    s = {
      fitIndex: policy.filters.findIndex((f) => f.name === fit.name),
      rejections: policy.filters.map((f) => new Int32Array(f.reasons.length)),
    };
    scratchByPolicy.set(policy, s);
  }
  for (const r of s.rejections) r.fill(0);
  return s;
}

/** Runs the filters on `n` in order; false when all pass, else counts the first rejection. */
function rejects(
  ctx: CycleContext,
  req: Request,
  filters: readonly FilterPlugin[],
  fitIndex: number,
  rejections: Int32Array[],
  n: number,
): boolean {
  for (let f = 0; f < filters.length; f++) {
    // ResourceFit called directly: a call site shared by all filters is slow to dispatch.
    const code = f === fitIndex ? fit.fitReason(ctx.state, req, n) : filters[f].filter(ctx, req, n);
    if (code !== 0) {
      rejections[f][code]++;
      return true;
    }
  }
  return false;
}

export interface Feasible {
  /** Feasible nodes found, in nodes[0..count). */
  readonly count: number;
  /** [filter][reason]: rejections seen; complete (the plain scan's) when count is 0, unless briefReasons. */
  readonly rejections: Int32Array[];
}

/** How a scan steps from node to node. */
const Step = {
  /** Every node. */
  All: 0,
  /** Nodes with at least `devices` idle devices (whole-device requests). */
  Idle: 1,
  /** Nodes with some free device share (fractional requests). */
  Free: 2,
} as const;
type Step = (typeof Step)[keyof typeof Step];

/** The first node at or after `from` (and before `to`) that the step visits; -1 when none. */
function next(state: ClusterState, step: Step, g: number, from: number, to: number): number {
  if (step === Step.Idle) return nextWithIdle(state.idleIndex, g, from, to);
  if (step === Step.Free) return nextWithFree(state.idleIndex, from, to);
  return from < to ? from : -1;
}

/** See the file comment. `nodes` receives the feasible nodes. */
export function findFeasible(
  ctx: CycleContext,
  req: Request,
  policy: Policy,
  lo: number,
  hi: number,
  start: number,
  want: number,
  nodes: Int32Array,
): Feasible {
  const { state } = ctx;
  const { fitIndex, rejections } = filterScratch(policy);
  const filters = policy.filters;
  const g = req.job.devices;
  // Only where a partial scan is wanted (as before): a full scan finds every feasible
  // node anyway and must count every node's own reason.
  let step: Step = Step.All;
  if (want < hi - lo && fitIndex >= 0 && g >= 1) {
    if (req.job.deviceMilli === MILLI) step = g <= state.idleIndex.levels ? Step.Idle : Step.All;
    else step = Step.Free;
  }
  // Without ResourceFit nothing may be skipped.
  const ends = fitIndex >= 0 ? runEnds(state) : null;
  let feasible = 0;
  let visited = 0;
  const visit = (n: number): void => {
    visited++;
    if (!rejects(ctx, req, filters, fitIndex, rejections, n)) nodes[feasible++] = n;
  };
  // Plain steps: every node, jumping over runs the request cannot use.
  const scanAll = (from: number, to: number): void => {
    let runEnd = from;
    for (let n = from; n < to && feasible < want; ) {
      if (ends !== null && n >= runEnd) {
        runEnd = ends[n];
        if (!runAllowed(state, req, n)) {
          n = runEnd;
          continue;
        }
      }
      visit(n);
      n++;
    }
  };
  // Indexed steps: the set bits of one bitset, a 32-bit word at a time (what next()
  // does, without a call per node), jumping over runs the request cannot use.
  const { idleIndex } = state;
  const bits = step === Step.Idle ? idleIndex.bits : idleIndex.free;
  const base = step === Step.Idle ? (g - 1) * idleIndex.words : 0;
  const scanBits = (from: number, to: number): void => {
    if (from >= to) return;
    let runEnd = from;
    let word = from >>> 5;
    let w = bits[base + word] & (~0 << (from & 31));
    while (feasible < want) {
      if (w === 0) {
        if (++word >= idleIndex.words || word << 5 >= to) return;
        w = bits[base + word];
        continue;
      }
      const low = w & -w;
      const n = (word << 5) + 31 - Math.clz32(low);
      if (n >= to) return;
      w ^= low;
      if (ends !== null && n >= runEnd) {
        runEnd = ends[n];
        if (!runAllowed(state, req, n)) {
          if (runEnd >= to) return;
          word = runEnd >>> 5;
          w = bits[base + word] & (~0 << (runEnd & 31));
          continue;
        }
      }
      visit(n);
    }
  };
  const scan = step === Step.All ? scanAll : scanBits;
  scan(start, hi);
  scan(lo, start);
  if (feasible > 0 || ends === null || ctx.briefReasons === true)
    return { count: feasible, rejections };
  // Nothing fits: count what the plain scan would have counted, so the reason is the same.
  if (step === Step.Free) {
    // The plain scan tests every node: do that.
    for (const r of rejections) r.fill(0);
    for (let n = lo; n < hi; n++) rejects(ctx, req, filters, fitIndex, rejections, n);
    return { count: 0, rejections };
  }
  // The skipped runs' nodes (those the step visits), then, for the idle index, every
  // node it skipped counts as too few idle devices.
  for (let n = lo; n < hi; ) {
    const runEnd = Math.min(ends[n], hi);
    if (!runAllowed(state, req, n)) {
      for (
        let m = next(state, step, g, n, runEnd);
        m >= 0;
        m = next(state, step, g, m + 1, runEnd)
      ) {
        visited++;
        rejects(ctx, req, filters, fitIndex, rejections, m);
      }
    }
    n = runEnd;
  }
  if (step === Step.Idle) rejections[fitIndex][fit.Reason.DeviceShare] += hi - lo - visited;
  return { count: 0, rejections };
}
