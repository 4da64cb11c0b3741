import assert from "node:assert/strict";
import { test } from "node:test";
import { logTicks } from "./sim-charts.ts";

test("logTicks brackets the data with round durations", () => {
  const cases: [number, number, number[]][] = [
    // 45 s .. 17 h: from 10 s (≤ 45 s) to 1 d (≥ 17 h)
    [45, 61200, [10, 60, 600, 3600, 36000, 86400]],
    // exactly on ticks: no extra tick beyond
    [60, 3600, [60, 600, 3600]],
    // sub-second jobs
    [0.05, 30, [0.01, 0.1, 1, 10, 60]],
  ];
  for (const [lo, hi, want] of cases) {
    const got = logTicks(lo, hi);
    assert.deepEqual(got.ticks, want, `${lo}..${hi}`);
    assert.equal(got.min, want[0]);
    assert.equal(got.max, want[want.length - 1]);
  }
});
