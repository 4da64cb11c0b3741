import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildClusterState, type ClusterState } from "../model/cluster.ts";
import type { Fleet, FleetNode } from "../model/fleet.ts";
import { allocate } from "../model/ledger.ts";
import { compileRequest } from "../model/request.ts";
import type { CycleContext } from "../plugins/types.ts";
import { createPolicy } from "../registry.ts";
import { createRng } from "../rng.ts";
import { memberJob, type Workload, WorkloadClass } from "../workload/index.ts";
import { placeElastic, placeGang } from "./place.ts";

const node = (id: string): FleetNode => ({
  id,
  deviceType: "gpu",
  devices: 4,
  cpuMilli: 64000,
  memoryMiB: 524288,
});

/** 2 sites × 2 racks × 2 domains × 2 nodes × 4 GPUs = 64 GPUs. */
function topoFleet(): Fleet {
  const sites = ["s0", "s1"].map((s) => ({
    id: s,
    residency: [`kr-${s}`],
    racks: ["r0", "r1"].map((r) => ({
      id: r,
      domains: ["d0", "d1"].map((d) => ({
        id: d,
        nodes: [node(`${s}${r}${d}n0`), node(`${s}${r}${d}n1`)],
      })),
    })),
  }));
  return {
    name: "topo",
    deviceTypes: [{ id: "gpu", vendor: "t", memoryGiB: 80, speed: 1 }],
    sites,
  };
}

function gang(members: number, devices = 4, topology?: Workload["topology"]): Workload {
  return {
    id: "g",
    queue: "q",
    class: WorkloadClass.Batch,
    submitTime: 0,
    duration: 100,
    members,
    minMembers: members,
    member: { devices, deviceMilli: 1000, cpuMilli: 1000, memoryMiB: 1024 },
    deviceTypes: [],
    priority: 0,
    preemptible: true,
    topology,
  };
}

function setup(): { state: ClusterState; ctx: CycleContext } {
  const state = buildClusterState(topoFleet());
  return { state, ctx: { state, now: 0, rng: createRng(1) } };
}

const policy = createPolicy("bestfit", { deviceTypes: topoFleet().deviceTypes });

/** Fills node i completely with a 4-GPU job. */
function fill(state: ClusterState, ...nodes: number[]): void {
  for (const n of nodes) {
    const req = compileRequest(state, memberJob(gang(1), 0));
    allocate(state, req, { node: n, devices: [0, 1, 2, 3].map((k) => state.devOffset[n] + k) });
  }
}

describe("placeGang", () => {
  const cases: {
    name: string;
    members: number;
    filled: number[];
    topology?: Workload["topology"];
    crossed: number | null;
  }[] = [
    // 2 members × 4 GPUs = one domain of 2 nodes
    { name: "fits one domain", members: 2, filled: [], crossed: 0 },
    // every domain has one node taken: 2 nodes free per rack, in different domains
    { name: "falls back to one rack", members: 2, filled: [0, 2, 4, 6, 8, 10, 12, 14], crossed: 1 },
    // 4 members: a rack (2 domains × 2 nodes) fits it
    { name: "a 4-member gang spans one rack", members: 4, filled: [], crossed: 1 },
    // required domain, but no domain has 2 free nodes
    {
      name: "required domain that no domain can hold",
      members: 2,
      filled: [0, 2, 4, 6, 8, 10, 12, 14],
      topology: { level: "domain", required: true },
      crossed: null,
    },
    // 10 members × 4 = 40 GPUs > 32 per site: must cross sites
    { name: "larger than a site crosses sites", members: 10, filled: [], crossed: 3 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { state, ctx } = setup();
      fill(state, ...c.filled);
      const before = Int32Array.from(state.devFree);
      const req = compileRequest(state, memberJob(gang(c.members, 4, c.topology), 0));
      const got = placeGang(ctx, policy, req, c.members, c.topology);
      if (c.crossed === null) {
        assert.ok("code" in got);
        assert.deepEqual(state.devFree, before, "a failed gang holds nothing");
        return;
      }
      assert.ok(!("code" in got), "code" in got ? got.reason : "");
      assert.equal(got.placements.length, c.members);
      assert.equal(got.crossed, c.crossed);
    });
  }

  test("best fit: the fullest domain that still holds the gang", () => {
    const { state, ctx } = setup();
    // domain 0 (nodes 0,1) fully free; domain 1 (nodes 2,3) has node 2 taken → 4 idle
    fill(state, 2);
    const req = compileRequest(state, memberJob(gang(1), 0));
    const got = placeGang(ctx, policy, req, 1, { level: "domain", required: true });
    assert.ok(!("code" in got));
    assert.equal(got.placements[0].node, 3);
  });
});

describe("placeElastic", () => {
  test("keeps what fits when at least min members fit", () => {
    const { state, ctx } = setup();
    fill(state, ...Array.from({ length: 13 }, (_, i) => i)); // 3 of 16 nodes left
    const req = compileRequest(state, memberJob(gang(8), 0));
    const got = placeElastic(ctx, policy, req, 8, 2);
    assert.ok(got);
    assert.equal(got.placements.length, 3);
  });

  test("takes nothing when fewer than min fit", () => {
    const { state, ctx } = setup();
    fill(state, ...Array.from({ length: 15 }, (_, i) => i)); // 1 node left
    const before = Int32Array.from(state.devFree);
    const req = compileRequest(state, memberJob(gang(8), 0));
    assert.equal(placeElastic(ctx, policy, req, 8, 2), null);
    assert.deepEqual(state.devFree, before);
  });
});
