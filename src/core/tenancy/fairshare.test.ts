// Slurm's fair-share factor F = 2^(-U/S): U the queue's share of decayed usage, S its
// share of weights down the tree.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeviceType } from "../model/fleet.ts";
import { DecayedUsage, fairShareFactor } from "./fairshare.ts";
import { compileTenancy, queueIndex } from "./tree.ts";

const TYPES: DeviceType[] = [{ id: "h100", vendor: "test", memoryGiB: 80, speed: 1 }];

test("F is 1 idle, 0.5 at its share, 0.25 at twice its share", () => {
  const tree = compileTenancy({ queues: [{ path: "a" }, { path: "b", weight: 3 }] }, TYPES);
  const usage = new DecayedUsage(tree, 3600);
  const a = queueIndex(tree, "a");
  const b = queueIndex(tree, "b");
  assert.equal(fairShareFactor(tree, usage, a), 1); // no usage at all
  usage.charge(a, 25);
  usage.charge(b, 75);
  // a: S = 1/4, U = 25/100 → 2^-1
  assert.equal(fairShareFactor(tree, usage, a), 0.5);
  usage.charge(a, 100); // a: U = 125/200 = 0.625 → 2^(-2.5)
  assert.equal(fairShareFactor(tree, usage, a), 2 ** -2.5);
});

test("a share that underflows to 0 gives 1 idle and 0 in use, never NaN", () => {
  // 5e-324 / (1 + 5e-324) is 0 in floating point: S = 0.
  const tree = compileTenancy({ queues: [{ path: "a", weight: 5e-324 }, { path: "b" }] }, TYPES);
  const usage = new DecayedUsage(tree, 3600);
  const a = queueIndex(tree, "a");
  assert.equal(fairShareFactor(tree, usage, a), 1);
  usage.charge(a, 1);
  assert.equal(fairShareFactor(tree, usage, a), 0);
});
