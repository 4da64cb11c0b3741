import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, shuffle } from "./rng.ts";

test("equal seeds give equal sequences; different seeds differ", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const sa = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(
    sa,
    Array.from({ length: 20 }, () => b.next()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 20 }, () => c.next()),
  );
});

test("int(n) stays in [0, n) and is roughly uniform", () => {
  const rng = createRng(1);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
  // 100,000 draws / 10 buckets = 10,000 each; allow ±5 %.
  for (const c of counts) assert.ok(c > 9_500 && c < 10_500, `bucket ${c}`);
});

test("shuffle is a permutation and seed-determined", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s1 = shuffle([...items], createRng(9));
  const s2 = shuffle([...items], createRng(9));
  assert.deepEqual(s1, s2);
  assert.deepEqual(
    [...s1].sort((x, y) => x - y),
    items,
  );
  assert.notDeepEqual(s1, items);
});
