import assert from "node:assert/strict";
import { test } from "node:test";
import { buildClusterState, totalDevices } from "../../core/model/cluster.ts";
import { fleetNodes } from "../../core/model/fleet.ts";
import { summarizeFleet } from "../summary.ts";
import { demoAiFactoryFleet } from "./demo-ai-factory.ts";

// [device type, nodes, devices]: the layout in demo-ai-factory.ts's header.
const BY_TYPE: [string | null, number, number][] = [
  ["nvidia-vr-nvl144", 36, 288], // 2 NVL144 racks × 18 trays × 8
  ["nvidia-h100-80g", 16, 128], // 16 × 8
  ["rebellions-atom", 16, 128], // 16 × 8
  ["furiosa-rngd", 8, 64], // 8 × 8
  [null, 4, 0], // CPU-only data prep
];

test("demo-ai-factory: device counts by type, 608 in all", () => {
  const s = summarizeFleet(demoAiFactoryFleet());
  assert.deepEqual(
    s.byType.map((c) => [c.deviceType, c.nodes, c.devices]),
    BY_TYPE,
  );
  // 288 + 128 + 128 + 64 = 608
  assert.equal(totalDevices(buildClusterState(demoAiFactoryFleet())), 608);
});

test("demo-ai-factory: two sites with different residency", () => {
  const s = summarizeFleet(demoAiFactoryFleet());
  assert.deepEqual(
    s.bySite.map((site) => [site.id, site.residency, site.devices]),
    [
      ["pangyo", ["kr", "kr-gyeonggi"], 352], // 288 VR + 64 RNGD
      ["gwangju", ["kr", "kr-gwangju"], 256], // 128 H100 + 128 ATOM
    ],
  );
});

test("demo-ai-factory: NVL144 domains hold 144 devices, H100 domains 32", () => {
  const perDomain = new Map<string, number>();
  for (const { node, site, rack, domain } of fleetNodes(demoAiFactoryFleet())) {
    const key = `${site.id}/${rack.id}/${domain.id}`;
    perDomain.set(key, (perDomain.get(key) ?? 0) + node.devices);
  }
  assert.equal(perDomain.get("pangyo/vr-01/nvl144"), 144); // 18 trays × 8
  assert.equal(perDomain.get("gwangju/h100-01/pod-00"), 32); // 4 nodes × 8
});

test("demo-ai-factory: node ids are unique and every type is declared", () => {
  const fleet = demoAiFactoryFleet();
  const nodes = [...fleetNodes(fleet)].map((n) => n.node);
  assert.equal(new Set(nodes.map((n) => n.id)).size, nodes.length);
  const declared = new Set(fleet.deviceTypes.map((t) => t.id));
  for (const n of nodes) assert.ok(n.deviceType === null || declared.has(n.deviceType), n.id);
  assert.deepEqual(fleet, demoAiFactoryFleet()); // deterministic
});
