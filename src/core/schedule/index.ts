/**
 * The multi-tenant scheduling cycle: a pure function from (state, queue tree,
 * pending and running workloads, policy, time, rng) to decisions. Like cycle() it
 * never applies them: placements and quota charges it makes while deciding are
 * undone before it returns, so callers get their state and tree back as they were.
 *
 * Per workload, in the policy's global order (./order.ts), at most maxAttempts:
 *   1. quota and placement (./place.ts): start it;
 *   2. else, if preempted work is already exiting and would make room: wait for it;
 *   3. else reclaim (borrowers give back a guarantee) or lower-tier preemption
 *      (./preempt.ts): preempt the victims; the workload starts once they exit;
 *   4. else wait, with the reason. Under strict order the first such workload blocks
 *      the rest (unless only its quota stops it), unless backfill reserves its future
 *      room (./backfill.ts) and lets the rest start around that reservation.
 * Steps 2 and 3 look at the state as it will be once the exiting work has left and the
 * workloads already promised that room (input.promised, then those of steps 2-3 earlier
 * in this cycle) have taken theirs, and only at work the workload could preempt itself.
 */
import { allocate, type Placement, release as releaseOne } from "../model/ledger.ts";
import { holdsKey } from "../plugins/hold/index.ts";
import type { CycleContext } from "../plugins/types.ts";
import { type Status, StatusCode, unschedulable } from "../status.ts";
import { charge, withinGuarantee } from "../tenancy/tree.ts";
import { estimateOf, type Workload, workloadMilli } from "../workload/index.ts";
import { shadowOf, withShadowHold } from "./backfill.ts";
import { FutureCache, type Promised, unplace } from "./future.ts";
import { belowSize, type Growth, grow, undoGrowth } from "./grow.ts";
import { mayPreempt } from "./may-preempt.ts";
import { walk } from "./order.ts";
import {
  candidateTypes,
  keyedTypes,
  type Placed,
  type PlacementMisses,
  placeWorkload,
  release,
  topologyKey,
} from "./place.ts";
import { findVictims, preemptionRule, type Victim } from "./preempt.ts";
import type { PendingWorkload, RunningWorkload, ScheduleInput, WorkloadDecision } from "./types.ts";

export type * from "./types.ts";

/** Runs one cycle; returns decisions for the workloads it tried, in the order tried. */
export function schedule(input: ScheduleInput): WorkloadDecision[] {
  const { state, tree, policy, running } = input;
  const capacity = capacityByType(input);
  let ctx: CycleContext = {
    state,
    now: input.now,
    rng: input.rng,
    nodeRank: input.nodeRank,
    holds: input.holds,
    briefReasons: input.briefReasons,
  };
  const decisions: WorkloadDecision[] = [];
  const applied: { entry: PendingWorkload; placed: Placed }[] = [];
  // Outcomes by shape: nothing frees up within a cycle, so a miss repeats.
  const failed = new Map<string, Status>();
  const misses: PlacementMisses = new Map();
  // Running work told to exit (before or during this cycle): its room is coming.
  const exiting = new Map<RunningWorkload, number>();
  for (const r of running) if (r.terminating) exiting.set(r, r.placements.length);
  // Workloads promised exiting room (in earlier cycles, or earlier in this one: they
  // preempted or wait for exits): a later workload counts only what is left after them.
  const promised: Promised[] = [];
  const promise = (entry: PendingWorkload, types: readonly number[]) => {
    if (!promised.some((p) => p.entry === entry)) promised.push({ entry, types });
  };
  for (const entry of input.promised ?? []) promise(entry, candidateTypes(state, entry.w));
  // Started this cycle: already placed, so the future state must not place them again.
  const started = new Set<PendingWorkload>();
  // Placements of the promised workloads, kept between look-aheads (./future.ts).
  const future = new FutureCache();
  const order = walk(
    policy.order,
    policy.lasThresholds,
    input.pending,
    tree,
    capacity,
    input.usage,
  );
  let reserved = false;
  let blocked = false;
  let attempts = 0;
  // Each preemption search is a placement per candidate victim: bound them per cycle so
  // a backlog of blocked workloads cannot stretch one cycle to seconds. The rest wait
  // for the next cycle (or for room to free up).
  let searches = 0;
  // Per queue and accepted types: the smallest demand its quota refused this cycle.
  // Usage only grows within a cycle, so anything as large is refused too; such
  // workloads are answered from here and use none of the attempt budget.
  const quotaRefused = new Map<string, { milli: number; status: Status }>();
  let grown: Growth[] = [];
  try {
    for (let e = order.next(); e && attempts < policy.maxAttempts; e = order.next()) {
      const { types, typesKey } = keyedTypes(state, e.w);
      const quotaKey = `${e.queue}|${typesKey}`;
      const demand = workloadMilli(e.w, e.w.minMembers);
      const refused = quotaRefused.get(quotaKey);
      if (refused && demand >= refused.milli) {
        decisions.push({ kind: "wait", entry: e, status: refused.status });
        continue;
      }
      attempts++;
      const key = failureKey(e, ctx);
      const known = failed.get(key);
      const outcome = known ?? placeWorkload(ctx, policy, tree, capacity, e, types, misses);
      if (!("code" in outcome)) {
        started.add(e);
        order.started();
        future.invalidate();
        applied.push({ entry: e, placed: outcome });
        decisions.push({ kind: "start", entry: e, ...outcome });
        continue;
      }
      if (!known && outcome.code !== StatusCode.Unresolvable) {
        const others = promised.filter((p) => p.entry !== e && !started.has(p.entry));
        // Only room it could take by preemption itself counts: a borrower may not wait
        // for (and be held) the room a reclaim frees.
        const mayTake = preemptionRule(policy, tree, e, types);
        // Without a rule that applies to it nothing qualifies: skip the scans of the
        // running set (a queue past its guarantee may not reclaim, so under drf this is
        // most misses of a saturated fleet).
        const preempts = mayTake !== null && searches < policy.maxPreemptionSearches;
        let status: Status | null = null;
        if (
          preempts &&
          [...exiting.keys()].some(mayTake) &&
          fitsInFuture(ctx, input, capacity, e, types, exiting, others, future)
        )
          status = unschedulable(
            "Preemption",
            `waiting for ${exiting.size} preempted workload(s) to exit`,
          );
        if (
          !status &&
          preempts &&
          running.some((r) => !r.terminating && !exiting.has(r) && mayTake(r)) &&
          // Most of the rest cannot preempt in the future state either: tell that cheaply
          // before building it (./may-preempt.ts).
          mayPreempt(policy, tree, e, types, running, exiting, others)
        ) {
          searches++;
          const preempted = inFuture(ctx, input, capacity, exiting, others, future, () =>
            preemptFor(ctx, input, capacity, e, types, exiting),
          );
          if (preempted) {
            for (const v of preempted.victims) {
              exiting.set(v.victim, v.members);
              decisions.push({ kind: "preempt", ...v, beneficiary: e, reason: preempted.reason });
            }
            status = unschedulable(
              "Preemption",
              `preempting ${preempted.victims.length} workload(s) (${preempted.reason}); starts when they exit`,
            );
          }
        }
        if (status) {
          promise(e, types);
          decisions.push({ kind: "wait", entry: e, status });
          continue;
        }
      }
      failed.set(key, outcome);
      // Refused by quota and no preemption will make room: as large is refused too.
      if (outcome.plugin === "Quota")
        quotaRefused.set(quotaKey, { milli: demand, status: outcome });
      decisions.push({ kind: "wait", entry: e, status: outcome });
      const blocks =
        policy.strict && outcome.code !== StatusCode.Unresolvable && outcome.plugin !== "Quota";
      if (!blocks || reserved) continue;
      if (!policy.backfill) {
        blocked = true;
        break;
      }
      reserved = true;
      // A borrower's head gets no reservation: it would hold room a reclaim must be
      // able to take back (open tenancies are within guarantee everywhere).
      const milli = workloadMilli(e.w, e.w.minMembers);
      const within = types.some((t) => t < 0 || withinGuarantee(tree, e.queue, t, milli));
      const shadow = within ? shadowOf(ctx, policy, tree, capacity, e, types, running) : null;
      if (shadow) {
        ctx = { ...ctx, holds: withShadowHold(ctx.holds, state.nodeCount, e, shadow) };
        future.invalidate();
        failed.clear();
        misses.clear();
      }
    }
    // Running work below its size grows last, and never past a strictly blocked head.
    if (!blocked) {
      const short = input.short ?? running.filter(belowSize);
      grown = grow(ctx, policy, tree, capacity, short, new Set(exiting.keys()));
      for (const g of grown) decisions.push({ kind: "grow", ...g });
    }
  } finally {
    undoGrowth(ctx, tree, grown);
    for (let i = applied.length - 1; i >= 0; i--)
      release(ctx, tree, applied[i].entry, applied[i].placed);
  }
  return decisions;
}

/** Device capacity per type on schedulable nodes, in milli-devices. */
function capacityByType(input: ScheduleInput): Float64Array {
  const { state, tree } = input;
  const cap = new Float64Array(tree.typeIds.length);
  for (let n = 0; n < state.nodeCount; n++) {
    const t = state.nodeType[n];
    if (t >= 0 && state.schedulable[n])
      cap[t] += (state.devOffset[n + 1] - state.devOffset[n]) * 1000;
  }
  return cap;
}

/** Workloads with equal keys get equal outcomes within a cycle. */
function failureKey(e: PendingWorkload, ctx: CycleContext): string {
  const { w } = e;
  let base = shapeKeys.get(w);
  if (base === undefined || base.queue !== e.queue) {
    const m = w.member;
    base = {
      queue: e.queue,
      key: `${e.queue}|${m.devices}/${m.deviceMilli}/${m.cpuMilli}/${m.memoryMiB}|${w.members}/${w.minMembers}|${w.deviceTypes.join(",")}|${w.residency ?? ""}|${topologyKey(w)}|${w.priority}|${w.preemptible}`,
    };
    shapeKeys.set(w, base);
  }
  if (!ctx.holds) return base.key;
  return base.key + holdsKey(ctx.holds, ctx.now, w.id, w.queue, estimateOf(w));
}

/** failureKey's part that depends on the workload alone, built once per workload. */
const shapeKeys = new WeakMap<Workload, { queue: number; key: string }>();

/**
 * Runs `decide` against the state as it will be once the exiting work has left and the
 * `promised` workloads (tried earlier this cycle: they preempted or wait for exits) have
 * taken their room; everything is undone after. With nothing exiting or promised it is
 * the state as it is.
 */
function inFuture<T>(
  ctx: CycleContext,
  input: ScheduleInput,
  capacity: Float64Array,
  exiting: ReadonlyMap<RunningWorkload, number>,
  promised: readonly Promised[],
  future: FutureCache,
  decide: () => T,
): T {
  if (exiting.size === 0 && promised.length === 0) return decide();
  const { tree, policy } = input;
  const leaving = [...exiting];
  const freed: { r: RunningWorkload; p: Placement }[] = [];
  let placed: ReturnType<FutureCache["place"]> = [];
  try {
    for (const [r, members] of leaving) {
      for (let k = r.placements.length - members; k < r.placements.length; k++) {
        releaseOne(ctx.state, r.request, r.placements[k]);
        freed.push({ r, p: r.placements[k] });
      }
      if (r.type >= 0) charge(tree, r.queue, r.type, -milli(r) * members);
    }
    placed = future.place(ctx, policy, tree, capacity, leaving, promised);
    return decide();
  } finally {
    unplace(ctx, tree, placed);
    for (let i = freed.length - 1; i >= 0; i--) allocate(ctx.state, freed[i].r.request, freed[i].p);
    for (const [r, members] of leaving)
      if (r.type >= 0) charge(tree, r.queue, r.type, milli(r) * members);
  }
}

/**
 * True when `e` would fit once the exiting work has left and the `promised` workloads
 * have taken their room: what they take is not counted twice, so two workloads never
 * wait for the same room while neither preempts.
 */
function fitsInFuture(
  ctx: CycleContext,
  input: ScheduleInput,
  capacity: Float64Array,
  e: PendingWorkload,
  types: readonly number[],
  exiting: ReadonlyMap<RunningWorkload, number>,
  promised: readonly Promised[],
  future: FutureCache,
): boolean {
  return inFuture(ctx, input, capacity, exiting, promised, future, () => {
    const placed = placeWorkload(ctx, input.policy, input.tree, capacity, e, types);
    if ("code" in placed) return false;
    release(ctx, input.tree, e, placed);
    return true;
  });
}

function preemptFor(
  ctx: CycleContext,
  input: ScheduleInput,
  capacity: Float64Array,
  e: PendingWorkload,
  types: readonly number[],
  exiting: ReadonlyMap<RunningWorkload, number>,
): { victims: Victim[]; reason: "reclaim" | "priority" } | null {
  const { policy, tree, running } = input;
  if (policy.reclaim) {
    const victims = findVictims(ctx, policy, tree, capacity, e, types, running, exiting, "reclaim");
    if (victims) return { victims, reason: "reclaim" };
  }
  if (policy.preemptLowerTier) {
    const victims = findVictims(
      ctx,
      policy,
      tree,
      capacity,
      e,
      types,
      running,
      exiting,
      "priority",
    );
    if (victims) return { victims, reason: "priority" };
  }
  return null;
}

function milli(r: RunningWorkload): number {
  return r.w.member.devices * r.w.member.deviceMilli;
}
