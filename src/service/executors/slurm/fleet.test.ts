import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { defaultDeviceType, slurmFleet } from "./fleet.ts";
import { parseSinfoJson, type SlurmNode } from "./parse.ts";

const captured = parseSinfoJson(
  readFileSync(join(import.meta.dirname, "fixtures", "sinfo-22.05.json"), "utf8"),
);

function node(name: string, over: Partial<SlurmNode> = {}): SlurmNode {
  return {
    name,
    state: "idle",
    flags: [],
    cpus: 64,
    realMemoryMiB: 512_000,
    gres: [],
    features: [],
    partitions: [],
    reason: "",
    ...over,
  };
}

test("the captured test cluster becomes one site, one rack, a domain per node", () => {
  const fleet = slurmFleet(captured, { name: "t" });
  assert.deepEqual(
    fleet.deviceTypes.map((d) => d.id),
    ["nvidia-h100-80g"],
  );
  assert.equal(fleet.sites.length, 1);
  const [rack] = fleet.sites[0].racks;
  assert.deepEqual(
    rack.domains.map((d) => [d.id, d.nodes]),
    [
      [
        "gj-n1",
        [
          {
            id: "gj-n1",
            deviceType: "nvidia-h100-80g",
            devices: 4,
            cpuMilli: 8000,
            memoryMiB: 16000,
          },
        ],
      ],
      [
        "gj-n2",
        [
          {
            id: "gj-n2",
            deviceType: "nvidia-h100-80g",
            devices: 4,
            cpuMilli: 8000,
            memoryMiB: 16000,
          },
        ],
      ],
    ],
  );
});

test("features give topology; unavailable nodes are left out unless asked for", () => {
  const gpu = [{ name: "gpu", type: "b200", count: 8 }];
  const nodes = [
    node("b10", { gres: gpu, features: ["site-seoul", "rack-r2", "domain-nvl1"] }),
    node("b2", { gres: gpu, features: ["site-seoul", "rack-r2", "domain-nvl1"] }),
    node("b3", { gres: gpu, state: "idle", flags: ["DRAIN"] }),
    node("cpu1"),
  ];
  const fleet = slurmFleet(nodes);
  assert.deepEqual(
    fleet.sites.map((s) => [
      s.id,
      s.racks.map((r) => [r.id, r.domains.map((d) => [d.id, d.nodes.map((n) => n.id)])]),
    ]),
    [
      ["seoul", [["r2", [["nvl1", ["b2", "b10"]]]]]], // numeric order: b2 before b10
      ["slurm", [["slurm-rack", [["cpu1", ["cpu1"]]]]]],
    ],
  );
  assert.equal(slurmFleet(nodes, { includeUnavailable: true }).sites[1].racks[0].domains.length, 2);
});

test("GRES types map to the catalogue where it knows them", () => {
  assert.equal(defaultDeviceType("h100"), "nvidia-h100-80g");
  assert.equal(defaultDeviceType("B200"), "nvidia-b200");
  assert.equal(defaultDeviceType("mi300x"), "gpu-mi300x");
  assert.equal(defaultDeviceType(null), "gpu");
});
