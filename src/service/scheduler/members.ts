/** Core placements (global device indices) as stored: node ids and node-local indices. */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Placement } from "../../core/model/ledger.ts";
import type { StoredMember } from "../../store/jobs.ts";

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
