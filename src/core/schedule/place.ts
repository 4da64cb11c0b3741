/**
 * Placing one workload: pick the device type, check the quota, place the gang.
 *
 * Heterogeneity: a workload that accepts several device types is tried on each; the
 * one that would finish soonest wins (its Gavel-style speed on that type times the
 * members it got), not the first that fits. Placements stay applied to the state and
 * the quota stays charged; the cycle undoes both before it returns.
 */

import { type GangPlacement, placeElastic, placeGang, undo } from "../gang/place.ts";
import type { ClusterState } from "../model/cluster.ts";
import type { Placement } from "../model/ledger.ts";
import { compileRequest, fitShapeKey, type Request } from "../model/request.ts";
import { holdsKey } from "../plugins/hold/index.ts";
import type { CycleContext } from "../plugins/types.ts";
import { type Status, unresolvable, unschedulable } from "../status.ts";
import { charge, type QueueTree, quotaBlock } from "../tenancy/tree.ts";
import { estimateOf, memberJob, type Workload, workloadMilli } from "../workload/index.ts";
import type { PendingWorkload, SchedulerPolicy } from "./types.ts";

export interface Placed {
  readonly type: number;
  readonly request: Request;
  readonly placements: readonly Placement[];
  readonly crossed: number;
}

/**
 * What a workload compiles to on one state: its candidate types and member requests.
 * Workloads and fleets do not change, and a workload is tried in many cycles (and in
 * preemption and backfill searches within one), so each is compiled once.
 */
interface Compiled {
  readonly state: ClusterState;
  readonly types: readonly number[];
  /** `types` joined: a workload's share of a memo key. */
  readonly typesKey: string;
  /** By type index + 1 (0 is CPU-only). */
  readonly requests: (Request | undefined)[];
}
const compiled = new WeakMap<Workload, Compiled>();

function compiledFor(state: ClusterState, w: Workload): Compiled {
  let c = compiled.get(w);
  if (!c || c.state !== state) {
    const types = compileTypes(state, w);
    c = { state, types, typesKey: types.join(","), requests: [] };
    compiled.set(w, c);
  }
  return c;
}

/** Device types a workload may run on, fastest first (ties in fleet order); [-1] for CPU-only. */
export function candidateTypes(state: ClusterState, w: Workload): readonly number[] {
  return compiledFor(state, w).types;
}

/** candidateTypes, and the same joined for memo keys (built once per workload). */
export function keyedTypes(
  state: ClusterState,
  w: Workload,
): { readonly types: readonly number[]; readonly typesKey: string } {
  return compiledFor(state, w);
}

function compileTypes(state: ClusterState, w: Workload): number[] {
  if (w.member.devices === 0) return [-1];
  const types: number[] = [];
  state.deviceTypes.forEach((t, i) => {
    if (w.deviceTypes.length === 0 || w.deviceTypes.includes(t.id)) types.push(i);
  });
  return types.sort((a, b) => speedOn(state, w, b) - speedOn(state, w, a) || a - b);
}

/** Throughput of a workload on device type `t` relative to speed 1.0. */
export function speedOn(state: ClusterState, w: Workload, t: number): number {
  if (t < 0) return 1;
  const type = state.deviceTypes[t];
  return w.speeds?.[type.id] ?? type.speed;
}

/** A member request restricted to device type `t` (all types for CPU-only work). */
export function memberRequest(state: ClusterState, w: Workload, t: number): Request {
  const c = compiledFor(state, w);
  let req = c.requests[t + 1];
  if (!req) {
    const job = { ...memberJob(w, 0), estimate: w.estimate ?? w.duration };
    const any = compileRequest(state, job);
    req = t < 0 ? any : { ...any, typeMask: 1 << t };
    c.requests[t + 1] = req;
  }
  return req;
}

/**
 * Placements that found no room this cycle, by what decides where a member fits (not
 * the queue): room only shrinks within a cycle, so they repeat for every queue.
 */
export type PlacementMisses = Map<string, Status>;

/**
 * Places `entry` now if quota and room allow: applies the placement and charges the
 * quota, returning it; else the reasons per type, touching nothing. `misses` may be
 * passed only where the state is the cycle's own (not a look-ahead).
 */
export function placeWorkload(
  ctx: CycleContext,
  policy: SchedulerPolicy,
  tree: QueueTree,
  capacity: Float64Array,
  entry: PendingWorkload,
  types: readonly number[],
  misses?: PlacementMisses,
): Placed | Status {
  const { state } = ctx;
  const { w } = entry;
  const reasons: string[] = [];
  let neverFits = true;
  // The quota alone said no (on every type): the cycle must know, strict order skips it.
  let quotaOnly = types.length > 0;
  let best: { placed: Placed; finish: number } | null = null;
  for (const t of types) {
    const got = tryType(ctx, policy, tree, capacity, entry, t, misses);
    if ("code" in got) {
      if (got.code !== "Unresolvable") neverFits = false;
      if (got.plugin !== "Quota") quotaOnly = false;
      reasons.push(types.length > 1 ? `${state.deviceTypes[t].id}: ${got.reason}` : got.reason);
      continue;
    }
    const members = got.placements.length;
    const finish = (w.duration * w.members) / (members * speedOn(state, w, t));
    if (types.length === 1) return got;
    if (!best || finish < best.finish) {
      if (best) release(ctx, tree, entry, best.placed);
      best = { placed: got, finish };
    } else {
      release(ctx, tree, entry, got);
    }
  }
  if (best) return best.placed;
  return (neverFits ? unresolvable : unschedulable)(
    quotaOnly ? "Quota" : "Gang",
    reasons.join("; "),
  );
}

/** Undoes a placement made by placeWorkload. */
export function release(
  ctx: CycleContext,
  tree: QueueTree,
  entry: PendingWorkload,
  p: Placed,
): void {
  undo(ctx, p.request, p.placements);
  if (p.type >= 0)
    charge(tree, entry.queue, p.type, -perMemberMilli(entry.w) * p.placements.length);
}

function tryType(
  ctx: CycleContext,
  policy: SchedulerPolicy,
  tree: QueueTree,
  capacity: Float64Array,
  entry: PendingWorkload,
  t: number,
  misses: PlacementMisses | undefined,
): Placed | Status {
  const { w } = entry;
  let want = w.members;
  if (t >= 0) {
    const full = quotaBlock(tree, entry.queue, t, workloadMilli(w), capacity[t]);
    if (full !== null) {
      if (w.minMembers === w.members) return unschedulable("Quota", full);
      const min = quotaBlock(tree, entry.queue, t, workloadMilli(w, w.minMembers), capacity[t]);
      if (min !== null) return unschedulable("Quota", min);
      want = w.minMembers;
    }
  }
  const req = memberRequest(ctx.state, w, t);
  const key = misses && missKey(ctx, w, req, want);
  const known = key && misses.get(key);
  if (known) return known;
  let got: GangPlacement | Status = placeGang(ctx, policy.node, req, want, w.topology);
  if ("code" in got && w.minMembers < want && !w.topology?.required) {
    got = placeElastic(ctx, policy.node, req, want, w.minMembers) ?? got;
  }
  if ("code" in got) {
    if (key) misses.set(key, got);
    return got;
  }
  if (t >= 0) charge(tree, entry.queue, t, perMemberMilli(w) * got.placements.length);
  return { type: t, request: req, placements: got.placements, crossed: got.crossed };
}

/** A workload's topology constraint as a memo key part: level, "!" when required. */
export function topologyKey(w: Workload): string {
  return `${w.topology?.level ?? ""}${w.topology?.required ? "!" : ""}`;
}

function missKey(ctx: CycleContext, w: Workload, req: Request, want: number): string {
  const key = `${fitShapeKey(req)}|${want}/${w.minMembers}|${topologyKey(w)}`;
  const { holds } = ctx;
  return holds ? key + holdsKey(holds, ctx.now, w.id, w.queue, estimateOf(w)) : key;
}

function perMemberMilli(w: Workload): number {
  return w.member.devices * w.member.deviceMilli;
}
