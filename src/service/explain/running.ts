/**
 * Explain for jobs that do not wait: where a running (or stopping) job runs and whether
 * it could be preempted, and why a finished one ended. Read from the job's row, which
 * is fresher than any snapshot, plus the snapshot's topology and quota usage.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import { levelsCrossed } from "../../core/topology.ts";
import { TOPOLOGY_LEVELS, type Workload } from "../../core/workload/index.ts";
import { type JobRow, placementOf } from "../../store/jobs.ts";
import { Constraint, devices, type ExplainLine, fmt, line, plural } from "./types.ts";

const iso = (ms: number | null) => (ms === null ? "?" : new Date(ms).toISOString());

const STOPS: Readonly<Record<string, string>> = {
  requeue: "preempted or drained: it requeues when it has exited",
  cancel: "cancelled: it ends when it has exited",
  timeout: "past its QoS maximum run time: it fails when it has exited",
};

/** Lines for a running or stopping job: placement, preemption exposure, run-time limit. */
export function runningLines(
  state: ClusterState,
  tree: QueueTree,
  nodeIndex: ReadonlyMap<string, number>,
  row: JobRow,
  w: Workload,
): ExplainLine[] {
  const members = placementOf(row);
  const type = row.device_type;
  const held = members.reduce((s, m) => s + (m.devices.length * m.deviceMilli) / 1000, 0);
  const nodes = [...new Set(members.map((m) => m.node))];
  const at = nodes.map((n) => nodeIndex.get(n)).filter((n) => n !== undefined);
  let where = "";
  if (at.length === nodes.length && at.length > 0) {
    const crossed = levelsCrossed(state, at);
    const scope =
      crossed === 0
        ? state.domainIds[state.nodeDomain[at[0]]]
        : crossed === 1
          ? state.rackIds[state.nodeRack[at[0]]]
          : crossed === 2
            ? state.siteIds[state.nodeSite[at[0]]]
            : "several sites";
    where = crossed < 3 ? ` in one ${TOPOLOGY_LEVELS[crossed]} (${scope})` : ` across ${scope}`;
  }
  const out: ExplainLine[] = [
    line(
      Constraint.Placement,
      false,
      type,
      `runs ${plural(members.length, "member")} on ${nodes.join(", ")} (${fmt(held)} ${type ?? "devices"})${where} since ${iso(row.started_at)}`,
      { members: members.length, nodes: nodes.length, devices: held, attempt: row.attempt },
    ),
  ];
  if (row.state === "stopping")
    out.push(
      line(
        Constraint.Preemption,
        false,
        type,
        `stopping: ${STOPS[row.stop ?? ""] ?? `${row.stop ?? "stop"} requested`}`,
        { stop: row.stop ?? "" },
      ),
    );
  else {
    const exposure = preemptionExposure(tree, row, w);
    if (exposure !== null) out.push(exposure);
  }
  if (w.maxRuntime !== undefined && row.started_at !== null)
    out.push(
      line(
        Constraint.Cycle,
        false,
        type,
        `its QoS stops runs after ${fmt(w.maxRuntime / 3600)} h: at ${iso(row.started_at + w.maxRuntime * 1000)}`,
        { maxRuntimeSeconds: w.maxRuntime },
      ),
    );
  return out;
}

/** A note when the job's queue (or an ancestor) borrows its type: reclaim may stop it. */
function preemptionExposure(tree: QueueTree, row: JobRow, w: Workload): ExplainLine | null {
  const t = row.device_type === null ? -1 : tree.typeIds.indexOf(row.device_type);
  const q = tree.paths.indexOf(row.queue);
  if (t < 0 || q < 0 || tree.open) return null;
  const T = tree.typeIds.length;
  for (let a = q; a > 0; a = tree.parent[a]) {
    const k = a * T + t;
    const over = tree.usage[k] - tree.guaranteed[k];
    if (over <= 1e-6) continue;
    const text = w.preemptible
      ? `queue ${tree.paths[a]} uses ${fmt(devices(tree.usage[k]))} ${row.device_type}, ${fmt(devices(over))} over its guarantee of ${fmt(devices(tree.guaranteed[k]))}: a queue below its guarantee may reclaim this preemptible job`
      : `queue ${tree.paths[a]} borrows ${fmt(devices(over))} ${row.device_type} over its guarantee, but this job is not preemptible`;
    return line(Constraint.Preemption, false, row.device_type, text, {
      queue: tree.paths[a],
      used: devices(tree.usage[k]),
      guaranteed: devices(tree.guaranteed[k]),
      borrowed: devices(over),
    });
  }
  return null;
}

/** The line for a finished job: when and why it ended. */
export function endedLine(row: JobRow): ExplainLine {
  const code = row.exit_code === null ? "" : ` (exit code ${row.exit_code})`;
  return line(
    Constraint.Ended,
    false,
    row.device_type,
    `${row.state} at ${iso(row.ended_at)}: ${row.reason ?? "no reason recorded"}${code}`,
    { exitCode: row.exit_code ?? "", attempts: row.attempt },
  );
}
