import assert from "node:assert/strict";
import { test } from "node:test";
import type { Fleet } from "../core/model/fleet.ts";
import { devicesByTypeLine, fmt, summarizeFleet } from "./summary.ts";

const node = (id: string, deviceType: string | null, devices: number) => ({
  id,
  deviceType,
  devices,
  cpuMilli: 1000,
  memoryMiB: 1024,
});

// Two sites that reuse rack and domain ids: counted apart, as ClusterState keys them.
const FLEET: Fleet = {
  name: "t",
  deviceTypes: [
    { id: "a", vendor: "v", memoryGiB: 1, speed: 1 },
    { id: "unused", vendor: "v", memoryGiB: 1, speed: 1 },
  ],
  sites: [
    {
      id: "s1",
      residency: ["x"],
      racks: [
        { id: "r", domains: [{ id: "d", nodes: [node("n1", "a", 8), node("n2", null, 0)] }] },
      ],
    },
    {
      id: "s2",
      residency: [],
      racks: [{ id: "r", domains: [{ id: "d", nodes: [node("n3", "a", 4)] }] }],
    },
  ],
};

test("summarizeFleet: totals, per type (declared first, CPU-only last) and per site", () => {
  const s = summarizeFleet(FLEET);
  // racks s1/r and s2/r are distinct: 2 racks, 2 domains; 8 + 0 + 4 = 12 devices
  assert.deepEqual([s.sites, s.racks, s.domains, s.nodes, s.devices], [2, 2, 2, 3, 12]);
  assert.deepEqual(s.byType, [
    { deviceType: "a", nodes: 2, devices: 12 },
    { deviceType: "unused", nodes: 0, devices: 0 },
    { deviceType: null, nodes: 1, devices: 0 },
  ]);
  // s1: 2 nodes × 1000 milli = 2000; 2 × 1024 MiB = 2048
  assert.deepEqual(
    s.bySite.map((x) => [x.id, x.nodes, x.devices, x.cpuMilli, x.memoryMiB]),
    [
      ["s1", 2, 8, 2000, 2048],
      ["s2", 1, 4, 1000, 1024],
    ],
  );
  assert.equal(devicesByTypeLine(s), "12 devices (a 12, unused 0)");
});

const FMT: [number, string][] = [
  [0, "0"],
  [999, "999"],
  [1000, "1,000"],
  [300000, "300,000"],
  [1234567, "1,234,567"],
];
for (const [n, text] of FMT) test(`fmt(${n}) = ${text}`, () => assert.equal(fmt(n), text));
