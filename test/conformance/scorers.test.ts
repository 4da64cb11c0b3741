// Every node-scoring policy passes one suite: it never overcommits a device, CPU or
// memory, honours device-type constraints, and is deterministic for a seed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cycle } from "../../src/core/cycle.ts";
import { buildClusterState, MILLI } from "../../src/core/model/cluster.ts";
import type { Job } from "../../src/core/model/job.ts";
import { allocate } from "../../src/core/model/ledger.ts";
import { typeAllowed } from "../../src/core/model/request.ts";
import { createPolicy, POLICIES } from "../../src/core/registry.ts";
import { createRng } from "../../src/core/rng.ts";
import { fleet, job } from "../support/builders.ts";

const mixedFleet = () =>
  fleet()
    .node("h0", "h100", 8, 96, 1024)
    .node("h1", "h100", 8, 96, 1024)
    .node("t0", "t4", 2, 32, 128)
    .node("t1", "t4", 4, 16, 64)
    .node("c0", null, 0, 64, 256)
    .build();

/** 300 seeded random jobs: CPU-only, fractional, whole 1/2/4/8, some type-constrained. */
function randomJobs(seed: number): Job[] {
  const rng = createRng(seed);
  return Array.from({ length: 300 }, (_, i) => {
    const b = job(`j${String(i).padStart(3, "0")}`)
      .at(i)
      .cpu(1 + rng.int(16))
      .mem(1 + rng.int(64));
    const kind = rng.int(4);
    if (kind === 0) b.gpus(0);
    else if (kind === 1) b.share(50 + 50 * rng.int(19));
    else b.gpus([1, 2, 4, 8][rng.int(4)]);
    if (rng.int(4) === 0 && kind !== 0) b.types(rng.int(2) === 0 ? "t4" : "h100");
    return b.build();
  });
}

function replay(policyName: string, seed: number): string[] {
  const state = buildClusterState(mixedFleet());
  const jobs = randomJobs(seed);
  const policy = createPolicy(policyName, { deviceTypes: state.deviceTypes, workload: jobs });
  const rng = createRng(seed);
  const log: string[] = [];
  for (const j of jobs) {
    const [d] = cycle({ state, pending: [j], policy, now: j.submitTime, rng });
    if (d.kind !== "start") {
      log.push(`${j.id} waits`);
      continue;
    }
    const { node, devices } = d.placement;
    assert.ok(
      typeAllowed(d.request, state.nodeType[node]) || j.devices === 0,
      `${policyName}: ${j.id} type honoured`,
    );
    assert.equal(devices.length, j.devices, `${policyName}: ${j.id} got the devices it asked for`);
    for (const dev of devices) {
      assert.ok(
        dev >= state.devOffset[node] && dev < state.devOffset[node + 1],
        "device is on the chosen node",
      );
    }
    assert.equal(new Set(devices).size, devices.length, "no device taken twice by one job");
    allocate(state, d.request, d.placement);
    log.push(`${j.id} -> ${state.nodeIds[node]} [${devices.join(",")}]`);
  }
  for (let d = 0; d < state.devFree.length; d++) {
    assert.ok(
      state.devFree[d] >= 0 && state.devFree[d] <= MILLI,
      `${policyName}: device ${d} within 0..1000`,
    );
  }
  for (let n = 0; n < state.nodeCount; n++) {
    assert.ok(state.cpuFree[n] >= 0, `${policyName}: CPU of ${state.nodeIds[n]} not overcommitted`);
    assert.ok(
      state.memFree[n] >= 0,
      `${policyName}: memory of ${state.nodeIds[n]} not overcommitted`,
    );
  }
  return log;
}

for (const name of Object.keys(POLICIES)) {
  test(`${name}: no overcommit, types honoured, deterministic for a seed`, () => {
    const first = replay(name, 5);
    assert.ok(
      first.some((l) => l.includes("->")),
      "placed something",
    );
    assert.ok(
      first.some((l) => l.includes("waits")),
      "the workload overflows the fleet",
    );
    assert.deepEqual(replay(name, 5), first);
  });
}
