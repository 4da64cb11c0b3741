import assert from "node:assert/strict";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { buildClusterState, totalDevices } from "../core/model/cluster.ts";
import { fleetNodes } from "../core/model/fleet.ts";
import { summarizeFleet } from "./summary.ts";
import { type SyntheticFleetOptions, syntheticFleet } from "./synthetic.ts";

// Each row: options → [sites, racks, domains, nodes, devices].
const SHAPES: { opts: SyntheticFleetOptions; counts: number[] }[] = [
  // 37,500 nodes / 4 = 9,375 domains / 2 = 4,687.5 → 4,688 racks / 500 = 9.4 → 10 sites; × 8 = 300,000
  { opts: { nodes: 37_500 }, counts: [10, 4688, 9375, 37_500, 300_000] },
  // 10 nodes / 4 = 2.5 → 3 domains / 2 = 1.5 → 2 racks, 1 site; × 8 = 80
  { opts: { nodes: 10 }, counts: [1, 2, 3, 10, 80] },
  // 12 / 3 = 4 domains / 1 = 4 racks / 2 = 2 sites; × 4 = 48
  {
    opts: { nodes: 12, devicesPerNode: 4, nodesPerDomain: 3, domainsPerRack: 1, racksPerSite: 2 },
    counts: [2, 4, 4, 12, 48],
  },
  // CPU-only: 0 devices, no device types
  { opts: { nodes: 5, devicesPerNode: 0 }, counts: [1, 1, 2, 5, 0] },
];

for (const { opts, counts } of SHAPES) {
  test(`syntheticFleet(${JSON.stringify(opts)})`, () => {
    const s = summarizeFleet(syntheticFleet(opts));
    assert.deepEqual([s.sites, s.racks, s.domains, s.nodes, s.devices], counts);
  });
}

test("300,000 devices: built in under a second, and ClusterState agrees", () => {
  const start = performance.now();
  const fleet = syntheticFleet({ nodes: 37_500, devicesPerNode: 8 });
  const ms = performance.now() - start;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  const state = buildClusterState(fleet);
  assert.equal(totalDevices(state), 300_000); // 37,500 × 8
  assert.equal(state.nodeIds[37_499], "n37499");
  assert.equal(fleet.name, "synthetic:37500x8");
});

test("ids are compact and unique; defaults are an HGX H100", () => {
  const fleet = syntheticFleet({ nodes: 9 });
  const nodes = [...fleetNodes(fleet)];
  assert.deepEqual(
    nodes.map(({ site, rack, domain, node }) => `${site.id}/${rack.id}/${domain.id}/${node.id}`),
    // 4 nodes per domain, 2 domains per rack
    [
      "s0/r0/d0/n0",
      "s0/r0/d0/n1",
      "s0/r0/d0/n2",
      "s0/r0/d0/n3",
      "s0/r0/d1/n4",
      "s0/r0/d1/n5",
      "s0/r0/d1/n6",
      "s0/r0/d1/n7",
      "s0/r1/d2/n8",
    ],
  );
  assert.deepEqual(nodes[0].node, {
    id: "n0",
    deviceType: "nvidia-h100-80g",
    devices: 8,
    cpuMilli: 112_000,
    memoryMiB: 2_097_152, // 2 TiB = 2 × 1024 × 1024 MiB
  });
  assert.deepEqual(fleet.deviceTypes, [
    { id: "nvidia-h100-80g", vendor: "nvidia", memoryGiB: 80, speed: 1 },
  ]);
  assert.deepEqual(fleet.sites[0].residency, ["kr", "kr-s0"]);
});

test("an unknown device type id gets a placeholder type", () => {
  const fleet = syntheticFleet({ nodes: 1, deviceType: "acme-x1" });
  assert.deepEqual(fleet.deviceTypes, [{ id: "acme-x1", vendor: "acme", memoryGiB: 0, speed: 1 }]);
});

for (const bad of [
  { nodes: 0 },
  { nodes: 2.5 },
  { nodes: 4, nodesPerDomain: 0 },
  { nodes: 4, devicesPerNode: -1 },
]) {
  test(`rejects ${JSON.stringify(bad)} with GJ_ERR_ARGUMENT`, () => {
    assert.throws(
      () => syntheticFleet(bad),
      (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_ARGUMENT",
    );
  });
}
