import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet, job } from "../../../test/support/builders.ts";
import { cycle } from "../cycle.ts";
import * as fit from "../plugins/fit/index.ts";
import { createPolicy } from "../registry.ts";
import { createRng } from "../rng.ts";
import { buildClusterState } from "./cluster.ts";
import { createIdleIndex, nextWithIdle, updateIdle } from "./idle-index.ts";
import { allocate, release } from "./ledger.ts";

test("nextWithIdle finds nodes with at least g idle devices, across word boundaries", () => {
  // 70 nodes: node n has n % 9 idle devices (0..8).
  const idle = Int32Array.from({ length: 70 }, (_, n) => n % 9);
  const index = createIdleIndex(idle, 8);
  const all = (g: number) => {
    const out: number[] = [];
    for (let n = nextWithIdle(index, g, 0, 70); n >= 0; n = nextWithIdle(index, g, n + 1, 70))
      out.push(n);
    return out;
  };
  for (let g = 1; g <= 8; g++)
    assert.deepEqual(
      all(g),
      [...idle.keys()].filter((n) => idle[n] >= g),
    );
  updateIdle(index, 8, 8, 2); // node 8: 8 → 2 idle
  assert.equal(all(3).includes(8), false);
  assert.equal(all(2).includes(8), true);
  assert.equal(nextWithIdle(index, 9, 0, 70), -1, "beyond the largest node");
});

test("the ledger keeps the index in step through allocate and release", () => {
  const state = buildClusterState(fleet().node("a", "h100", 8).node("b", "h100", 4).build());
  const policy = createPolicy("firstfit", { deviceTypes: state.deviceTypes });
  const [d] = cycle({
    state,
    pending: [job("j").gpus(6).build()],
    policy,
    now: 0,
    rng: createRng(1),
  });
  assert.equal(d.kind, "start");
  if (d.kind !== "start") return;
  allocate(state, d.request, d.placement); // node a: 8 − 6 = 2 idle
  assert.equal(nextWithIdle(state.idleIndex, 3, 0, 2), 1, "only b has ≥ 3 idle");
  release(state, d.request, d.placement);
  assert.equal(nextWithIdle(state.idleIndex, 8, 0, 2), 0, "a is whole again");
});

test("a partial scan through the index decides exactly as the plain scan", () => {
  // 2,400 nodes (> 2,000, so "adaptive" scans part of the fleet).
  const b = fleet();
  for (let n = 0; n < 2400; n++)
    b.node(`n${n}`, n % 3 === 0 ? "a100" : "h100", n % 5 === 0 ? 4 : 8, 96, 1024);
  const rngJobs = createRng(3);
  const jobs = Array.from({ length: 6000 }, (_, i) =>
    job(`j${i}`)
      .gpus([1, 2, 4, 8][rngJobs.int(4)])
      .cpu(1 + rngJobs.int(12))
      .build(),
  );
  const replay = (hideFit: boolean) => {
    const state = buildClusterState(b.build());
    const base = createPolicy("bestfit", { deviceTypes: state.deviceTypes });
    // Renaming ResourceFit keeps its logic but turns the index off.
    const policy = hideFit ? { ...base, filters: [{ ...fit.create(), name: "PlainFit" }] } : base;
    const rng = createRng(9);
    return jobs.map((j) => {
      const [d] = cycle({ state, pending: [j], policy, now: 0, rng });
      if (d.kind !== "start") return "wait";
      allocate(state, d.request, d.placement);
      return `${d.placement.node}:${d.placement.devices.join(",")}`;
    });
  };
  const indexed = replay(false);
  assert.ok(indexed.includes("wait"), "the workload overflows the fleet");
  assert.deepEqual(indexed, replay(true));
});
