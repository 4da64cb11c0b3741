/**
 * Gang placement: all members of a workload or none. Members are placed one by one
 * with the policy's node plugins (each sees the ones before it), inside one topology
 * scope at a time, finest first: a domain, else a rack, else a site, else anywhere
 * (unless the workload requires a level). Within a level the scope with the fewest
 * idle devices that could still hold the gang is tried first (best fit keeps large
 * islands whole for large gangs). A failed attempt releases what it took, so a gang
 * that cannot be placed whole holds nothing.
 *
 * Successful placements stay applied to the state; the caller owns undoing them.
 */
import { placeOne } from "../cycle.ts";
import { MILLI } from "../model/cluster.ts";
import { allocate, type Placement, release } from "../model/ledger.ts";
import type { Request } from "../model/request.ts";
import type { CycleContext, Policy } from "../plugins/types.ts";
import { type Status, StatusCode, unresolvable, unschedulable } from "../status.ts";
import {
  levelsCrossed,
  type Scopes,
  scopeIdle,
  type Topology,
  topologyOf,
  usableDomains,
} from "../topology.ts";
import { TOPOLOGY_LEVELS, type Workload } from "../workload/index.ts";

export interface GangPlacement {
  readonly placements: Placement[];
  /** Topology levels the members span (0 = one domain … 3 = several sites). */
  readonly crossed: number;
}

/** Scopes tried per topology level before moving up: bounds the cost of a miss. */
const SCOPE_TRIES = 4;

/**
 * Places `count` members of shape `req` (all or nothing), honouring the workload's
 * topology preference. Gangs default to preferring one domain.
 */
export function placeGang(
  ctx: CycleContext,
  policy: Policy,
  req: Request,
  count: number,
  topology: Workload["topology"],
): GangPlacement | Status {
  const state = ctx.state;
  if (count === 1 && !topology)
    return wrap(ctx, placeMembers(ctx, policy, req, 1, 0, state.nodeCount));
  const first = TOPOLOGY_LEVELS.indexOf(topology?.level ?? "domain");
  const last = topology?.required ? first : TOPOLOGY_LEVELS.length - 1;
  const topo = topologyOf(state);
  const need = req.job.deviceMilli === MILLI ? req.job.devices * count : 0;
  let lastMiss: Status | null = null;
  for (let level = first; level <= last; level++) {
    const name = TOPOLOGY_LEVELS[level];
    if (name === "fleet") {
      const got = placeMembers(ctx, policy, req, count, 0, state.nodeCount);
      if (!("code" in got)) return wrap(ctx, got);
      lastMiss = got;
      break;
    }
    const scopes = topo[name];
    for (const s of bestScopes(ctx, topo, scopes, need, req)) {
      const got = placeMembers(
        ctx,
        policy,
        req,
        count,
        scopes.nodeStart[s],
        scopes.nodeStart[s + 1],
      );
      if (!("code" in got)) return { placements: got, crossed: level };
      lastMiss = got;
    }
  }
  const where = topology?.required ? `one ${topology.level}` : "the fleet";
  const detail = lastMiss ? `: ${lastMiss.reason}` : "";
  const status = lastMiss?.code === StatusCode.Unresolvable ? unresolvable : unschedulable;
  return status("Gang", `no room for all ${count} members in ${where}${detail}`);
}

/**
 * Places up to `want` members anywhere, one by one, keeping what fits; null when fewer
 * than `min` fit (and then nothing stays applied). Elastic workloads start this way.
 */
export function placeElastic(
  ctx: CycleContext,
  policy: Policy,
  req: Request,
  want: number,
  min: number,
): GangPlacement | null {
  const taken: Placement[] = [];
  for (let k = 0; k < want; k++) {
    const p = placeOne(ctx, req, policy, 0, ctx.state.nodeCount);
    if ("code" in p) break;
    allocate(ctx.state, req, p);
    taken.push(p);
  }
  if (taken.length >= min && taken.length > 0) return wrap(ctx, taken) as GangPlacement;
  undo(ctx, req, taken);
  return null;
}

/** Releases placements applied by placeGang/placeElastic, newest first. */
export function undo(ctx: CycleContext, req: Request, placements: readonly Placement[]): void {
  for (let i = placements.length - 1; i >= 0; i--) release(ctx.state, req, placements[i]);
}

function placeMembers(
  ctx: CycleContext,
  policy: Policy,
  req: Request,
  count: number,
  lo: number,
  hi: number,
): Placement[] | Status {
  const taken: Placement[] = [];
  for (let k = 0; k < count; k++) {
    const p = placeOne(ctx, req, policy, lo, hi);
    if ("code" in p) {
      undo(ctx, req, taken);
      return p;
    }
    allocate(ctx.state, req, p);
    taken.push(p);
  }
  return taken;
}

function wrap(ctx: CycleContext, got: Placement[] | Status): GangPlacement | Status {
  if ("code" in got) return got;
  return {
    placements: got,
    crossed: levelsCrossed(
      ctx.state,
      got.map((p) => p.node),
    ),
  };
}

/**
 * Up to SCOPE_TRIES scopes with at least `need` idle devices, fewest idle first. Only
 * devices the request may use count (its types and sites), and scopes it may not use
 * at all are passed over: the tightest scopes of a mixed fleet are often of another
 * type, and trying those would push a gang up a level for nothing. Only when no scope
 * of the level is usable are they all ranked by raw idle devices as before, so the
 * miss still says why (and that the request can never fit, when that is so).
 */
function bestScopes(
  ctx: CycleContext,
  topo: Topology,
  scopes: Scopes,
  need: number,
  req: Request,
): number[] {
  const { state } = ctx;
  const best: number[] = [];
  const idle: number[] = [];
  const usable = usableDomains(topo, req);
  if (usable.length === 0) {
    for (let s = 0; s < scopes.count; s++) rank(best, idle, s, scopeIdle(state, scopes, s), need);
    return best;
  }
  // Usable domains come in scope order: sum each scope's run of them.
  let s = -1;
  let free = 0;
  for (let i = 0; i < usable.length; i++) {
    const d = usable[i];
    if (scopes.ofDomain[d] !== s) {
      if (s >= 0) rank(best, idle, s, free, need);
      s = scopes.ofDomain[d];
      free = 0;
    }
    free += state.domainIdle[d];
  }
  if (s >= 0) rank(best, idle, s, free, need);
  return best;
}

/** Inserts scope `s` with `free` idle devices into the fewest-idle-first shortlist. */
function rank(best: number[], idle: number[], s: number, free: number, need: number): void {
  if (free < need || (need > 0 && free === 0)) return;
  let at = best.length;
  while (at > 0 && idle[at - 1] > free) at--;
  if (at >= SCOPE_TRIES) return;
  best.splice(at, 0, s);
  idle.splice(at, 0, free);
  if (best.length > SCOPE_TRIES) {
    best.pop();
    idle.pop();
  }
}
