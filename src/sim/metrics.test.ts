import assert from "node:assert/strict";
import { test } from "node:test";
import { job } from "../../test/support/builders.ts";
import {
  buildMetrics,
  cdf,
  distribution,
  JobState,
  jainIndex,
  percentile,
  round6,
} from "./metrics.ts";
import { Timeline } from "./timeline.ts";

test("table: nearest-rank percentiles", () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const cases: [number[], number, number][] = [
    // [sorted values, p, expected]
    [ten, 50, 5], // rank ⌈0.5 · 10⌉ = 5 → 5
    [ten, 95, 10], // rank ⌈9.5⌉ = 10
    [ten, 10, 1], // rank ⌈1⌉ = 1
    [ten, 11, 2], // rank ⌈1.1⌉ = 2
    [[7], 99, 7],
    [[], 50, 0],
    [[10, 30], 50, 10], // rank ⌈1⌉ = 1
  ];
  for (const [values, p, want] of cases)
    assert.equal(percentile(values, p), want, `p${p} of [${values}]`);
});

test("distribution: count, mean, percentiles and max of unsorted values", () => {
  // jobs end at 30, 10 → mean 20, p50 = rank 1 = 10, p95 = rank 2 = 30.
  assert.deepEqual(distribution([30, 10]), {
    count: 2,
    mean: 20,
    p50: 10,
    p95: 30,
    p99: 30,
    max: 30,
  });
  assert.deepEqual(distribution([]), { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  // 1/3 rounds to 6 decimals.
  assert.equal(distribution([0, 0, 1]).mean, 0.333333);
});

test("cdf: at most maxPoints points, ending at (max, 1)", () => {
  assert.deepEqual(cdf([1, 2, 3, 4]), [
    [1, 0.25],
    [2, 0.5],
    [3, 0.75],
    [4, 1],
  ]);
  // 10 samples into 4 points: ranks ⌈10k/4⌉ = 3, 5, 8, 10.
  assert.deepEqual(cdf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4), [
    [3, 0.3],
    [5, 0.5],
    [8, 0.8],
    [10, 1],
  ]);
  assert.equal(cdf(Array.from({ length: 1000 }, (_, i) => i)).length, 200);
  assert.deepEqual(cdf([]), []);
});

test("table: Jain's fairness index", () => {
  const cases: [number[], number][] = [
    [[1], 1], // one tenant
    [[0.5, 0.5], 1], // even
    [[1, 0], 0.5], // one of two takes all: 1/n
    [[2 / 3, 1 / 3], 0.9], // 1 / (2 · 5/9)
    [[], 1],
    [[0, 0], 1], // nothing used
  ];
  for (const [xs, want] of cases) assert.equal(round6(jainIndex(xs)), want, `[${xs}]`);
});

test("buildMetrics: counts, makespan, tenants sorted by name", () => {
  const jobs = [
    job("a").at(5).tenant("zeta").gpus(1).build(),
    job("b").at(0).tenant("alpha").gpus(2).build(),
    job("c").at(1).tenant("alpha").build(),
    job("d").at(2).tenant("alpha").build(),
  ];
  const tl = new Timeline(0);
  tl.sample(0, 0, 0, 0, 0);
  tl.close(40);
  const m = buildMetrics(
    {
      jobs,
      // a done 5..25, b done 0..40, c rejected, d still waiting.
      state: Uint8Array.from([JobState.Done, JobState.Done, JobState.Rejected, JobState.Pending]),
      firstStart: Float64Array.from([5, 10, Number.NaN, Number.NaN]),
      end: Float64Array.from([25, 40, Number.NaN, Number.NaN]),
      deviceSeconds: Float64Array.from([20, 60, 0, 0]),
      restarts: 0,
    },
    tl,
  );
  assert.deepEqual([m.jobs, m.completed, m.rejected, m.unfinished], [4, 2, 1, 1]);
  // first submit 0, last end 40 → 40. JCTs 20 (a), 40 (b) → mean 30. Waits 0 (a), 10 (b).
  assert.equal(m.makespan, 40);
  assert.equal(m.jct.mean, 30);
  assert.equal(m.queueingDelay.mean, 5);
  assert.deepEqual(
    m.tenants.map((t) => [t.tenant, t.jobs, t.deviceSeconds, t.share]),
    [
      ["alpha", 3, 60, 0.75], // 60 / 80
      ["zeta", 1, 20, 0.25],
    ],
  );
  // shares 0.75, 0.25 → 1 / (2 · 0.625) = 0.8
  assert.equal(m.jainIndex, 0.8);
});
