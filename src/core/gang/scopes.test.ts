import assert from "node:assert/strict";
import { test } from "node:test";
import { buildClusterState } from "../model/cluster.ts";
import type { Fleet, FleetNode } from "../model/fleet.ts";
import { allocate } from "../model/ledger.ts";
import { compileRequest } from "../model/request.ts";
import type { CycleContext } from "../plugins/types.ts";
import { createPolicy } from "../registry.ts";
import { createRng } from "../rng.ts";
import { memberJob, type Workload, WorkloadClass } from "../workload/index.ts";
import { placeGang } from "./place.ts";

const node = (id: string, type: string): FleetNode => ({
  id,
  deviceType: type,
  devices: 4,
  cpuMilli: 64000,
  memoryMiB: 524288,
});

/**
 * One rack: five "h" domains, then one "v" domain, 2 nodes × 4 devices each. Every "h"
 * domain has one device in use (7 idle), so they are the tightest scopes for any gang.
 */
function fleet(): Fleet {
  const domains = ["h", "h", "h", "h", "h", "v"].map((type, d) => ({
    id: `d${d}`,
    nodes: [node(`d${d}n0`, type), node(`d${d}n1`, type)],
  }));
  return {
    name: "two-types",
    deviceTypes: ["h", "v"].map((id) => ({ id, vendor: "t", memoryGiB: 80, speed: 1 })),
    sites: [{ id: "s0", residency: [], racks: [{ id: "r0", domains }] }],
  };
}

const gang: Workload = {
  id: "g",
  queue: "q",
  class: WorkloadClass.Batch,
  submitTime: 0,
  duration: 100,
  members: 2,
  minMembers: 2,
  member: { devices: 2, deviceMilli: 1000, cpuMilli: 1000, memoryMiB: 1024 },
  deviceTypes: ["v"],
  priority: 0,
  preemptible: true,
};

test("a gang tries the domains of its own type, not the tightest ones of another", () => {
  const state = buildClusterState(fleet());
  for (let d = 0; d < 5; d++) {
    const n = 2 * d;
    const req = compileRequest(state, { ...memberJob(gang, 0), deviceTypes: [] });
    allocate(
      state,
      { ...req, job: { ...req.job, devices: 1 } },
      { node: n, devices: [state.devOffset[n]] },
    );
  }
  const ctx: CycleContext = { state, now: 0, rng: createRng(1) };
  const policy = createPolicy("bestfit", { deviceTypes: state.deviceTypes });
  // 2 members × 2 "v" devices: the "h" domains (7 idle) are tighter than the "v" one (8),
  // but only the "v" domain can hold it. Four misses on "h" domains would send it a level up.
  const got = placeGang(ctx, policy, compileRequest(state, memberJob(gang, 0)), 2, undefined);
  assert.ok(!("code" in got), "placed");
  if ("code" in got) return;
  assert.equal(got.crossed, 0, "inside one domain");
  for (const p of got.placements) assert.equal(state.nodeIds[p.node].slice(0, 2), "d5");
});
