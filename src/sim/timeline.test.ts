import assert from "node:assert/strict";
import { test } from "node:test";
import { Timeline } from "./timeline.ts";

test("time-weighted means treat samples as steps", () => {
  const tl = new Timeline(0);
  tl.sample(0, 50, 10, 1, 1); // 50 % for 0..100
  tl.sample(100, 100, 0, 0, 1); // 100 % for 100..150
  tl.close(150);
  // (50 · 100 + 100 · 50) / 150 = 66.67; fragmentation (10 · 100) / 150 = 6.67
  assert.equal(tl.meanAllocation().toFixed(4), "66.6667");
  assert.equal(tl.meanFragmentation().toFixed(4), "6.6667");
});

test("the window starts at windowStart; earlier samples only set the opening value", () => {
  const tl = new Timeline(10);
  tl.sample(0, 80, 0, 0, 0); // in force from 10 to 20
  tl.sample(20, 20, 0, 0, 0); // 20..30
  tl.close(30);
  // (80 · 10 + 20 · 10) / 20 = 50
  assert.equal(tl.meanAllocation(), 50);
});

test("a window of no length reports the last value; close adds a closing point", () => {
  const tl = new Timeline(0);
  tl.sample(0, 25, 5, 0, 1);
  tl.close(0);
  assert.equal(tl.meanAllocation(), 25);
  assert.equal(tl.points().length, 1);
  const later = new Timeline(0);
  later.sample(0, 25, 5, 0, 1);
  later.close(10);
  assert.deepEqual(
    later.points().map((p) => [p.t, p.allocation]),
    [
      [0, 25],
      [10, 25],
    ],
  );
});

test("thinning keeps the first point and the last of each time bucket", () => {
  const tl = new Timeline(0, 5);
  // 100 samples at t = 0..99, allocation = t; 4 buckets of width 99/4 = 24.75.
  for (let t = 0; t < 100; t++) tl.sample(t, t, 0, 0, 0);
  tl.close(99);
  // Buckets end at samples 24 (< 24.75), 49 (< 49.5), 74 (< 74.25) and 99.
  assert.deepEqual(
    tl.points().map((p) => p.t),
    [0, 24, 49, 74, 99],
  );
  const big = new Timeline(0);
  for (let t = 0; t < 100_000; t++) big.sample(t * 0.37, t % 100, 0, 0, 0);
  big.close(99_999 * 0.37);
  const pts = big.points();
  assert.ok(pts.length <= 500 && pts.length > 400, `got ${pts.length} points`);
  assert.deepEqual(pts, big.points(), "deterministic");
});
