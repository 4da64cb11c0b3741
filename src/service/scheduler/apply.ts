/**
 * Applies one cycle's decisions to the store, inside the caller's transaction. Every
 * write is guarded by the state the snapshot saw, so a job cancelled while the cycle
 * ran is skipped, not started. Returns the executor hand-offs to make after commit.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Placement } from "../../core/model/ledger.ts";
import type { WorkloadDecision } from "../../core/schedule/types.ts";
import {
  addEvent,
  type Db,
  JobState,
  StopKind,
  type StoredMember,
  transition,
} from "../../store/jobs.ts";
import { openUsage } from "../../store/usage.ts";
import type { ExecJob } from "../executors/types.ts";
import { storedSpec } from "../jobs/workload.ts";
import type { Snapshot } from "./snapshot.ts";
import { type Cancel, stopJob } from "./transitions.ts";

export interface Applied {
  readonly starts: ExecJob[];
  readonly cancels: Cancel[];
  /** Workload ids preempted work was stopped for (they get its room first). */
  readonly promised: string[];
}

export async function applyDecisions(
  db: Db,
  snap: Snapshot,
  decisions: readonly WorkloadDecision[],
  at: number,
): Promise<Applied> {
  const out: Applied = { starts: [], cancels: [], promised: [] };
  for (const d of decisions) {
    switch (d.kind) {
      case "start": {
        const row = snap.rows.get(d.entry.w.id)!;
        const members = membersOf(snap.state, d.type, d.request.job.deviceMilli, d.placements);
        const attempt = row.attempt + 1;
        const deviceType = d.type >= 0 ? snap.state.deviceTypes[d.type].id : null;
        const ok = await transition(db, row.id, [JobState.Pending], {
          state: JobState.Running,
          started_at: at,
          attempt,
          device_type: deviceType,
          placement: JSON.stringify(members),
          reason: null,
        });
        if (!ok) break;
        const held = members.reduce((s, m) => s + m.devices.length * m.deviceMilli, 0);
        if (deviceType !== null) await openUsage(db, row, attempt, deviceType, held, at);
        await addEvent(db, row.id, at, "started", {
          attempt,
          nodes: [...new Set(members.map((m) => m.node))],
          deviceType,
          crossed: d.crossed,
        });
        const spec = storedSpec(row);
        out.starts.push({
          jobId: String(row.id),
          attempt,
          tenant: row.tenant,
          queue: row.queue,
          ...(spec.command !== undefined && { command: spec.command }),
          ...(spec.env !== undefined && { env: spec.env }),
          duration: spec.duration,
          members,
          startedAt: at,
        });
        break;
      }
      case "preempt": {
        const row = snap.rows.get(d.victim.w.id)!;
        const cancel = await stopJob(db, row, StopKind.Requeue, at, {
          for: Number(d.beneficiary.w.id),
          reason: d.reason,
        });
        if (cancel !== null) out.cancels.push(cancel);
        out.promised.push(d.beneficiary.w.id);
        break;
      }
      case "wait": {
        const row = snap.rows.get(d.entry.w.id)!;
        const reason = `${d.status.plugin}: ${d.status.reason}`;
        if (row.reason !== reason) await transition(db, row.id, [JobState.Pending], { reason });
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
  return out;
}

/** Placements as stored: node ids and node-local device indices. */
export function membersOf(
  state: ClusterState,
  type: number,
  deviceMilli: number,
  placements: readonly Placement[],
): StoredMember[] {
  return placements.map((p) => ({
    node: state.nodeIds[p.node],
    devices: p.devices.map((d) => d - state.devOffset[p.node]),
    deviceMilli,
    deviceType: type >= 0 ? state.deviceTypes[type].id : null,
  }));
}
