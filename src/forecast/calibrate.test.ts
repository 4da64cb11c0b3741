import assert from "node:assert/strict";
import { test } from "node:test";
import { Calibration, conformalQuantile, NO_SHIFT, widen } from "./calibrate.ts";
import type { JobForecast } from "./types.ts";

const band = (id: string, p10: number, p50: number, p90: number): JobForecast => ({
  id,
  p10,
  p50,
  p90,
  outcome: "scheduled",
  reason: "",
});

test("conformalQuantile takes the ⌈q(n + 1)⌉-th smallest, the largest past n", () => {
  const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(conformalQuantile(xs, 0.5), 6); // ⌈5.5⌉ = 6th
  assert.equal(conformalQuantile(xs, 0.9), 10); // ⌈9.9⌉ = 10th
  assert.equal(conformalQuantile(xs, 0.99), 10);
});

test("no shift until enough forecasts have resolved, and never from forecasts made at or after now", () => {
  const c = new Calibration({ minScores: 3, spacing: 0 });
  c.record(0, [band("a", 100, 200, 300), band("b", 100, 200, 300)]);
  const startedLate = () => 1000;
  assert.deepEqual(c.shift(2000, startedLate), NO_SHIFT, "2 scores < 3");
  c.record(2000, [band("c", 100, 200, 300)]);
  assert.deepEqual(c.shift(2000, startedLate), NO_SHIFT, "c was made at now: not read");
  assert.equal(c.shift(2001, startedLate).scores, 3);
});

test("late starts widen the top of the band until it would have held them", () => {
  const c = new Calibration({ minScores: 10, spacing: 0 });
  // 40 forecasts of [600, 1200] s whose jobs all started 2400 s after the forecast.
  const ids = Array.from({ length: 40 }, (_, i) => `j${i}`);
  c.record(
    0,
    ids.map((id) => band(id, 600, 900, 1200)),
  );
  const shift = c.shift(10_000, () => 2400);
  assert.ok(shift.upper > 0 && shift.lower < 0, JSON.stringify(shift));
  const next = widen(band("n", 600, 900, 1200), shift, 86_400);
  assert.equal(next.p90, 2400, "the P90 moves up to where they started");
  assert.equal(next.p10, 900, "the P10 moves up too (no job started early), but not past the P50");
  assert.equal(next.p50, 900, "the P50 is the simulation's");
});

test("a job still waiting past its P90 counts as a late miss before it starts", () => {
  const c = new Calibration({ minScores: 10, spacing: 0 });
  c.record(
    0,
    Array.from({ length: 20 }, (_, i) => band(`j${i}`, 60, 120, 300)),
  );
  const shift = c.shift(3600, () => undefined); // none started, all waited an hour
  assert.equal(shift.scores, 20);
  assert.equal(widen(band("n", 60, 120, 300), shift, 86_400).p90, 3600);
  // Inside their band and not started: not counted yet.
  assert.deepEqual(
    c.shift(200, () => undefined),
    NO_SHIFT,
  );
});

test("forecasts of one job are recorded once per spacing, and the book keeps the newest", () => {
  const c = new Calibration({ minScores: 1, spacing: 600, keep: 3, memory: 1 });
  for (let t = 0; t < 1200; t += 60) c.record(t, [band("a", 10, 20, 30)]);
  assert.deepEqual([...c.ids()], ["a"]);
  assert.equal(c.shift(5000, () => 25).scores, 2, "at 0 and at 600");
  c.record(5000, [band("b", 1, 2, 3), band("c", 1, 2, 3), band("d", 1, 2, 3)]);
  assert.deepEqual([...c.ids()], ["b", "c", "d"]);
});

test("a long queue forecast every 5 minutes: the book spans its memory, not one computation", () => {
  const o = { minScores: 1, spacing: 600, keep: 1000, memory: 36 * 3600 };
  const c = new Calibration(o);
  // 2,000 jobs waiting at each computation (ids say when: the book's span is readable).
  const queue = (t: number) =>
    Array.from({ length: 2000 }, (_, i) => band(`${t}/${i}`, 60, 3600, 7200));
  const end = 48 * 3600;
  for (let t = 0; t <= end; t += 300) c.record(t, queue(t));
  const kept = [...c.ids()].map((id) => id.split("/").map(Number));
  assert.equal(kept.length, 1000);
  // Each computation keeps 1,000 × 300 / 129,600 ≈ 2.3: the oldest is from 36 h before.
  const oldest = Math.min(...kept.map(([t]) => t));
  assert.ok(
    Math.abs(end - oldest - 36 * 3600) <= 600,
    `oldest kept is ${(end - oldest) / 3600} h old`,
  );
  const first = new Calibration(o);
  first.record(0, queue(0));
  const jobs = [...first.ids()].map((id) => Number(id.split("/")[1]));
  assert.equal(jobs.length, 1000, "the first computation may fill the book");
  assert.ok(Math.min(...jobs) < 20 && Math.max(...jobs) > 1980, "chosen over the whole queue");
  const again = new Calibration(o);
  again.record(0, queue(0));
  assert.deepEqual([...again.ids()], [...first.ids()], "the same inputs keep the same ones");
});

test("widen leaves unshifted and bandless forecasts alone, and a P90 past the horizon is null", () => {
  const f = band("a", 100, 200, 300);
  assert.equal(widen(f, NO_SHIFT, 86_400), f);
  const never: JobForecast = { ...f, p10: null, p50: null, p90: null, outcome: "never" };
  assert.equal(widen(never, { lower: 1, upper: 1, scores: 50 }, 86_400), never);
  assert.equal(widen(f, { lower: 0, upper: 10, scores: 50 }, 86_400).p90, null);
});

test("the levels adapt: held bands narrow a side, misses widen it, and a late miss counts once", () => {
  const c = new Calibration({ minScores: 10, spacing: 0, gamma: 0.01, target: 0.8 });
  const ids = (p: string) => Array.from({ length: 40 }, (_, i) => `${p}${i}`);
  const z = (x: number) => Math.log(x + 60);
  // 40 bands [600, 1200] that held: each side's α rises by 40 × 0.01 × 0.1 to 0.14.
  c.record(
    0,
    ids("a").map((id) => band(id, 600, 900, 1200)),
  );
  const starts = new Map(ids("a").map((id) => [id, 900]));
  const held = c.shift(1000, (id) => starts.get(id));
  const heldScores = ids("a").map(() => z(600) - z(900));
  assert.equal(held.lower, conformalQuantile(heldScores, 0.86));
  // 40 more, served with that shift, still waiting 5,000 s later: 40 late misses take
  // the upper α to 0.14 − 40 × 0.01 × 0.9 = −0.22: the largest upper score.
  c.record(
    1000,
    ids("b").map((id) => band(id, 600, 900, 1200)),
    held,
  );
  const late = c.shift(6000, (id) => starts.get(id));
  assert.equal(late.upper, z(5000) - z(1200), "the largest score: the longest wait so far");
  // They start at 8,000: the upper side does not count them again (still the largest
  // score), the lower side counts 40 holds.
  for (const id of ids("b")) starts.set(id, 8000);
  const after = c.shift(9000, (id) => starts.get(id));
  assert.equal(after.upper, z(7000) - z(1200));
  const lowerScores = [...heldScores, ...ids("b").map(() => z(600) - z(7000))];
  assert.equal(after.lower, conformalQuantile(lowerScores, 0.82), "α 0.14 + 40 × 0.001");
});

test("a saved book restores to one that answers and goes on as the original does", () => {
  const o = { minScores: 5, spacing: 600, gamma: 0.01 };
  const a = new Calibration(o);
  const starts = new Map<string, number>();
  for (let k = 0; k < 4; k++) {
    const t = k * 3600;
    a.record(
      t,
      Array.from({ length: 10 }, (_, i) => band(`${k}.${i}`, 60, 600, 1200)),
    );
    for (let i = 0; i < 10; i += 2) starts.set(`${k}.${i}`, t + 500 * i);
  }
  const shiftAt = (c: Calibration, t: number) => c.shift(t, (id) => starts.get(id));
  const saved = JSON.parse(JSON.stringify(a.save()));
  const b = Calibration.restore(saved, o);
  assert.equal(b.size, a.size);
  assert.deepEqual(b.save(), a.save(), "the same book");
  const shifted = shiftAt(a, 20_000);
  assert.ok(shifted.scores >= 20 && shifted.upper !== 0, JSON.stringify(shifted));
  assert.deepEqual(shiftAt(b, 20_000), shifted, "the same shift (and levels moved alike)");
  // Spacing survives: "3.0" was recorded at 10,800, so at 11,000 it is not again.
  for (const c of [a, b])
    c.record(11_000, [band("3.0", 60, 600, 1200), band("new", 60, 600, 1200)]);
  assert.deepEqual(b.save(), a.save(), "and the same after more forecasts");
  const smaller = Calibration.restore(saved, { ...o, keep: 3 });
  assert.deepEqual([...smaller.ids()], ["3.7", "3.8", "3.9"], "a smaller book keeps the newest");
});
