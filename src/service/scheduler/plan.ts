/**
 * Planning one cycle: snapshot the store, run the core's schedule(), and turn its
 * decisions into plain data (job ids, node ids) that can cross a thread boundary and
 * be applied by ./apply.ts. Reads only: the planner may run in a worker thread with its
 * own store connection while the API keeps writing.
 */

import { MILLI } from "../../core/model/cluster.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import { createRng } from "../../core/rng.ts";
import { schedule } from "../../core/schedule/index.ts";
import { createSchedulerPolicy } from "../../core/schedule/policies.ts";
import type { PendingWorkload, SchedulerPolicy } from "../../core/schedule/types.ts";
import type { Db, StoredMember } from "../../store/jobs.ts";
import type { Dialect } from "../../store/open.ts";
import { membersOf } from "./members.ts";
import { buildSnapshot, type Snapshot } from "./snapshot.ts";

export type PlanDecision =
  | {
      readonly kind: "start";
      readonly jobId: number;
      readonly deviceType: string | null;
      readonly members: readonly StoredMember[];
      readonly crossed: number;
    }
  | {
      readonly kind: "preempt";
      readonly victimId: number;
      readonly beneficiaryId: number;
      readonly reason: string;
    }
  | { readonly kind: "wait"; readonly jobId: number; readonly reason: string };

/** What metrics and readiness read from a cycle. */
export interface CycleStats {
  readonly pendingByQueue: readonly (readonly [string, number])[];
  /** [device type, devices held, devices in the fleet]. */
  readonly devicesByType: readonly (readonly [string, number, number])[];
  readonly snapshotMs: number;
  readonly scheduleMs: number;
}

export interface Plan {
  readonly decisions: readonly PlanDecision[];
  /** Promised workloads (ids) still pending, oldest promise first. */
  readonly promised: readonly number[];
  readonly stats: CycleStats;
}

export interface PlanRequest {
  readonly now: number;
  readonly promised: readonly number[];
  readonly seed: number;
}

/** Builds a named policy for a fleet (FGD scores against the fleet's device types). */
export function livePolicy(name: string, fleet: Fleet): SchedulerPolicy {
  return createSchedulerPolicy(name, { deviceTypes: fleet.deviceTypes, memberJobs: [] });
}

/** Plans one cycle; also returns the snapshot for in-process callers. */
export async function planCycle(
  db: Db,
  dialect: Dialect,
  fleet: Fleet,
  policy: SchedulerPolicy,
  r: PlanRequest,
): Promise<{ plan: Plan; snap: Snapshot }> {
  const t0 = performance.now();
  // One read transaction: every table as of one moment.
  let tx = db.transaction();
  if (dialect === "postgres") tx = tx.setIsolationLevel("repeatable read");
  const snap = await tx.execute((t) => buildSnapshot(t, fleet, policy, r.now));
  const t1 = performance.now();
  const byId = new Map<string, PendingWorkload>();
  for (const list of snap.pending) for (const e of list) byId.set(e.w.id, e);
  const promised = r.promised.flatMap((id) => byId.get(String(id)) ?? []);
  const decisions = schedule({
    state: snap.state,
    tree: snap.tree,
    pending: snap.pending,
    running: snap.running,
    policy,
    now: snap.now,
    rng: createRng(r.seed),
    promised,
    usage: snap.usage,
  });
  const t2 = performance.now();
  const out: PlanDecision[] = [];
  const newlyPromised: number[] = [];
  for (const d of decisions) {
    switch (d.kind) {
      case "start":
        out.push({
          kind: "start",
          jobId: Number(d.entry.w.id),
          deviceType: d.type >= 0 ? snap.state.deviceTypes[d.type].id : null,
          members: membersOf(snap.state, d.type, d.request.job.deviceMilli, d.placements),
          crossed: d.crossed,
        });
        break;
      case "preempt":
        out.push({
          kind: "preempt",
          victimId: Number(d.victim.w.id),
          beneficiaryId: Number(d.beneficiary.w.id),
          reason: d.reason,
        });
        newlyPromised.push(Number(d.beneficiary.w.id));
        break;
      case "wait": {
        const reason = `${d.status.plugin}: ${d.status.reason}`;
        if (snap.rows.get(d.entry.w.id)?.reason !== reason)
          out.push({ kind: "wait", jobId: Number(d.entry.w.id), reason });
        break;
      }
      case "grow":
        // Growing running work needs executors that add members to a live execution;
        // until they can, elastic work keeps the size it started with.
        break;
      default: {
        const never: never = d;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }
  }
  const started = new Set(out.flatMap((d) => (d.kind === "start" ? [d.jobId] : [])));
  const stillPromised = [...promised.map((p) => Number(p.w.id)), ...newlyPromised].filter(
    (id, i, all) => all.indexOf(id) === i && !started.has(id),
  );
  return {
    plan: { decisions: out, promised: stillPromised, stats: statsOf(snap, t1 - t0, t2 - t1) },
    snap,
  };
}

function statsOf(snap: Snapshot, snapshotMs: number, scheduleMs: number): CycleStats {
  const { state } = snap;
  const held = new Float64Array(state.deviceTypes.length);
  const total = new Float64Array(state.deviceTypes.length);
  for (let n = 0; n < state.nodeCount; n++) {
    const t = state.nodeType[n];
    if (t < 0) continue;
    const devs = state.devOffset[n + 1] - state.devOffset[n];
    total[t] += devs;
    held[t] += devs - state.devFreeSum[n] / MILLI;
  }
  return {
    pendingByQueue: snap.pending.flatMap((l, q) =>
      l.length > 0 ? [[snap.tree.paths[q], l.length] as const] : [],
    ),
    devicesByType: state.deviceTypes.map(
      (t, i) => [t.id, Math.round(held[i] * 1000) / 1000, total[i]] as const,
    ),
    snapshotMs,
    scheduleMs,
  };
}
