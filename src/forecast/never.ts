/**
 * Work that can never start, told without simulating: the core places it on the
 * empty fleet with empty quotas (the best case there will ever be). If even that
 * fails (residency that names no site, more devices than the fleet or any allowed
 * node has, a gang that cannot be placed whole, a demand over the queue's guarantee
 * plus borrowing limit), it never starts, and the core's Status says why.
 */
import { buildClusterState, type ClusterState } from "../core/model/cluster.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { siteMask } from "../core/model/request.ts";
import { createRng } from "../core/rng.ts";
import { candidateTypes, placeWorkload, release } from "../core/schedule/place.ts";
import { createSchedulerPolicy } from "../core/schedule/policies.ts";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import { compileTenancy, queueIndex } from "../core/tenancy/tree.ts";
import { memberJob, type Workload } from "../core/workload/index.ts";

/**
 * Reasons, by workload, for the ones in `workloads` that can never start on `fleet`
 * under `tenancy` and `policy`; the others are absent. Workloads of one shape are
 * judged once. Throws GJ_ERR_POLICY_UNKNOWN for an unknown policy.
 */
export function neverReasons(
  fleet: Fleet,
  tenancy: TenancySpec,
  policyName: string,
  workloads: readonly Workload[],
): Map<Workload, string> {
  const state = buildClusterState(fleet);
  const tree = compileTenancy(
    tenancy,
    state.deviceTypes,
    workloads.map((w) => w.queue),
  );
  const policy = createSchedulerPolicy(policyName, {
    deviceTypes: state.deviceTypes,
    memberJobs: workloads.slice(0, 1000).map((w) => memberJob(w, 0)),
  });
  const capacity = capacityByType(state, tree.typeIds.length);
  const ctx = { state, now: 0, rng: createRng(0) };
  const out = new Map<Workload, string>();
  const byShape = new Map<string, string | null>();
  for (const w of workloads) {
    const residency = residencyProblem(state, w);
    if (residency) {
      out.set(w, residency);
      continue;
    }
    const queue = queueIndex(tree, w.queue);
    if (queue < 0 || tree.children[queue].length > 0) {
      out.set(w, `queue "${w.queue}" is not a leaf queue of the tenancy`);
      continue;
    }
    const key = shapeKey(w);
    let reason = byShape.get(key);
    if (reason === undefined) {
      const entry = { w, queue, attained: 0 };
      const got = placeWorkload(ctx, policy, tree, capacity, entry, candidateTypes(state, w));
      if ("code" in got) reason = `never fits, even on the empty fleet: ${got.reason}`;
      else {
        release(ctx, tree, entry, got);
        reason = null;
      }
      byShape.set(key, reason);
    }
    if (reason !== null) out.set(w, reason);
  }
  return out;
}

function residencyProblem(state: ClusterState, w: Workload): string | null {
  if (w.residency === undefined || siteMask(state, w.residency) !== 0) return null;
  const sites = state.siteIds.map((id, s) => {
    const labels = state.siteResidency[s];
    return labels.length > 0 ? `${id} (${labels.join(", ")})` : id;
  });
  return `residency "${w.residency}" matches no site; sites: ${sites.join(", ")}`;
}

function shapeKey(w: Workload): string {
  const m = w.member;
  const topo = w.topology ? `${w.topology.level}${w.topology.required ? "!" : ""}` : "";
  return `${w.queue}|${m.devices}/${m.deviceMilli}/${m.cpuMilli}/${m.memoryMiB}|${w.members}/${w.minMembers}|${w.deviceTypes.join(",")}|${topo}`;
}

/** Device capacity per type over every node, in milli-devices. */
function capacityByType(state: ClusterState, types: number): Float64Array {
  const cap = new Float64Array(types);
  for (let n = 0; n < state.nodeCount; n++) {
    const t = state.nodeType[n];
    if (t >= 0) cap[t] += (state.devOffset[n + 1] - state.devOffset[n]) * 1000;
  }
  return cap;
}
