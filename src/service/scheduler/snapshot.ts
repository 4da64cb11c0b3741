/**
 * Builds the scheduler's view from the store: the fleet with node states applied, the
 * live tenancy, every job holding devices (placed again on a fresh ClusterState, which
 * also proves no device is held twice), the pending jobs per queue in the policy's
 * within-queue order, and fair-share usage decayed from the usage records.
 */

import { GongjangError } from "../../core/errors.ts";
import { buildClusterState, type ClusterState } from "../../core/model/cluster.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import { allocate, type Placement, setSchedulable } from "../../core/model/ledger.ts";
import { withinQueue } from "../../core/schedule/order.ts";
import { memberRequest } from "../../core/schedule/place.ts";
import type {
  PendingWorkload,
  RunningWorkload,
  SchedulerPolicy,
} from "../../core/schedule/types.ts";
import { DecayedUsage } from "../../core/tenancy/fairshare.ts";
import type { TenancySpec } from "../../core/tenancy/spec.ts";
import { charge, compileTenancy, type QueueTree, queueIndex } from "../../core/tenancy/tree.ts";
import { estimateOf, type Workload, workloadMilli } from "../../core/workload/index.ts";
import {
  ACTIVE_STATES,
  type Db,
  type JobRow,
  JobState,
  jobsIn,
  placementOf,
} from "../../store/jobs.ts";
import { workloadOf } from "../jobs/workload.ts";
import { liveTenancy } from "../tenancy/live.ts";

export interface Snapshot {
  /** Seconds (epoch), the core's clock. */
  readonly now: number;
  readonly state: ClusterState;
  readonly tenancy: TenancySpec;
  readonly tree: QueueTree;
  readonly pending: PendingWorkload[][];
  readonly running: RunningWorkload[];
  /** Every job in the snapshot by its workload id. */
  readonly rows: Map<string, JobRow>;
  readonly usage: DecayedUsage;
  readonly nodeIndex: ReadonlyMap<string, number>;
}

const DAY = 86400;

export async function buildSnapshot(
  db: Db,
  fleet: Fleet,
  policy: SchedulerPolicy,
  nowMs: number,
): Promise<Snapshot> {
  const now = nowMs / 1000;
  const state = buildClusterState(fleet);
  const nodeIndex = new Map(state.nodeIds.map((id, i) => [id, i]));
  const nodes = await db.selectFrom("nodes").select(["id", "state"]).execute();
  for (const n of nodes) {
    const i = nodeIndex.get(n.id);
    if (i !== undefined && n.state !== "up") setSchedulable(state, i, false);
  }
  const tenancy = await liveTenancy(db, nowMs);
  const jobs = await jobsIn(db, [JobState.Pending, ...ACTIVE_STATES]);
  const tree = compileTenancy(
    tenancy,
    state.deviceTypes,
    jobs.map((j) => j.queue),
  );
  const rows = new Map<string, JobRow>();
  const running: RunningWorkload[] = [];
  const pending: PendingWorkload[][] = tree.paths.map(() => []);
  for (const row of jobs) {
    const w = workloadOf(row);
    rows.set(w.id, row);
    const queue = queueIndex(tree, row.queue);
    if (queue < 0) continue; // its queue was removed: it waits until an admin restores it
    if (row.state === JobState.Pending) {
      pending[queue].push({ w, queue, attained: row.attained });
      continue;
    }
    running.push(placeRunning(state, tree, nodeIndex, row, w, queue, now));
  }
  const inQueue = withinQueue(policy.order, policy.lasThresholds);
  for (const list of pending) list.sort(inQueue);
  const usage = await decayedUsage(db, tree, state, tenancy, now);
  return { now, state, tenancy, tree, pending, running, rows, usage, nodeIndex };
}

function placeRunning(
  state: ClusterState,
  tree: QueueTree,
  nodeIndex: ReadonlyMap<string, number>,
  row: JobRow,
  w: Workload,
  queue: number,
  now: number,
): RunningWorkload {
  const type =
    row.device_type === null ? -1 : state.deviceTypes.findIndex((t) => t.id === row.device_type);
  const request = memberRequest(state, w, type);
  const placements: Placement[] = placementOf(row).map((m) => {
    const node = nodeIndex.get(m.node);
    if (node === undefined)
      throw new GongjangError(
        "GJ_ERR_STORE",
        `job ${row.id} runs on node ${m.node}, which the fleet lacks`,
      );
    const base = state.devOffset[node];
    for (const d of m.devices)
      if (state.devFree[base + d] < request.job.deviceMilli)
        throw new GongjangError(
          "GJ_ERR_STORE",
          `job ${row.id}: device ${m.node}/${d} is held twice`,
        );
    return { node, devices: m.devices.map((d) => base + d) };
  });
  for (const p of placements) allocate(state, request, p);
  if (type >= 0) charge(tree, queue, type, workloadMilli(w, placements.length));
  const startTime = (row.started_at ?? 0) / 1000;
  return {
    w,
    queue,
    type,
    request,
    placements,
    startTime,
    estimatedEnd: Math.max(now, startTime + estimateOf(w)),
    attained:
      row.attained + (Math.max(0, now - startTime) * workloadMilli(w, placements.length)) / 1000,
    terminating: row.state === JobState.Stopping,
  };
}

/** Fair-share usage at `now` (seconds) from the usage records of the last eight half-lives. */
export async function decayedUsage(
  db: Db,
  tree: QueueTree,
  fleet: Pick<ClusterState, "deviceTypes">,
  tenancy: TenancySpec,
  now: number,
): Promise<DecayedUsage> {
  const halfLife = tenancy.halfLife ?? 7 * DAY;
  const usage = new DecayedUsage(tree, halfLife);
  usage.advance(now);
  const since = (now - 8 * halfLife) * 1000;
  const rows = await db
    .selectFrom("usage")
    .select(["queue", "device_type", "device_milli", "started_at", "ended_at"])
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", since)]))
    .execute();
  const k = halfLife / Math.LN2;
  for (const r of rows) {
    const q = queueIndex(tree, r.queue);
    const type = fleet.deviceTypes.find((t) => t.id === r.device_type);
    if (q < 0 || type === undefined) continue;
    const weight = tenancy.chargeWeights?.[type.id] ?? type.speed;
    const end = r.ended_at === null ? now : r.ended_at / 1000;
    const start = r.started_at / 1000;
    // ∫ devices·weight·2^(-(now-t)/H) dt over [start, end]
    const decayed = k * (2 ** (-(now - end) / halfLife) - 2 ** (-(now - start) / halfLife));
    usage.charge(q, (r.device_milli / 1000) * weight * decayed);
  }
  return usage;
}
