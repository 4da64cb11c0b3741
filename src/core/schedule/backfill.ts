/**
 * EASY backfill's one reservation: when the head workload cannot start, find the
 * earliest time it could, assuming running work ends at its estimate, and the nodes
 * it would use then. The cycle holds those nodes for the head from that time, so
 * later workloads may use them only if they end before it (the hold filter's rule).
 */
import { allocate, type Placement, release as releaseOne } from "../model/ledger.ts";
import type { Hold, Holds } from "../plugins/hold/index.ts";
import type { CycleContext } from "../plugins/types.ts";
import { charge, type QueueTree } from "../tenancy/tree.ts";
import { placeWorkload, release } from "./place.ts";
import type { PendingWorkload, RunningWorkload, SchedulerPolicy } from "./types.ts";

/** Placement attempts per head at most: each is a full gang placement. */
const MAX_TRIES = 24;

export interface Shadow {
  readonly time: number;
  readonly nodes: readonly number[];
}

/**
 * The head's shadow time and nodes, or null when it would not fit even after every
 * running workload ends (then nothing is reserved). State and tree are unchanged after.
 */
export function shadowOf(
  ctx: CycleContext,
  policy: SchedulerPolicy,
  tree: QueueTree,
  capacity: Float64Array,
  head: PendingWorkload,
  types: readonly number[],
  running: readonly RunningWorkload[],
): Shadow | null {
  const state = ctx.state;
  const ends = [...running].sort(
    (a, b) => a.estimatedEnd - b.estimatedEnd || (a.w.id < b.w.id ? -1 : 1),
  );
  const need = head.w.member.devices * head.w.minMembers;
  const freed: { r: RunningWorkload; p: Placement }[] = [];
  let idleOfTypes = 0;
  for (let n = 0; n < state.nodeCount; n++)
    if (state.schedulable[n] && types.includes(state.nodeType[n])) idleOfTypes += state.devIdle[n];
  let tries = 0;
  try {
    for (let i = 0; i < ends.length && tries < MAX_TRIES; i++) {
      const r = ends[i];
      for (const p of r.placements) {
        releaseOne(state, r.request, p);
        freed.push({ r, p });
        if (state.schedulable[p.node] && types.includes(state.nodeType[p.node]))
          idleOfTypes += r.w.member.devices;
      }
      if (r.type >= 0) charge(tree, r.queue, r.type, -milliOf(r));
      // Release everything that ends at the same time before trying.
      if (i + 1 < ends.length && ends[i + 1].estimatedEnd === r.estimatedEnd) continue;
      if (idleOfTypes < need) continue;
      tries++;
      const placed = placeWorkload(ctx, policy, tree, capacity, head, types);
      if (!("code" in placed)) {
        const nodes = placed.placements.map((p) => p.node);
        release(ctx, tree, head, placed);
        return { time: Math.max(ctx.now, r.estimatedEnd), nodes };
      }
    }
    return null;
  } finally {
    for (let i = freed.length - 1; i >= 0; i--) allocate(state, freed[i].r.request, freed[i].p);
    const recharged = new Set<RunningWorkload>();
    for (const { r } of freed) {
      if (r.type >= 0 && !recharged.has(r)) charge(tree, r.queue, r.type, milliOf(r));
      recharged.add(r);
    }
  }
}

function milliOf(r: RunningWorkload): number {
  return r.w.member.devices * r.w.member.deviceMilli * r.placements.length;
}

/** The cycle's holds plus one for the head on its shadow nodes. */
export function withShadowHold(
  holds: Holds | undefined,
  nodeCount: number,
  head: PendingWorkload,
  shadow: Shadow,
): Holds {
  const byNode = holds ? Int32Array.from(holds.byNode) : new Int32Array(nodeCount).fill(-1);
  const list: Hold[] = holds ? [...holds.list] : [];
  const h = list.length;
  list.push({
    id: `backfill:${head.w.id}`,
    workload: head.w.id,
    start: shadow.time,
    end: Number.POSITIVE_INFINITY,
  });
  for (const n of shadow.nodes) byNode[n] = h;
  return { byNode, list };
}
