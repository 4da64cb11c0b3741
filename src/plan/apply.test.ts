import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { fleetNodes } from "../core/model/fleet.ts";
import { loadScenarioSpec } from "../scenario/index.ts";
import { applyVariant } from "./apply.ts";
import { capacityOf } from "./capacity.ts";
import { type Change, ChangeKind } from "./types.ts";

const base = loadScenarioSpec(join(import.meta.dirname, "fixtures", "small-scenario.yaml"));
const H = 3600;
const apply = (...changes: Change[]) => {
  const r = applyVariant(base, { name: "v", description: "", changes });
  assert.deepEqual(r.issues, []);
  return r.spec;
};
const devicesOf = (spec: typeof base, type: string) =>
  [...fleetNodes(spec.fleet)]
    .filter((x) => x.node.deviceType === type)
    .reduce((a, x) => a + x.node.devices, 0);

test("shiftTranche moves one tranche; the base spec is untouched", () => {
  const s = apply({ kind: ChangeKind.ShiftTranche, tranche: "h100-late", by: 2 * H });
  assert.equal(s.tranches[0].time, 8 * H); // 6 h + 2 h
  assert.equal(base.tranches[0].time, 6 * H);
});

test("addDevices copies a node: 128 H100 / 8 per node = 16 nodes, pods of 4, a tranche when later", () => {
  const s = apply({
    kind: ChangeKind.AddDevices,
    deviceType: "nvidia-h100-80g",
    devices: 128,
    at: 2 * H,
  });
  assert.equal(devicesOf(s, "nvidia-h100-80g"), 128 + 128);
  const added = [...fleetNodes(s.fleet)].filter((x) => x.rack.id === "plan-p1");
  assert.equal(added.length, 16);
  assert.equal(added[0].site.id, "gwangju");
  assert.equal(added[0].node.id, "h100-p1-00");
  assert.equal(added[0].node.cpuMilli, 112_000);
  assert.equal(new Set(added.map((x) => x.domain.id)).size, 4); // 16 nodes / 4 per pod
  assert.deepEqual(s.tranches[1], {
    id: "plan-p1",
    time: 2 * H,
    nodes: added.map((x) => x.node.id),
  });
  // 100 devices round up to 13 nodes (104 devices)
  const t = apply({
    kind: ChangeKind.AddDevices,
    deviceType: "rebellions-atom",
    devices: 100,
    at: 0,
  });
  assert.equal(devicesOf(t, "rebellions-atom"), 128 + 104);
  assert.equal(t.tranches.length, 1); // present from the start: no tranche
});

test("removeDevices retires the last nodes of the type; retireNodes the named ones", () => {
  const s = apply({
    kind: ChangeKind.RemoveDevices,
    deviceType: "nvidia-h100-80g",
    devices: 20,
    at: H,
  });
  // 20 devices need 3 nodes of 8, taken from the end
  assert.deepEqual(s.retirements, [
    { id: "plan-p1", time: H, drainStart: H, nodes: ["h100-15", "h100-14", "h100-13"] },
  ]);
  const t = apply({ kind: ChangeKind.RetireNodes, nodes: ["h100-00"], at: 2 * H, drainStart: H });
  assert.deepEqual(t.retirements, [
    { id: "plan-p1", time: 2 * H, drainStart: H, nodes: ["h100-00"] },
  ]);
});

test("capacity counts deliveries, retirements and maintenance in H100-equivalents", () => {
  // Base: 288 VR × 3.5 + 128 H100 + 128 ATOM × 0.25 + 64 RNGD × 0.4 = 1,193.6, less 32 H100
  // before the 6 h tranche: 12 h × 1,193.6 − 6 h × 32 = 14,131.2 H100-equivalent hours.
  assert.equal(capacityOf(base).hours, 14131.2);
  const s = apply({ kind: ChangeKind.RetireNodes, nodes: ["h100-00"], at: 2 * H });
  assert.equal(capacityOf(s).hours, 14131.2 - 8 * 10); // 8 devices gone for the last 10 h
  assert.deepEqual(capacityOf(base).timeline, [
    [0, 1161.6],
    [6 * H, 1193.6],
    [12 * H, 1193.6],
  ]);
});

test("scaleDemand adds a demand change; setGuarantee and setDeviceTypes edit tenancy and mix", () => {
  const s = apply(
    { kind: ChangeKind.ScaleDemand, demand: { queue: "startup", factor: 2 } },
    {
      kind: ChangeKind.SetGuarantee,
      queue: "startup",
      deviceType: "rebellions-atom",
      guaranteed: 8,
    },
    {
      kind: ChangeKind.SetDeviceTypes,
      queue: "startup",
      class: "batch",
      deviceTypes: ["nvidia-h100-80g", "rebellions-atom"],
    },
  );
  assert.deepEqual(s.mix.growth, [{ queue: "startup", factor: 2 }]);
  const startup = s.tenancy.queues.find((q) => q.path === "startup");
  assert.deepEqual(startup?.quota, {
    "nvidia-h100-80g": { guaranteed: 16 },
    "rebellions-atom": { guaranteed: 8 },
  });
  assert.deepEqual(s.mix.tenants[1].deviceTypes?.batch, ["nvidia-h100-80g", "rebellions-atom"]);
  assert.equal(base.mix.growth, undefined);
});

test("a change that breaks the scenario is reported at the variant, not applied silently", () => {
  const r = applyVariant(base, {
    name: "v",
    description: "",
    changes: [
      {
        kind: ChangeKind.SetGuarantee,
        queue: "lab/a",
        deviceType: "nvidia-h100-80g",
        guaranteed: 64,
      },
    ],
  });
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0].path, "changes");
  assert.match(r.issues[0].message, /^after the changes, tenancy\.queues/);
});
