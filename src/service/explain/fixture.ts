/**
 * Hand-built snapshots for explain's unit tests (no store): a small fleet from a
 * compact spec, a tenancy, and jobs as rows, the running ones placed and charged the
 * way src/service/scheduler/snapshot.ts does it. Test-only; nothing else imports it.
 */
import { buildClusterState } from "../../core/model/cluster.ts";
import type { Domain, Fleet, FleetNode } from "../../core/model/fleet.ts";
import { allocate, setSchedulable } from "../../core/model/ledger.ts";
import { withinQueue } from "../../core/schedule/order.ts";
import { memberRequest } from "../../core/schedule/place.ts";
import type { PendingWorkload, RunningWorkload } from "../../core/schedule/types.ts";
import { DecayedUsage } from "../../core/tenancy/fairshare.ts";
import type { TenancySpec } from "../../core/tenancy/spec.ts";
import { charge, compileTenancy, queueIndex } from "../../core/tenancy/tree.ts";
import { workloadMilli } from "../../core/workload/index.ts";
import { type JobRow, pendingJob, type StoredMember } from "../../store/jobs.ts";
import type { JobSpec } from "../jobs/spec.ts";
import { workloadOf } from "../jobs/workload.ts";
import type { Snapshot } from "../scheduler/snapshot.ts";

/** "site/rack/domain": nodes as [id, deviceType, devices]. */
export type FleetSpec = Readonly<
  Record<string, readonly (readonly [string, string | null, number])[]>
>;

/**
 * A fleet from `{"s1/r1/d1": [["n1", "h100", 8]], …}`; sites' residency labels from
 * `residency` (default: the site id alone). Keys must come in site › rack › domain order.
 */
export function fleetOf(spec: FleetSpec, residency: Record<string, string[]> = {}): Fleet {
  const sites: { id: string; racks: { id: string; domains: Domain[] }[] }[] = [];
  const types = new Set<string>();
  for (const [path, nodes] of Object.entries(spec)) {
    const [s, r, d] = path.split("/");
    let site = sites.find((x) => x.id === s);
    if (!site) {
      site = { id: s, racks: [] };
      sites.push(site);
    }
    let rack = site.racks.find((x) => x.id === r);
    if (!rack) {
      rack = { id: r, domains: [] };
      site.racks.push(rack);
    }
    rack.domains.push({
      id: d,
      nodes: nodes.map(([id, type, devices]): FleetNode => {
        if (type !== null) types.add(type);
        return { id, deviceType: type, devices, cpuMilli: 64_000, memoryMiB: 512 * 1024 };
      }),
    });
  }
  return {
    name: "explain-test",
    deviceTypes: [...types].map((id) => ({ id, vendor: "test", memoryGiB: 80, speed: 1 })),
    sites: sites.map((s) => ({ ...s, residency: residency[s.id] ?? [] })),
  };
}

let nextId = 1000;

/** A job row. Ids are unique per process (workloadOf caches by id). */
export function jobRow(
  spec: Partial<JobSpec> & { queue: string },
  o: Partial<JobRow> & { placement?: string | null } = {},
): JobRow {
  const id = o.id ?? nextId++;
  const full = { duration: 3600, priority: 0, preemptible: true, ...spec };
  return {
    id,
    ...pendingJob({
      tenant: spec.queue.split("/")[0],
      queue: spec.queue,
      user: "test",
      name: `job-${id}`,
      spec: JSON.stringify(full),
      priority: full.priority,
      submitted_at: id * 1000,
    }),
    ...o,
  };
}

/** A running row on `members`: [node, device indices] each, of `type`. */
export function runningRow(
  spec: Partial<JobSpec> & { queue: string },
  type: string,
  members: readonly (readonly [string, readonly number[]])[],
  o: Partial<JobRow> = {},
): JobRow {
  const placement: StoredMember[] = members.map(([node, devices]) => ({
    node,
    devices,
    deviceMilli: 1000,
    deviceType: type,
  }));
  return jobRow(
    { members: members.length, devices: members[0][1].length, ...spec },
    {
      state: "running",
      started_at: 500_000,
      attempt: 1,
      device_type: type,
      placement: JSON.stringify(placement),
      ...o,
    },
  );
}

/**
 * A snapshot of `fleet` with `rows` (pending and active ones are placed/queued like
 * the service does), `down` nodes not schedulable, at `now` seconds.
 */
export function snapshotOf(
  fleet: Fleet,
  tenancy: TenancySpec,
  rows: readonly JobRow[],
  o: { down?: readonly string[]; now?: number } = {},
): Snapshot {
  const state = buildClusterState(fleet);
  const nodeIndex = new Map(state.nodeIds.map((id, i) => [id, i]));
  for (const id of o.down ?? []) setSchedulable(state, nodeIndex.get(id)!, false);
  const tree = compileTenancy(
    tenancy,
    state.deviceTypes,
    rows.map((r) => r.queue),
  );
  const pending: PendingWorkload[][] = tree.paths.map(() => []);
  const running: RunningWorkload[] = [];
  const byId = new Map<string, JobRow>();
  const now = o.now ?? 1_000_000;
  for (const row of rows) {
    const w = workloadOf(row);
    const queue = queueIndex(tree, row.queue);
    if (row.state === "pending" || row.state === "running" || row.state === "stopping")
      byId.set(w.id, row);
    if (queue < 0) continue;
    if (row.state === "pending") pending[queue].push({ w, queue, attained: row.attained });
    if (row.state !== "running" && row.state !== "stopping") continue;
    const type = state.deviceTypes.findIndex((t) => t.id === row.device_type);
    const request = memberRequest(state, w, type);
    const placements = (JSON.parse(row.placement!) as StoredMember[]).map((m) => {
      const n = nodeIndex.get(m.node)!;
      return { node: n, devices: m.devices.map((d) => state.devOffset[n] + d) };
    });
    for (const p of placements) allocate(state, request, p);
    charge(tree, queue, type, workloadMilli(w, placements.length));
    running.push({
      w,
      queue,
      type,
      request,
      placements,
      startTime: (row.started_at ?? 0) / 1000,
      estimatedEnd: now + 3600,
      attained: 0,
      terminating: row.state === "stopping",
    });
  }
  for (const list of pending) list.sort(withinQueue("fifo", []));
  return {
    now,
    state,
    tenancy,
    tree,
    pending,
    running,
    rows: byId,
    usage: new DecayedUsage(tree, 7 * 86400),
    nodeIndex,
  };
}
