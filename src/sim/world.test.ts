import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet, job } from "../../test/support/builders.ts";
import { GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import type { PolicyName } from "../core/registry.ts";
import type { SimMetrics } from "./result.ts";
import { type SimInput, simulate } from "./world.ts";

const oneNode = () => fleet().node("n0", "h100", 8).build();
const twoSingles = () => fleet().node("n0", "h100", 1).node("n1", "h100", 1).build();

/** One node of 8 devices of a type twice as fast as an H100. */
const fastNode = (): Fleet => ({
  name: "fast",
  deviceTypes: [{ id: "x2", vendor: "test", memoryGiB: 80, speed: 2 }],
  sites: [
    {
      id: "s",
      residency: [],
      racks: [
        {
          id: "r",
          domains: [
            {
              id: "d",
              nodes: [
                { id: "n0", deviceType: "x2", devices: 8, cpuMilli: 64_000, memoryMiB: 1 << 19 },
              ],
            },
          ],
        },
      ],
    },
  ],
});

function run(input: Partial<SimInput> & Pick<SimInput, "jobs">): SimMetrics {
  return simulate({ fleet: oneNode(), policy: "firstfit", seed: 1, ...input }).metrics;
}

test("table: job outcomes", () => {
  const cases: {
    name: string;
    input: Partial<SimInput> & Pick<SimInput, "jobs">;
    expect: Partial<SimMetrics>;
  }[] = [
    {
      // a takes 4 of 8 GPUs for 100 s; b wants all 8, so it starts at 100 and ends at 150.
      name: "a job waits for capacity",
      input: { jobs: [job("a").gpus(4).runs(100).build(), job("b").gpus(8).runs(50).build()] },
      expect: { completed: 2, makespan: 150, meanAllocation: 66.666667 }, // (50 % · 100 s + 100 % · 50 s) / 150 s
    },
    {
      // 100 s of work at speed 2 ends at 50.
      name: "device speed shortens the run",
      input: { fleet: fastNode(), jobs: [job("a").gpus(1).runs(100).build()] },
      expect: { completed: 1, makespan: 50 },
    },
    {
      name: "CPU-only work runs at speed 1 anywhere",
      input: { fleet: fastNode(), jobs: [job("a").gpus(0).runs(100).build()] },
      expect: { completed: 1, makespan: 100 },
    },
    {
      // 9 GPUs > 8 on the only node: rejected, never waits.
      name: "a job that can never fit is rejected",
      input: { jobs: [job("big").gpus(9).build(), job("ok").gpus(1).runs(10).build()] },
      expect: { completed: 1, rejected: 1, unfinished: 0, makespan: 10 },
    },
    {
      name: "a job that never ends stays unfinished",
      input: { jobs: [job("svc").gpus(2).runs(Number.POSITIVE_INFINITY).build()] },
      expect: { completed: 0, unfinished: 1, makespan: 0, meanAllocation: 25 }, // 2 of 8 GPUs, window of length 0
    },
    {
      // a: 4 GPUs 0..100, b: 4 GPUs 0..1000, cut at 500: 100 % for 100 s, 50 % for 400 s → 60 %.
      name: "until cuts the run short",
      input: {
        until: 500,
        jobs: [job("a").gpus(4).runs(100).build(), job("b").gpus(4).runs(1000).build()],
      },
      expect: { completed: 1, unfinished: 1, meanAllocation: 60 },
    },
  ];
  for (const c of cases) {
    const m = run(c.input);
    for (const [k, v] of Object.entries(c.expect))
      assert.deepEqual(m[k as keyof SimMetrics], v, `${c.name}: ${k}`);
  }
});

test("queueing delay and JCT per job", () => {
  const m = run({ jobs: [job("a").gpus(4).runs(100).build(), job("b").gpus(8).runs(50).build()] });
  // JCT: a 100, b 150 → mean 125; waits: a 0, b 100 → mean 50.
  assert.deepEqual(m.jct, { count: 2, mean: 125, p50: 100, p95: 150, p99: 150, max: 150 });
  assert.deepEqual(m.queueingDelay, { count: 2, mean: 50, p50: 0, p95: 100, p99: 100, max: 100 });
  assert.deepEqual(m.jctCdf, [
    [100, 0.5],
    [150, 1],
  ]);
});

test("a node that joins later is absent until then", () => {
  // n1 joins at 50: b waits 50 s for it and ends at 150.
  const m = run({
    fleet: twoSingles(),
    capacityEvents: [{ time: 50, node: "n1", kind: "join" }],
    jobs: [job("a").runs(100).build(), job("b").runs(100).build()],
  });
  assert.equal(m.queueingDelay.max, 50);
  assert.equal(m.makespan, 150);
});

test("a node that leaves lets its work finish but takes no more", () => {
  // a runs 0..100 on n0, which leaves at 10; b (t=20) has nowhere to go.
  const m = run({
    fleet: fleet().node("n0", "h100", 1).build(),
    capacityEvents: [{ time: 10, node: "n0", kind: "leave" }],
    jobs: [job("a").runs(100).build(), job("b").at(20).runs(10).build()],
  });
  assert.deepEqual([m.completed, m.unfinished, m.makespan], [1, 1, 100]);
});

test("a node failure kills its work, which restarts elsewhere with its old submit time", () => {
  // a starts on n0 at 0 (first fit); n0 fails at 30; a restarts on n1 and runs 30..130.
  // Its first completion event (t=100) must be ignored.
  const m = run({
    fleet: twoSingles(),
    capacityEvents: [{ time: 30, node: "n0", kind: "fail" }],
    jobs: [job("a").runs(100).build()],
  });
  assert.deepEqual([m.completed, m.restarts, m.makespan, m.queueingDelay.max], [1, 1, 130, 0]);
  // Device time is charged for the lost run too: 30 + 100 = 130 device-seconds.
  assert.equal(m.tenants[0].deviceSeconds, 130);
});

test("tenants' device-second shares and Jain's index", () => {
  // x: 2 GPUs × 100 s = 200, y: 1 GPU × 100 s = 100 → shares 2/3, 1/3;
  // Jain = (2/3 + 1/3)² / (2 · (4/9 + 1/9)) = 1 / (10/9) = 0.9.
  const m = run({
    jobs: [job("a").gpus(2).tenant("x").build(), job("b").gpus(1).tenant("y").build()],
  });
  assert.deepEqual(
    m.tenants.map((t) => [t.tenant, t.deviceSeconds, t.share]),
    [
      ["x", 200, 0.666667],
      ["y", 100, 0.333333],
    ],
  );
  assert.equal(m.jainIndex, 0.9);
  assert.equal(run({ jobs: [job("a").build()] }).jainIndex, 1);
});

test("the priority queue lets a later, more important job go first", () => {
  // a holds the node 0..100; b (t=1) and c (t=2, priority 5) both want all of it.
  const jobs = [
    job("a").gpus(8).build(),
    job("b").gpus(8).at(1).build(),
    job("c").gpus(8).at(2).priority(5).build(),
  ];
  const fifo = simulate({ fleet: oneNode(), jobs, policy: "firstfit", seed: 1 }).metrics;
  const prio = simulate({
    fleet: oneNode(),
    jobs,
    policy: "firstfit",
    seed: 1,
    queue: "priority",
  }).metrics;
  // fifo: b waits 99, c waits 198; priority: c waits 98, b waits 199.
  assert.equal(fifo.tenants[0].queueingDelay.max, 198);
  assert.equal(prio.tenants[0].queueingDelay.max, 199);
});

test("same input and seed give byte-identical results; progress ends at the total", () => {
  const jobs = Array.from({ length: 60 }, (_, i) =>
    job(`j${i}`)
      .at(i % 7)
      .share(250 * (1 + (i % 4)))
      .runs(10 + (i % 5))
      .tenant(`t${i % 3}`)
      .build(),
  );
  const f = fleet().node("a", "h100", 2).node("b", "h100", 2).node("c", "a100", 4).build();
  for (const policy of ["random", "fgd", "bestfit"] as PolicyName[]) {
    const calls: [number, number][] = [];
    const once = () =>
      JSON.stringify(
        simulate({ fleet: f, jobs, policy, seed: 7, onProgress: (d, t) => calls.push([d, t]) }),
      );
    assert.equal(once(), once(), policy);
    assert.deepEqual(calls.at(-1), [60, 60]);
  }
});

test("partial node scans on a big fleet stay deterministic", () => {
  // 2,500 nodes > the 2,000 the core scans whole under "adaptive": each job tried
  // draws a random scan start.
  const b = fleet();
  for (let i = 0; i < 2500; i++) b.node(`n${i}`, "h100", 1);
  const f = b.build();
  const jobs = Array.from({ length: 3000 }, (_, i) =>
    job(`j${i}`)
      .at(i % 50)
      .runs(20 + (i % 13))
      .build(),
  );
  const once = () => JSON.stringify(simulate({ fleet: f, jobs, policy: "bestfit", seed: 3 }));
  const first = once();
  assert.equal(once(), first);
  assert.equal(JSON.parse(first).metrics.completed, 3000);
});

test("bad input throws coded errors", () => {
  assert.throws(
    () => simulate({ fleet: oneNode(), jobs: [], policy: "nope" as PolicyName, seed: 1 }),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_POLICY_UNKNOWN",
  );
  assert.throws(
    () => run({ jobs: [], capacityEvents: [{ time: 1, node: "ghost", kind: "fail" }] }),
    (e: unknown) =>
      e instanceof GongjangError && e.code === "GJ_ERR_ARGUMENT" && /ghost/.test(e.message),
  );
});

test("an empty trace gives an empty, valid result", () => {
  const r = simulate({ fleet: oneNode(), jobs: [], policy: "fgd", seed: 1 });
  assert.deepEqual(
    [r.metrics.jobs, r.metrics.makespan, r.metrics.jainIndex, r.cycles],
    [0, 0, 1, 0],
  );
});
