/**
 * The forecast's view of the live store (src/forecast's ForecastSnapshot): the fleet
 * without nodes that are not up, the live tenancy, running jobs with their real
 * placements and start times, pending jobs, the run times of jobs that ran to an end
 * within the history window (the run-time and arrival model reads them), and each
 * queue's decayed fair-share usage.
 */
import type { Fleet } from "../../core/model/fleet.ts";
import { compileTenancy } from "../../core/tenancy/tree.ts";
import type { Workload } from "../../core/workload/index.ts";
import type { ForecastSnapshot, RunningSnapshot } from "../../forecast/index.ts";
import { ACTIVE_STATES, type Db, JobState, jobsIn, placementOf } from "../../store/jobs.ts";
import { workloadOf } from "../jobs/workload.ts";
import { decayedUsage } from "../scheduler/snapshot.ts";
import { liveTenancy } from "../tenancy/live.ts";

/** Jobs that ended longer ago than this (s) are not read as history. */
export const HISTORY_S = 7 * 86_400;
/** Finished jobs read at most (the newest). */
const HISTORY_LIMIT = 20_000;

/**
 * Reads a ForecastSnapshot at `nowMs` (epoch ms; the snapshot's clock is epoch
 * seconds). `arrivalWindow`: seconds of submissions that set each queue's arrival rate.
 */
export async function forecastSnapshot(
  db: Db,
  fleet: Fleet,
  policy: string,
  nowMs: number,
  arrivalWindow: number,
): Promise<ForecastSnapshot> {
  const now = nowMs / 1000;
  const down = new Set(
    (await db.selectFrom("nodes").select(["id", "state"]).execute())
      .filter((n) => n.state !== "up")
      .map((n) => n.id),
  );
  const tenancy = await liveTenancy(db, nowMs);
  const running: RunningSnapshot[] = [];
  const pending: Workload[] = [];
  for (const row of await jobsIn(db, [JobState.Pending, ...ACTIVE_STATES])) {
    const w = workloadOf(row);
    if (row.state === JobState.Pending) {
      pending.push(w);
      continue;
    }
    const members = placementOf(row).map((m) => ({ node: m.node, devices: m.devices }));
    running.push({
      workload: w,
      startTime: (row.started_at ?? nowMs) / 1000,
      at: { deviceType: row.device_type, members },
    });
  }
  const ended = await db
    .selectFrom("jobs")
    .select(["id", "spec", "submitted_at", "started_at", "ended_at"])
    .where("state", "in", [JobState.Succeeded, JobState.Failed])
    .where("started_at", "is not", null)
    .where("ended_at", ">", nowMs - HISTORY_S * 1000)
    .orderBy("ended_at", "desc")
    .limit(HISTORY_LIMIT)
    .execute();
  // Fair-share usage as the live loop reads it (the `fairshare` order ranks by it).
  const tree = compileTenancy(tenancy, fleet.deviceTypes, [
    ...pending.map((w) => w.queue),
    ...running.map((r) => r.workload.queue),
  ]);
  const decayed = await decayedUsage(db, tree, fleet, tenancy, now);
  const usage: Record<string, number> = {};
  tree.paths.forEach((path, q) => {
    if (tree.children[q].length === 0 && decayed.value[q] > 0) usage[path] = decayed.value[q];
  });
  const finished = ended.map((row) => ({
    ...workloadOf(row),
    duration: Math.max(0, ((row.ended_at ?? 0) - (row.started_at ?? 0)) / 1000),
  }));
  return {
    fleet: down.size === 0 ? fleet : withoutNodes(fleet, down),
    tenancy,
    policy,
    now,
    running,
    pending,
    finished,
    arrivalWindow,
    usage,
  };
}

/** The fleet less the nodes in `drop` (their running work is placed again). */
function withoutNodes(fleet: Fleet, drop: ReadonlySet<string>): Fleet {
  return {
    ...fleet,
    sites: fleet.sites.map((s) => ({
      ...s,
      racks: s.racks.map((r) => ({
        ...r,
        domains: r.domains.map((d) => ({ ...d, nodes: d.nodes.filter((n) => !drop.has(n.id)) })),
      })),
    })),
  };
}
