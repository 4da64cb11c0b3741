/**
 * Placing work that is already running when a run starts (forecasts from live state).
 * It keeps its real placement when it has one that is still there and free; else it
 * goes where the policy's node plugins would put it on the fleet as filled so far.
 * Quotas are ignored: it holds its devices already, borrowed or not.
 */
import { placeElastic, placeGang, undo } from "../../core/gang/place.ts";
import type { ClusterState } from "../../core/model/cluster.ts";
import { allocate, type Placement, release } from "../../core/model/ledger.ts";
import type { Request } from "../../core/model/request.ts";
import type { Rng } from "../../core/rng.ts";
import { candidateTypes, memberRequest } from "../../core/schedule/place.ts";
import type { SchedulerPolicy } from "../../core/schedule/types.ts";
import type { Workload } from "../../core/workload/index.ts";
import type { InitialAt } from "./input.ts";

/** Where a running workload sits: its device type, member request and placements. */
export interface InitialPlacement {
  readonly type: number;
  readonly request: Request;
  readonly placements: readonly Placement[];
}

/**
 * Finds room for `w` on the state as it is, trying its device types fastest first;
 * null when no type has room for its minimum members. Nothing stays applied: the caller
 * takes the placements through the ledger.
 */
export function placeInitial(
  state: ClusterState,
  policy: SchedulerPolicy,
  rng: Rng,
  w: Workload,
): InitialPlacement | null {
  const ctx = { state, now: 0, rng };
  for (const type of candidateTypes(state, w)) {
    const request = memberRequest(state, w, type);
    let got = placeGang(ctx, policy.node, request, w.members, w.topology);
    if ("code" in got && w.minMembers < w.members)
      got = placeElastic(ctx, policy.node, request, w.members, w.minMembers) ?? got;
    if ("code" in got) continue;
    const placements = [...got.placements];
    undo(ctx, request, placements);
    return { type, request, placements };
  }
  return null;
}

/** Node id → index, per state (built once, on the first real placement). */
const nodeIndexes = new WeakMap<ClusterState, Map<string, number>>();

/**
 * `w` on its real placement `at`, when every member's node is in the fleet and its
 * devices, CPU and memory are free on the state as filled so far (members in order);
 * else null. Nothing stays applied.
 */
export function placeAt(state: ClusterState, w: Workload, at: InitialAt): InitialPlacement | null {
  let nodeIndex = nodeIndexes.get(state);
  if (nodeIndex === undefined) {
    nodeIndex = new Map(state.nodeIds.map((id, n) => [id, n]));
    nodeIndexes.set(state, nodeIndex);
  }
  const type =
    at.deviceType === null ? -1 : state.deviceTypes.findIndex((t) => t.id === at.deviceType);
  if (type < 0 !== (w.member.devices === 0) || at.members.length < w.minMembers) return null;
  const request = memberRequest(state, w, type);
  const { job } = request;
  const placements: Placement[] = [];
  let ok = true;
  for (const m of at.members) {
    const node = nodeIndex.get(m.node);
    if (node === undefined || m.devices.length !== w.member.devices) ok = false;
    else if (type >= 0 && state.nodeType[node] !== type) ok = false;
    else if (state.cpuFree[node] < job.cpuMilli || state.memFree[node] < job.memoryMiB) ok = false;
    if (!ok || node === undefined) break;
    const base = state.devOffset[node];
    const size = state.devOffset[node + 1] - base;
    const devices = m.devices.map((d) => base + d);
    if (
      m.devices.some((d) => d < 0 || d >= size) ||
      devices.some((d) => state.devFree[d] < job.deviceMilli)
    ) {
      ok = false;
      break;
    }
    const p = { node, devices };
    allocate(state, request, p);
    placements.push(p);
  }
  for (let i = placements.length - 1; i >= 0; i--) release(state, request, placements[i]);
  return ok ? { type, request, placements } : null;
}
