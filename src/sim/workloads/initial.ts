/**
 * Placing work that is already running when a run starts (forecasts from live state).
 * It goes where the policy's node plugins would put it on the fleet as filled so far,
 * ignoring quotas: it holds its devices already, borrowed or not.
 */
import { placeElastic, placeGang, undo } from "../../core/gang/place.ts";
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Placement } from "../../core/model/ledger.ts";
import type { Request } from "../../core/model/request.ts";
import type { Rng } from "../../core/rng.ts";
import { candidateTypes, memberRequest } from "../../core/schedule/place.ts";
import type { SchedulerPolicy } from "../../core/schedule/types.ts";
import type { Workload } from "../../core/workload/index.ts";

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
