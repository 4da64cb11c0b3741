import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DeviceType } from "../model/fleet.ts";
import type { TenancySpec } from "./spec.ts";
import {
  borrowed,
  charge,
  compileTenancy,
  queueIndex,
  quotaBlock,
  withinGuarantee,
} from "./tree.ts";

const GPU: DeviceType = { id: "gpu", vendor: "t", memoryGiB: 80, speed: 1 };
const NPU: DeviceType = { id: "npu", vendor: "t", memoryGiB: 64, speed: 0.5 };
const K = 1000;

// Capacity 16 GPUs: a (guarantee 8, may borrow 4), b (guarantee 8, lends at most 2).
const SPEC: TenancySpec = {
  queues: [
    { path: "a/x", quota: { gpu: { guaranteed: 8, borrowLimit: 4 } } },
    { path: "b", weight: 2, quota: { gpu: { guaranteed: 8, lendLimit: 2 } } },
  ],
};

describe("compileTenancy", () => {
  test("adds implied parents and sums their guarantees from the children", () => {
    const tree = compileTenancy(SPEC, [GPU]);
    assert.deepEqual(tree.paths, ["", "a", "a/x", "b"]);
    assert.equal(tree.guaranteed[queueIndex(tree, "a")], 8 * K);
    assert.equal(tree.weight[queueIndex(tree, "b")], 2);
  });

  test("rejects an unknown device type with its JSON path", () => {
    assert.throws(
      () => compileTenancy({ queues: [{ path: "a", quota: { tpu: { guaranteed: 1 } } }] }, [GPU]),
      (e: Error) =>
        e.message.includes("GJ_ERR_TENANCY_INVALID") && e.message.includes("queues[0].quota.tpu"),
    );
  });

  test("rejects children guaranteed more than an explicit parent", () => {
    const spec: TenancySpec = {
      queues: [
        { path: "p", quota: { gpu: { guaranteed: 4 } } },
        { path: "p/c1", quota: { gpu: { guaranteed: 3 } } },
        { path: "p/c2", quota: { gpu: { guaranteed: 3 } } },
      ],
    };
    assert.throws(
      () => compileTenancy(spec, [GPU]),
      /children of "p" are guaranteed 6 gpu, more than its 4/,
    );
  });

  test("an open tenancy (no queues) has the workloads' queues and no limits", () => {
    const tree = compileTenancy({ queues: [] }, [GPU, NPU], ["t1/q", "t2"]);
    assert.ok(tree.open);
    assert.equal(quotaBlock(tree, queueIndex(tree, "t1/q"), 0, 1e9, 0), null);
  });
});

describe("quotaBlock", () => {
  const cases: {
    name: string;
    usage: [string, number][];
    queue: string;
    want: number;
    ok: boolean;
    why?: RegExp;
  }[] = [
    // a/x: 0 used + 8 ≤ 8 guaranteed
    { name: "within guarantee", usage: [], queue: "a/x", want: 8, ok: true },
    // 12 ≤ 8 + 4 borrow, and 16 − 0 free − 6 kept (b's 8 unused − 2 lendable) = 10 < 12
    {
      name: "borrowing is capped by what others keep",
      usage: [],
      queue: "a/x",
      want: 12,
      ok: false,
      why: /kept by other queues/,
    },
    // b uses 6: it keeps max(0, 8 − 2 − 6) = 0; free 10 ≥ 10 borrowed + guaranteed
    {
      name: "borrowing b's unused, lendable guarantee",
      usage: [["b", 6]],
      queue: "a/x",
      want: 10,
      ok: true,
    },
    // 13 > 8 + 4
    {
      name: "over guarantee + borrowing limit",
      usage: [["b", 0]],
      queue: "a/x",
      want: 13,
      ok: false,
      why: /over its guarantee \+ borrowing limit of 12/,
    },
    // b has no borrow limit: 16 − 8 (a uses 8) = 8 free, a keeps 0 → ok
    {
      name: "no borrowing limit: bounded by free capacity",
      usage: [["a/x", 8]],
      queue: "b",
      want: 8,
      ok: true,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const tree = compileTenancy(SPEC, [GPU]);
      for (const [q, n] of c.usage) charge(tree, queueIndex(tree, q), 0, n * K);
      const why = quotaBlock(tree, queueIndex(tree, c.queue), 0, c.want * K, 16 * K);
      assert.equal(why === null, c.ok, why ?? "");
      if (c.why) assert.match(why ?? "", c.why);
    });
  }
});

describe("charge, withinGuarantee, borrowed", () => {
  test("usage rolls up to every ancestor and back down", () => {
    const tree = compileTenancy(SPEC, [GPU]);
    const x = queueIndex(tree, "a/x");
    charge(tree, x, 0, 10 * K);
    assert.equal(tree.usage[queueIndex(tree, "a")], 10 * K);
    assert.equal(tree.usage[0], 10 * K);
    // 10 used − 8 guaranteed = 2 borrowed
    assert.equal(borrowed(tree, x, 0), 2 * K);
    assert.equal(withinGuarantee(tree, queueIndex(tree, "b"), 0, 8 * K), true);
    charge(tree, x, 0, -10 * K);
    assert.equal(tree.usage[0], 0);
  });
});
