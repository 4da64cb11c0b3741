import assert from "node:assert/strict";
import { test } from "node:test";
import { workload } from "../../test/support/workloads.ts";
import { createRng } from "../core/rng.ts";
import { batchEffects, batchSigma } from "./batch.ts";

/** 10 jobs in each of 12 hours, run time `runtime(hour, k)`. */
const history = (runtime: (h: number, k: number) => number) =>
  Array.from({ length: 120 }, (_, i) =>
    workload(`f${i}`)
      .at(3600 * Math.floor(i / 10) + (i % 10))
      .runs(runtime(Math.floor(i / 10), i % 10))
      .build(),
  );

test("batchSigma: 0 when hours look alike, the hourly spread when they differ", () => {
  // Every hour holds the same ten run times 100..1,000 s: hourly means equal.
  assert.equal(batchSigma(history((_, k) => 100 * (k + 1))), 0);
  // Hour h runs e^(h mod 2) × 600 s, nothing varies within an hour: log means alternate
  // 0 and 1 around ½, so σ² = ¼ · 12 / 11.
  const sigma = batchSigma(history((h) => 600 * Math.exp(h % 2)));
  assert.ok(Math.abs(sigma - Math.sqrt(12 / 44)) < 1e-6, `σ ${sigma}`);
  // Two hours only (10 + 5 jobs): fewer than three with two or more, cannot tell.
  assert.equal(batchSigma(history((h) => 600 * Math.exp(h % 2)).slice(0, 15)), 0);
});

test("batchEffects: one multiplier per hour, the same on every call", () => {
  const effect = batchEffects(0.5, createRng(1));
  assert.equal(effect(10), effect(3599));
  assert.notEqual(effect(10), effect(3600));
  assert.equal(batchEffects(0, createRng(1))(10), 1);
});
