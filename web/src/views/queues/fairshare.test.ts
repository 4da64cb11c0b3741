import assert from "node:assert/strict";
import { test } from "node:test";
import type { Queue } from "../../types.ts";
import { fairShareFactors } from "./fairshare.ts";

const q = (path: string, weight: number, used: number): Queue => ({
  path,
  tenant: path.split("/")[0],
  leaf: true,
  weight,
  types: { gpu: { guaranteed: 0, borrowLimit: null, lendLimit: null, used, borrowed: 0 } },
  pending: 0,
  running: 0,
  oldestWaitSeconds: null,
});

test("fair-share factor 2^(-U/S): 1 idle, 0.5 at its share, lower above it", () => {
  // a and b weigh 1 each: S = 1/2 each. 8 devices in use, a holds 4 (U = 1/2), b 4.
  let f = fairShareFactors([q("a", 1, 4), q("b", 1, 4)]);
  assert.equal(f.get("a"), 0.5); // 2^(-(1/2)/(1/2))
  // a holds all 8: U = 1 → 2^(-2) = 0.25; b idle → 1.
  f = fairShareFactors([q("a", 1, 8), q("b", 1, 0)]);
  assert.equal(f.get("a"), 0.25);
  assert.equal(f.get("b"), 1);
  // Children: a/x weighs 3 of a's 4 → S = 1/2 × 3/4 = 3/8; it holds 3 of 8 → U = 3/8 → 0.5.
  f = fairShareFactors([q("a", 1, 4), q("a/x", 3, 3), q("a/y", 1, 1), q("b", 1, 4)]);
  assert.equal(f.get("a/x"), 0.5);
  // nothing in use anywhere: everyone 1
  assert.equal(fairShareFactors([q("a", 1, 0)]).get("a"), 1);
});
