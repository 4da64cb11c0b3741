import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClusterState } from "../../model/cluster.ts";
import type { Request } from "../../model/request.ts";
import { createRng } from "../../rng.ts";
import type { CycleContext } from "../types.ts";
import { type Hold, holdReason, ownsHold } from "./index.ts";

/** A request for member `id` of queue `tenant`, running `duration` s. */
function req(id: string, tenant: string, duration = 100): Request {
  const job = {
    id,
    tenant,
    submitTime: 0,
    duration,
    devices: 1,
    deviceMilli: 1000,
    cpuMilli: 0,
    memoryMiB: 0,
    deviceTypes: [],
    priority: 0,
  };
  return { job, typeMask: -1, affinityClass: 2, siteMask: -1 };
}

test("a hold is owned by its queue's subtree, its workload's members, or any of its workloads", () => {
  const queue: Hold = { id: "r", queue: "kisti", start: 0, end: 10 };
  assert.equal(ownsHold(queue, req("w#0", "kisti")), true);
  assert.equal(ownsHold(queue, req("w#0", "kisti/climate")), true);
  assert.equal(ownsHold(queue, req("w#0", "kisti-2")), false, "a prefix is not a subtree");
  const one: Hold = { id: "p", workload: "w1", start: 0, end: 10 };
  assert.equal(ownsHold(one, req("w1#3", "q")), true);
  assert.equal(ownsHold(one, req("w10#0", "q")), false);
  assert.equal(ownsHold(one, req("w1", "q")), false, "a plain job is no workload's member");
  const many: Hold = { id: "m", workloads: new Set(["a", "b#x"]), start: 0, end: 10 };
  assert.deepEqual(
    ["a#0", "b#x#1", "b#0", "c#0"].map((id) => ownsHold(many, req(id, "q"))),
    [true, true, false, false],
  );
});

test("holdReason: free before the hold for work that ends by its start, and after its end", () => {
  const hold: Hold = { id: "r", queue: "owner", start: 1000, end: 2000 };
  const holds = { byNode: Int32Array.from([0, -1]), list: [hold] };
  const ctx = (now: number): CycleContext => ({
    state: {} as ClusterState,
    now,
    rng: createRng(1),
    holds,
  });
  const other = req("o#0", "other", 500);
  assert.equal(holdReason(ctx(400), other, 0), 0, "ends at 900, before the hold starts");
  assert.equal(holdReason(ctx(600), other, 0), 1, "would run into the hold");
  assert.equal(holdReason(ctx(1500), other, 0), 1);
  assert.equal(holdReason(ctx(1500), req("x#0", "owner"), 0), 0, "the owner may");
  assert.equal(holdReason(ctx(2000), other, 0), 0, "the hold has ended");
  assert.equal(holdReason(ctx(1500), other, 1), 0, "an unheld node");
});
