/**
 * FGD (fragmentation gradient descent, Weng et al., USENIX ATC'23): place the job
 * where it grows the expected fragmentation of the target workload the least.
 * Score = ⌊100 · sigmoid((frag_before − frag_after) / 1000)⌋; for a fractional job
 * the best device on the node decides the node's score and is the device reserved.
 *
 * Scores are memoised per (node version, job shape): one placement changes one node,
 * so the next job re-scores only that node.
 */
import { MILLI } from "../../model/cluster.ts";
import { isFractional } from "../../model/job.ts";
import type { Request } from "../../model/request.ts";
import { firstFitDevices } from "../device-select.ts";
import { MAX_NODE_SCORE } from "../spec.ts";
import type { CycleContext, ReservePlugin, ScorePlugin } from "../types.ts";
import { fragOf } from "./frag.ts";
import type { TypicalShape } from "./typical.ts";

export const name = "FGD";

export interface FgdOptions {
  /** The target workload; see typicalShapes(). */
  readonly typical: readonly TypicalShape[];
}

interface ShapeCache {
  version: Uint32Array;
  score: Int32Array;
  device: Int32Array;
}

/** Caches beyond this many distinct shapes are not kept (bounds memory on huge fleets). */
const MAX_CACHED_SHAPES = 512;

export interface FgdPlugin extends ScorePlugin, ReservePlugin {}

/** Creates the FGD scorer; the same object is the policy's reserve plugin. */
export function create(options: FgdOptions): FgdPlugin {
  const { typical } = options;
  let cachedState: unknown = null;
  let shapes = new Map<string, ShapeCache>();
  let buf = new Int32Array(16);

  // The last request's cache: placeOne scores every feasible node for one request, so
  // this skips building and hashing the shape key for all but the first.
  let lastReq: Request | null = null;
  let lastCache: ShapeCache | undefined;

  const cacheFor = (ctx: CycleContext, req: Request): ShapeCache | undefined => {
    if (ctx.state !== cachedState) {
      cachedState = ctx.state;
      shapes = new Map();
      lastReq = null;
    }
    if (req === lastReq) return lastCache;
    const job = req.job;
    const key = `${job.cpuMilli}/${job.devices}/${job.deviceMilli}`;
    let cache = shapes.get(key);
    if (!cache && shapes.size < MAX_CACHED_SHAPES) {
      const n = ctx.state.nodeCount;
      cache = {
        version: new Uint32Array(n).fill(0xffffffff),
        score: new Int32Array(n),
        device: new Int32Array(n),
      };
      shapes.set(key, cache);
    }
    lastReq = req;
    lastCache = cache;
    return cache;
  };

  /** Best score on `node` and the device (global index, or -1 for whole-device jobs) it implies. */
  const evaluate = (ctx: CycleContext, req: Request, node: number): [number, number] => {
    const { state } = ctx;
    const job = req.job;
    const first = state.devOffset[node];
    const len = state.devOffset[node + 1] - first;
    if (buf.length < len) buf = new Int32Array(len);
    for (let i = 0; i < len; i++) buf[i] = state.devFree[first + i];
    const type = state.nodeType[node];
    const cpu = state.cpuFree[node];
    const before = fragOf(cpu, buf, len, type, typical);
    if (isFractional(job)) {
      let best = 0;
      let bestDev = -1;
      for (let i = 0; i < len; i++) {
        if (buf[i] < job.deviceMilli) continue;
        buf[i] -= job.deviceMilli;
        const after = fragOf(cpu - job.cpuMilli, buf, len, type, typical);
        buf[i] += job.deviceMilli;
        const s = toScore(before - after);
        if (bestDev < 0 || s > best) {
          best = s;
          bestDev = first + i;
        }
      }
      return [best, bestDev];
    }
    // Whole devices: the job takes the lowest-indexed idle ones.
    let need = job.devices;
    for (let i = 0; i < len && need > 0; i++) {
      if (buf[i] >= job.deviceMilli) {
        buf[i] -= job.deviceMilli;
        need--;
      }
    }
    return [toScore(before - fragOf(cpu - job.cpuMilli, buf, len, type, typical)), -1];
  };

  const lookup = (ctx: CycleContext, req: Request, node: number): [number, number] => {
    const cache = cacheFor(ctx, req);
    const v = ctx.state.nodeVersion[node];
    if (cache && cache.version[node] === v) return [cache.score[node], cache.device[node]];
    const result = evaluate(ctx, req, node);
    if (cache) {
      cache.version[node] = v;
      cache.score[node] = result[0];
      cache.device[node] = result[1];
    }
    return result;
  };

  return {
    name,
    score: (ctx, req, node) => lookup(ctx, req, node)[0],
    selectDevices: (ctx, req, node) => {
      if (!isFractional(req.job)) return firstFitDevices(ctx, req, node);
      const dev = lookup(ctx, req, node)[1];
      return dev < 0 ? null : [dev];
    },
  };
}

function toScore(fragDrop: number): number {
  return Math.trunc((1 / (1 + Math.exp(-fragDrop / MILLI))) * MAX_NODE_SCORE);
}
