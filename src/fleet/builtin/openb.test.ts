import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildClusterState, totalDevices } from "../../core/model/cluster.ts";
import { fleetNodes } from "../../core/model/fleet.ts";
import { summarizeFleet } from "../summary.ts";
import { OPENB_NODE_FILES, openbFleet } from "./openb.ts";

test("openb: 1,213 GPU nodes, 6,212 GPUs", () => {
  const state = buildClusterState(openbFleet("gpu"));
  assert.equal(state.nodeCount, 1213);
  assert.equal(totalDevices(state), 6212);
});

// Nodes per model as published with the trace (traces/README.md); they sum to 1,213.
const NODES_PER_MODEL: [string, number][] = [
  ["G2", 549],
  ["T4", 404],
  ["P100", 134],
  ["V100M16", 55],
  ["G3", 39],
  ["V100M32", 30],
  ["A10", 2],
];

for (const [model, nodes] of NODES_PER_MODEL) {
  test(`openb: ${nodes} ${model} nodes`, () => {
    const count = summarizeFleet(openbFleet("gpu")).byType.find((c) => c.deviceType === model);
    assert.equal(count?.nodes, nodes);
  });
}

test("openb-all: 1,523 nodes = 1,213 GPU + 310 CPU-only, same 6,212 GPUs", () => {
  const s = summarizeFleet(openbFleet("all"));
  assert.equal(s.nodes, 1523);
  assert.equal(s.devices, 6212);
  assert.equal(s.byType.find((c) => c.deviceType === null)?.nodes, 310);
});

for (const which of ["gpu", "all"] as const) {
  test(`openb ${which}: node order is the CSV row order, with the CSV's values`, () => {
    const rows = readFileSync(OPENB_NODE_FILES[which], "utf8").trim().split("\n").slice(1);
    const nodes = [...fleetNodes(openbFleet(which))].map((n) => n.node);
    assert.equal(nodes.length, rows.length);
    nodes.forEach((n, i) => {
      const [sn, cpu, mem, gpu, model] = rows[i].split(",");
      assert.deepEqual(n, {
        id: sn,
        deviceType: model === "" ? null : model,
        devices: Number(gpu),
        cpuMilli: Number(cpu),
        memoryMiB: Number(mem),
      });
    });
  });
}

test("openb: one site [cn]; racks are runs of one model, one domain per node", () => {
  const fleet = openbFleet("gpu");
  assert.equal(fleet.sites.length, 1);
  assert.deepEqual(fleet.sites[0].residency, ["cn"]);
  // the CSV opens with 22 P100 rows, then one G3: racks p100-0 (22 domains), g3-0 (1)
  const [first, second] = fleet.sites[0].racks;
  assert.deepEqual([first.id, first.domains.length, second.id], ["p100-0", 22, "g3-0"]);
  for (const rack of fleet.sites[0].racks) {
    const types = new Set(rack.domains.flatMap((d) => d.nodes.map((n) => n.deviceType)));
    assert.equal(types.size, 1, rack.id);
    for (const d of rack.domains) assert.equal(d.nodes.length, 1);
  }
});
