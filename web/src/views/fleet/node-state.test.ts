import assert from "node:assert/strict";
import { test } from "node:test";
import type { FleetNode } from "../../types.ts";
import { groupNodes, NodeCategory, nodeCategory, typeColor } from "./node-state.ts";

test("node category: operator state first, then what the devices hold", () => {
  const cases: [Parameters<typeof nodeCategory>[0], NodeCategory][] = [
    [{ state: "up", free: [1, 1] }, NodeCategory.Free],
    [{ state: "up", free: [0, 1] }, NodeCategory.Busy], // one device fully held
    [{ state: "up", free: [0, 0.75] }, NodeCategory.Fractional], // a quarter of #1 held
    [{ state: "cordoned", free: [1, 1] }, NodeCategory.Cordoned],
    [{ state: "draining", free: [0, 0] }, NodeCategory.Draining],
    [{ state: "down", free: [0.5, 1] }, NodeCategory.Down],
    [{ state: "up", free: [] }, NodeCategory.Free], // CPU-only
  ];
  for (const [node, want] of cases) assert.equal(nodeCategory(node), want, JSON.stringify(node));
});

test("device-type colours are stable", () => {
  assert.equal(typeColor("nvidia-h100-80g"), typeColor("nvidia-h100-80g"));
  assert.match(typeColor("some-new-npu"), /^#[0-9a-f]{6}$/);
  assert.equal(typeColor(null), "#888888");
});

test("nodes group by site, rack and domain in fleet order", () => {
  const n = (id: string, site: string, rack: string, domain: string): FleetNode => ({
    id,
    site,
    rack,
    domain,
    deviceType: null,
    devices: 0,
    state: "up",
    reason: null,
    free: [],
    freeDevices: 0,
    jobs: [],
  });
  const g = groupNodes([
    n("a", "s1", "r1", "d1"),
    n("b", "s1", "r1", "d2"),
    n("c", "s2", "r9", "d1"),
    n("d", "s1", "r1", "d1"),
  ]);
  assert.deepEqual([...g.keys()], ["s1", "s2"]);
  assert.deepEqual(
    g
      .get("s1")
      ?.get("r1")
      ?.get("d1")
      ?.map((x) => x.id),
    ["a", "d"],
  );
});
