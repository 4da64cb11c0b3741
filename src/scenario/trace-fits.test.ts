import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../core/rng.ts";
import {
  cluster,
  gangSizes,
  logNormalFromMedianMean,
  openbSingleGpuShapes,
  pick,
  sampleLogNormal,
} from "./trace-fits.ts";

test("data/helios/cluster_summary.csv: the rows the generator uses", () => {
  // Philly: median 874 s, mean 18,006 s; PAI median 481 s; Kalos 26.77 GPUs per job
  assert.deepEqual(
    [cluster("Philly").medianRunTime, cluster("Philly").meanRunTime],
    [874, 18006.055],
  );
  assert.equal(cluster("PAI").medianRunTime, 480.667);
  assert.equal(cluster("Kalos").meanGpus, 26.77);
  assert.throws(() => cluster("Venus"), /no cluster "Venus".*Seren, Kalos, Philly, Helios, PAI/);
});

test("log-normal from median and mean: mu = ln m, sigma = sqrt(2 ln(mean/m))", () => {
  const d = logNormalFromMedianMean(874, 18006.055, 0, Number.POSITIVE_INFINITY);
  assert.ok(Math.abs(d.mu - Math.log(874)) < 1e-12);
  // ln(18006 / 874) = 3.025 → sigma = sqrt(6.05) = 2.46
  assert.ok(Math.abs(d.sigma - 2.4597) < 1e-3, String(d.sigma));
  // the sample median of 20,001 draws is within 5 % of 874
  const rng = createRng(9);
  const xs = Array.from({ length: 20_001 }, () => sampleLogNormal(d, rng)).sort((a, b) => a - b);
  assert.ok(Math.abs(xs[10_000] / 874 - 1) < 0.05, String(xs[10_000]));
  assert.throws(() => logNormalFromMedianMean(10, 5, 0, 1), /median <= mean/);
});

test("draws are clamped to [min, max] and whole seconds", () => {
  const d = logNormalFromMedianMean(100, 10_000, 60, 3600);
  const rng = createRng(1);
  for (let i = 0; i < 2000; i++) {
    const x = sampleLogNormal(d, rng);
    assert.ok(x >= 60 && x <= 3600 && Number.isInteger(x));
  }
});

// Gang sizes: mean asked for → the mean the table gives.
const GANG_CASES: [number, number][] = [
  [26.77 / 8, 16], // Kalos in members of 8: 3.35
  [1, 16], // everything single
  [2, 4],
  [100, 16], // beyond reach: clamped at the largest size
];

for (const [mean, max] of GANG_CASES) {
  test(`gangSizes(${mean.toFixed(2)}, ${max}): decreasing powers of two with that mean`, () => {
    const table = gangSizes(mean, max);
    const sizes = table.map(([s]) => s);
    assert.deepEqual(
      sizes,
      [1, 2, 4, 8, 16].filter((s) => s <= max),
    );
    const total = table.reduce((a, [, p]) => a + p, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
    const got = table.reduce((a, [s, p]) => a + s * p, 0);
    assert.ok(Math.abs(got - Math.min(mean, max)) < 1e-3 || mean >= max * 0.99, `${got}`);
    if (mean < 2) for (let k = 1; k < table.length; k++) assert.ok(table[k][1] <= table[k - 1][1]);
  });
}

test("pick follows the probabilities", () => {
  const rng = createRng(5);
  const n = 10_000;
  let a = 0;
  for (let i = 0; i < n; i++)
    if (
      pick(
        [
          ["a", 0.3],
          ["b", 0.7],
        ],
        rng,
      ) === "a"
    )
      a++;
  assert.ok(Math.abs(a / n - 0.3) < 0.02);
});

test("openb single-GPU shapes: real pods asking for one whole or shared GPU", () => {
  const shapes = openbSingleGpuShapes();
  assert.equal(shapes.length, 6989); // of 8,152 pods in openb_pod_list_default.csv
  assert.ok(shapes.every((s) => s.deviceMilli >= 1 && s.deviceMilli <= 1000));
  assert.ok(shapes.filter((s) => s.deviceMilli < 1000).length > 3000); // 3,078 fractional
});
