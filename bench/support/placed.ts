/**
 * Running work with real placements, as the live store would hand a forecast: each
 * workload placed in turn by the policy's node plugins on the fleet as filled so far.
 * Work that finds no room keeps no placement (a forecast run queues it at 0).
 */

import { buildClusterState } from "../../src/core/model/cluster.ts";
import type { Fleet } from "../../src/core/model/fleet.ts";
import { allocate } from "../../src/core/model/ledger.ts";
import type { Rng } from "../../src/core/rng.ts";
import { createSchedulerPolicy } from "../../src/core/schedule/policies.ts";
import { memberJob, type Workload } from "../../src/core/workload/index.ts";
import { placeInitial } from "../../src/sim/workloads/initial.ts";
import type { InitialAt } from "../../src/sim/workloads/input.ts";

export function placeRunning<R extends { readonly workload: Workload }>(
  fleet: Fleet,
  policy: string,
  running: readonly R[],
  rng: Rng,
): (R & { at?: InitialAt })[] {
  const state = buildClusterState(fleet);
  const compiled = createSchedulerPolicy(policy, {
    deviceTypes: state.deviceTypes,
    memberJobs: running.map((r) => memberJob(r.workload, 0)),
  });
  return running.map((r) => {
    const got = placeInitial(state, compiled, rng, r.workload);
    if (got === null) return r;
    for (const p of got.placements) allocate(state, got.request, p);
    const at: InitialAt = {
      deviceType: got.type < 0 ? null : state.deviceTypes[got.type].id,
      members: got.placements.map((p) => ({
        node: state.nodeIds[p.node],
        devices: p.devices.map((d) => d - state.devOffset[p.node]),
      })),
    };
    return { ...r, at };
  });
}
