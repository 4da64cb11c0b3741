import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../core/rng.ts";
import { EventHeap, type HeapEvent } from "./engine.ts";

function drain(h: EventHeap): HeapEvent[] {
  const out: HeapEvent[] = [];
  for (let e = h.pop(); e !== undefined; e = h.pop()) out.push(e);
  return out;
}

test("pops by time, then priority, then insertion order", () => {
  const h = new EventHeap(2); // small capacity: pushes must grow it
  const pushes: [number, number, number][] = [
    // [time, priority, data]
    [5, 1, 0],
    [5, 0, 1],
    [1, 2, 2],
    [5, 1, 3],
    [5, 0, 4],
    [3, 0, 5],
    [5, 1, 6],
  ];
  for (const [t, p, d] of pushes) h.push(t, p, d);
  assert.equal(h.size, 7);
  assert.equal(h.peekTime(), 1);
  // t=1; t=3; t=5 p0 in push order (1, 4); t=5 p1 in push order (0, 3, 6).
  assert.deepEqual(
    drain(h).map((e) => e.data),
    [2, 5, 1, 4, 0, 3, 6],
  );
  assert.equal(h.size, 0);
  assert.equal(h.peekTime(), Number.POSITIVE_INFINITY);
  assert.equal(h.pop(), undefined);
});

test("a thousand equal keys pop in insertion order", () => {
  const h = new EventHeap();
  for (let i = 0; i < 1000; i++) h.push(7, 0, i);
  assert.deepEqual(
    drain(h).map((e) => e.data),
    Array.from({ length: 1000 }, (_, i) => i),
  );
});

test("payloads and the reusable out record", () => {
  const h = new EventHeap();
  h.push(2, 1, 42, 9);
  h.push(1, 0, -1, 3);
  const out: HeapEvent = { time: 0, priority: 0, data: 0, tag: 0 };
  assert.equal(h.pop(out), out);
  assert.deepEqual(out, { time: 1, priority: 0, data: -1, tag: 3 });
  h.pop(out);
  assert.deepEqual(out, { time: 2, priority: 1, data: 42, tag: 9 });
});

test("interleaved pushes and pops match a sorted reference", () => {
  const rng = createRng(3);
  const h = new EventHeap(1);
  const ref: { t: number; p: number; s: number }[] = [];
  let seq = 0;
  const popped: number[] = [];
  const expected: number[] = [];
  for (let step = 0; step < 5000; step++) {
    if (rng.next() < 0.6 || ref.length === 0) {
      const t = rng.int(50);
      const p = rng.int(3);
      h.push(t, p, seq);
      ref.push({ t, p, s: seq++ });
    } else {
      ref.sort((a, b) => a.t - b.t || a.p - b.p || a.s - b.s);
      expected.push(ref.shift()!.s);
      popped.push(h.pop()!.data);
    }
  }
  assert.deepEqual(popped, expected);
  assert.equal(h.size, ref.length);
});
