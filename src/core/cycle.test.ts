import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet, job } from "../../test/support/builders.ts";
import { cycle } from "./cycle.ts";
import { buildClusterState } from "./model/cluster.ts";
import { allocate } from "./model/ledger.ts";
import { createPolicy } from "./registry.ts";
import { createRng } from "./rng.ts";

const twoNodes = () =>
  buildClusterState(fleet().node("n0", "h100", 8).node("n1", "a100", 4).build());

function run(
  state: ReturnType<typeof twoNodes>,
  jobs: ReturnType<ReturnType<typeof job>["build"]>[],
  policy = "firstfit",
  blocking = false,
) {
  return cycle({
    state,
    pending: jobs,
    policy: createPolicy(policy, { deviceTypes: state.deviceTypes, workload: jobs, blocking }),
    now: 0,
    rng: createRng(1),
  });
}

test("placements within one cycle see each other", () => {
  const state = buildClusterState(fleet().node("n0", "h100", 1).build());
  // Two half-shares of one device: 1000 − 500 − 500 = 0 left, both fit.
  const d = run(state, [
    job("a").share(500).build(),
    job("b").share(500).at(1).build(),
    job("c").share(1).at(2).build(),
  ]);
  assert.deepEqual(
    d.map((x) => x.kind),
    ["start", "start", "wait"],
  );
});

test("the snapshot is unchanged after a cycle", () => {
  const state = twoNodes();
  const before = [Array.from(state.devFree), Array.from(state.cpuFree), Array.from(state.memFree)];
  run(state, [job("a").gpus(8).build(), job("b").gpus(4).build()]);
  assert.deepEqual(
    [Array.from(state.devFree), Array.from(state.cpuFree), Array.from(state.memFree)],
    before,
  );
});

test("table: where a job goes, or why it waits", () => {
  const cases = [
    { name: "whole devices, first fit", j: job("a").gpus(2).build(), node: 0 },
    {
      name: "type constraint picks the a100 node",
      j: job("a").gpus(2).types("a100").build(),
      node: 1,
    },
    { name: "CPU-only job lands anywhere with CPU", j: job("a").gpus(0).cpu(8).build(), node: 0 },
    // 9 devices > 8 on the largest node: can never fit.
    {
      name: "too many devices",
      j: job("a").gpus(9).build(),
      reason: /0\/2 nodes fit: 2 insufficient free devices; no node could ever fit/,
    },
    {
      name: "unknown type",
      j: job("a").gpus(1).types("tpu").build(),
      reason: /2 device type not accepted/,
    },
    // 65 cores > 64 per node.
    { name: "too much CPU", j: job("a").gpus(1).cpu(65).build(), reason: /2 insufficient CPU/ },
  ];
  for (const c of cases) {
    const [d] = run(twoNodes(), [c.j]);
    if ("node" in c) {
      assert.equal(d.kind, "start", c.name);
      assert.equal(d.kind === "start" && d.placement.node, c.node, c.name);
    } else {
      assert.equal(d.kind, "wait", c.name);
      assert.match(d.kind === "wait" ? d.status.reason : "", c.reason!, c.name);
    }
  }
});

test("strict order blocks behind the head; non-blocking lets small jobs pass", () => {
  const jobs = [
    job("big").gpus(8).at(0).build(),
    job("big2").gpus(8).at(1).build(),
    job("small").gpus(1).at(2).build(),
  ];
  // 8 + 8 GPUs wanted on nodes of 8 and 4: big starts on n0, big2 cannot, small fits on n1.
  assert.deepEqual(
    run(twoNodes(), jobs, "firstfit", false).map((d) => `${d.job.id}:${d.kind}`),
    ["big:start", "big2:wait", "small:start"],
  );
  const strict = run(twoNodes(), jobs, "firstfit", true);
  assert.deepEqual(
    strict.map((d) => `${d.job.id}:${d.kind}`),
    ["big:start", "big2:wait", "small:wait"],
  );
  assert.match(strict[2].kind === "wait" ? strict[2].status.reason : "", /strict order/);
});

test("ties follow nodeRank when given", () => {
  const state = buildClusterState(
    fleet().node("n0", "h100", 8).node("n1", "h100", 8).node("n2", "h100", 8).build(),
  );
  const policy = createPolicy("gpupacking", { deviceTypes: state.deviceTypes });
  const nodeRank = Int32Array.from([2, 0, 1]); // n1 ranks first
  const [d] = cycle({
    state,
    pending: [job("a").gpus(1).build()],
    policy,
    now: 0,
    rng: createRng(1),
    nodeRank,
  });
  assert.equal(d.kind === "start" && d.placement.node, 1);
});

test("ledger keeps per-node idle counts and free sums in step with the devices", () => {
  const state = twoNodes();
  const policy = createPolicy("bestfit", { deviceTypes: state.deviceTypes });
  const jobs = [job("a").gpus(3).build(), job("b").share(250).build(), job("c").share(600).build()];
  for (const j of jobs) {
    const [d] = cycle({ state, pending: [j], policy, now: 0, rng: createRng(1) });
    assert.equal(d.kind, "start");
    if (d.kind === "start") allocate(state, d.request, d.placement);
  }
  for (let n = 0; n < state.nodeCount; n++) {
    const devs = Array.from(state.devFree.subarray(state.devOffset[n], state.devOffset[n + 1]));
    assert.equal(state.devIdle[n], devs.filter((f) => f === 1000).length);
    assert.equal(
      state.devFreeSum[n],
      devs.reduce((s, f) => s + f, 0),
    );
  }
});
