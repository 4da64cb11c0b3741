import assert from "node:assert/strict";
import { test } from "node:test";
import { workload } from "../../test/support/workloads.ts";
import { createRng } from "../core/rng.ts";
import { gamma, rateShape, sampleArrivals } from "./arrivals.ts";
import { RuntimeModel } from "./history.ts";

const at = (times: number[]) => times.map((t, i) => workload(`s${i}`).at(t).build());

test("rateShape: even hourly counts are Poisson (Infinity), bursts give a finite shape", () => {
  // 2 submissions in each of 24 hours: variance 0 ≤ mean 2.
  const even = at(Array.from({ length: 48 }, (_, i) => 1800 * i + 1));
  assert.equal(rateShape(even, 0, 86_400), Number.POSITIVE_INFINITY);
  // All 48 in the first hour: mean 2, variance 48² / 24 − … ≫ 2.
  const burst = at(Array.from({ length: 48 }, (_, i) => i));
  const k = rateShape(burst, 0, 86_400);
  // counts: one 48, 23 zeros: m = 2, v = (46² + 23 × 2²) / 23 = 96; k = 4 / 94.
  assert.ok(Math.abs(k - 4 / 94) < 1e-9, `k ${k}`);
  // Under four hours of window: too few bins to tell.
  assert.equal(rateShape(burst, 0, 3 * 3600), Number.POSITIVE_INFINITY);
});

test("gamma: mean k and variance k over many draws", () => {
  const rng = createRng(5);
  for (const k of [0.5, 2, 10]) {
    const xs = Array.from({ length: 20_000 }, () => gamma(k, rng));
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    assert.ok(Math.abs(m - k) < 0.05 * k + 0.02, `k ${k}: mean ${m}`);
    assert.ok(Math.abs(v - k) < 0.1 * k + 0.05, `k ${k}: variance ${v}`);
  }
});

test("sampleArrivals: an over-dispersed rate spreads the count between runs", () => {
  const recent = at(Array.from({ length: 100 }, (_, i) => 800 * i));
  const model = new RuntimeModel(recent.map((w) => ({ ...w, duration: 600 })));
  const counts = (shape: number) =>
    Array.from({ length: 200 }, (_, k) => {
      const rng = createRng(k + 1);
      return sampleArrivals(recent, 86_400, 86_400, model, rng, shape).length;
    });
  const sd = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
  };
  // Poisson with mean 100: sd 10. Shape 4: sd ≈ √(100 + 100² / 4) ≈ 51.
  const poisson = sd(counts(Number.POSITIVE_INFINITY));
  const spread = sd(counts(4));
  assert.ok(poisson > 6 && poisson < 14, `poisson sd ${poisson}`);
  assert.ok(spread > 35, `spread sd ${spread}`);
});
