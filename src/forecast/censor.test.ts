import assert from "node:assert/strict";
import { test } from "node:test";
import { nextCap, QUANTILES, rerunsNeeded, spareRanks } from "./censor.ts";
import { quantile } from "./quantile.ts";
import type { RunResult } from "./runs.ts";

const INF = Number.POSITIVE_INFINITY;

/** A run's result from its starts by job; `cutAt` finite for a run cut there. */
function run(starts: number[], cutAt = INF): RunResult {
  return { starts: Float64Array.from(starts), cutAt, statuses: new Map() };
}

test("spare ranks: the latest starts no reported quantile reads", () => {
  assert.deepEqual(
    [1, 10, 11, 20, 21, 50].map((n) => spareRanks(n)),
    [0, 0, 0, 1, 1, 4],
  );
  // Whatever the spare top ranks hold (later, or never), the quantiles stay the same.
  for (let n = 1; n <= 60; n++) {
    const sorted = Array.from({ length: n }, (_, i) => i * 10);
    const changed = sorted.map((s, i) => (i >= n - spareRanks(n) ? INF : s));
    for (const q of QUANTILES) assert.equal(quantile(changed, q), quantile(sorted, q), `n ${n}`);
  }
});

test("no cap before three uncut runs have ended, then twice the latest end", () => {
  const done = [run([10, 50]), undefined, run([30, 40])];
  assert.equal(nextCap(20, done), INF);
  assert.equal(nextCap(20, [...done, run([5, 500], 400), run([70, 20])]), 140);
  // With 10 runs P90 reads the latest start: nothing may be cut.
  assert.equal(nextCap(10, [run([1]), run([2]), run([3])]), INF);
});

/** 20 runs: job 0 starts at k, job 1 at 100 + k in run k. */
function twenty(): RunResult[] {
  return Array.from({ length: 20 }, (_, k) => run([k, 100 + k]));
}

test("a run cut after every other run's starts needs no rerun", () => {
  const results = twenty();
  results[7] = run([7, INF], 500);
  assert.deepEqual(rerunsNeeded(results), []);
});

test("a cut before another run's known start is done again", () => {
  const results = twenty();
  results[7] = run([7, INF], 110);
  assert.deepEqual(rerunsNeeded(results), [7]);
});

test("two runs open on one job are more than the one spare rank: both again", () => {
  const results = twenty();
  results[3] = run([3, INF], 500);
  results[7] = run([INF, INF], 500);
  assert.deepEqual(rerunsNeeded(results), [3, 7]);
});

test("an open start beside a run that never started the job is done again", () => {
  const results = twenty();
  results[2] = run([2, INF]); // beyond the horizon, uncut: a known "never"
  results[7] = run([7, INF], 500);
  assert.deepEqual(rerunsNeeded(results), [7]);
});
