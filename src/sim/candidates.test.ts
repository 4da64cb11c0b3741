// The candidate walk must change no decision: on fleets the core scans whole, a run
// that hands each cycle only the picked candidates equals one that hands over the
// whole queue, byte for byte (apart from how many cycles ran).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet, job } from "../../test/support/builders.ts";
import { buildClusterState } from "../core/model/cluster.ts";
import type { Job } from "../core/model/job.ts";
import { compileRequest } from "../core/model/request.ts";
import { POLICIES, type PolicyName } from "../core/registry.ts";
import { createRng } from "../core/rng.ts";
import { fitCount } from "./candidates.ts";
import type { CapacityEvent } from "./capacity.ts";
import { type SimInput, simulate } from "./world.ts";

const mixed = () =>
  fleet()
    .node("h0", "h100", 8, 96, 1024)
    .node("h1", "h100", 8, 96, 1024)
    .node("h2", "h100", 8, 48, 256)
    .node("a0", "a100", 4, 64, 512)
    .node("a1", "a100", 4, 64, 512)
    .node("t0", "t4", 2, 32, 128)
    .node("t1", "t4", 4, 16, 64)
    .node("c0", null, 0, 64, 256)
    .build();

/** A seeded, overloaded mix: CPU-only, fractional, 1–8 whole devices, some typed. */
function workload(seed: number, count: number): Job[] {
  const rng = createRng(seed);
  let t = 0;
  return Array.from({ length: count }, (_, i) => {
    t += rng.int(3);
    const b = job(`j${String(i).padStart(4, "0")}`)
      .at(t)
      .cpu(1 + rng.int(12))
      .mem(1 + rng.int(48))
      .runs(5 + rng.int(60))
      .priority(rng.int(3))
      .tenant(`t${rng.int(3)}`);
    const kind = rng.int(5);
    if (kind === 0) b.gpus(0);
    else if (kind === 1) b.share(100 * (1 + rng.int(9)));
    else b.gpus([1, 1, 2, 4, 8][rng.int(5)]);
    if (rng.int(4) === 0) b.types(["h100", "a100", "t4"][rng.int(3)]);
    return b.build();
  });
}

const churn: CapacityEvent[] = [
  { time: 0, node: "a1", kind: "join" },
  { time: 40, node: "h1", kind: "fail" },
  { time: 90, node: "h1", kind: "join" },
  { time: 60, node: "t1", kind: "leave" },
  { time: 120, node: "a1", kind: "fail" },
];

test("picked candidates give the same run as the whole queue, for every policy and queue order", () => {
  const f = mixed();
  for (const policy of Object.keys(POLICIES) as PolicyName[]) {
    for (const [i, queue] of (["fifo", "sjf", "priority"] as const).entries()) {
      const input: SimInput = {
        fleet: f,
        jobs: workload(10 + i, 300),
        policy,
        seed: 3,
        queue,
        capacityEvents: churn,
      };
      const fast = simulate(input);
      const reference = simulate({ ...input, exhaustive: true });
      assert.ok(fast.cycles <= reference.cycles);
      assert.equal(
        JSON.stringify({ ...fast, cycles: 0 }),
        JSON.stringify({ ...reference, cycles: 0 }),
        `${policy}/${queue}`,
      );
    }
  }
});

test("…also with seeded rank tie-breaks and long single-shape queues", () => {
  const f = fleet().node("n0", "h100", 8).node("n1", "h100", 8).node("n2", "h100", 8).build();
  // 400 one-GPU jobs at once on 24 GPUs: one group, a long wait.
  const jobs = Array.from({ length: 400 }, (_, i) =>
    job(`j${i}`)
      .runs(10 + (i % 7))
      .build(),
  );
  for (const policy of ["random", "gpupacking", "fgd"] as PolicyName[]) {
    const input: SimInput = { fleet: f, jobs, policy, seed: 5, tieBreak: "rank" };
    const fast = simulate(input);
    assert.equal(
      JSON.stringify({ ...fast, cycles: 0 }),
      JSON.stringify({ ...simulate({ ...input, exhaustive: true }), cycles: 0 }),
      policy,
    );
  }
});

test("a fractional job's device choice is not guessed when free shares differ", () => {
  // a1 takes device 0, a2 half of device 1, a3 the other half: both full. A (half) and
  // B (whole) wait. At t=10 a1 and a3 end: free [1000, 500]. Best fit puts A on device 1,
  // leaving device 0 whole for B. Guessing "first fitting device" for A would leave
  // [500, 500] and wrongly drop B from the cycle.
  const f = fleet().node("n0", "h100", 2).build();
  const jobs = [
    job("a1").gpus(1).runs(10).build(),
    job("a2").share(500).runs(1000).build(),
    job("a3").share(500).runs(10).build(),
    job("A").share(500).at(1).runs(100).build(),
    job("B").gpus(1).at(2).runs(100).build(),
  ];
  const input: SimInput = { fleet: f, jobs, policy: "bestfit", seed: 1 };
  const fast = simulate(input);
  assert.equal(fast.metrics.queueingDelay.max, 9); // A waits 1..10, B waits 2..10 = 8
  assert.equal(
    JSON.stringify({ ...fast, cycles: 0 }),
    JSON.stringify({ ...simulate({ ...input, exhaustive: true }), cycles: 0 }),
  );
});

test("table: fitCount bounds how many jobs of a shape a node holds", () => {
  // One node: 8 devices, 64 cores, 512 GiB.
  const state = buildClusterState(fleet().node("n0", "h100", 8).build());
  state.devFree[0] = 300; // one device has 0.3 free
  const cases: [string, Job, number][] = [
    ["7 idle devices + 0.3 → 7 one-device jobs", job("a").gpus(1).build(), 7],
    ["⌊7/2⌋ = 3 two-device jobs", job("a").gpus(2).build(), 3],
    [
      "quarter shares: 7·4 + ⌊300/250⌋ = 29 slots, but ⌊64/2⌋ = 32 CPU → 29",
      job("a").share(250).cpu(2).build(),
      29,
    ],
    ["CPU binds: ⌊64/10⌋ = 6", job("a").gpus(1).cpu(10).build(), 6],
    ["memory binds: ⌊512/200⌋ = 2", job("a").gpus(1).mem(200).build(), 2],
    ["wrong type → 0", job("a").gpus(1).types("t4").build(), 0],
    ["CPU-only: ⌊64/3⌋ = 21", job("a").gpus(0).cpu(3).build(), 21],
  ];
  for (const [name, j, want] of cases)
    assert.equal(fitCount(state, compileRequest(state, j), 0, 1000), want, name);
  state.schedulable[0] = 0;
  assert.equal(
    fitCount(state, compileRequest(state, job("a").build()), 0, 1000),
    0,
    "cordoned → 0",
  );
});
