// Properties of one schedule() call on a random busy state (no simulator around it):
// it is pure (state and quota tree come back exactly as passed), its starts are
// feasible together (applying all of them never double-books a device or breaks a
// quota), gangs are whole, and a call that only says "wait" places nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildClusterState, type ClusterState } from "../../src/core/model/cluster.ts";
import { allocate, setSchedulable } from "../../src/core/model/ledger.ts";
import type { Hold } from "../../src/core/plugins/hold/index.ts";
import { createRng } from "../../src/core/rng.ts";
import { schedule } from "../../src/core/schedule/index.ts";
import { withinQueue } from "../../src/core/schedule/order.ts";
import { createSchedulerPolicy } from "../../src/core/schedule/policies.ts";
import type {
  PendingWorkload,
  RunningWorkload,
  WorkloadDecision,
} from "../../src/core/schedule/types.ts";
import { charge, compileTenancy, type QueueTree, queueIndex } from "../../src/core/tenancy/tree.ts";
import { estimateOf, memberJob } from "../../src/core/workload/index.ts";
import type { WorkloadSimInput } from "../../src/sim/workloads/world.ts";
import { scenarioArb } from "../support/arbitraries.ts";
import {
  checkLedger,
  checkQuota,
  checkResidency,
  checkStarts,
  type Holding,
} from "./invariants.ts";

const SEED = Number(process.env.FC_SEED ?? 48);
const RUNS = Number(process.env.FC_RUNS ?? 300);

/** Everything schedule() must leave as it found it. */
function snapshot(state: ClusterState, tree: QueueTree) {
  return {
    devFree: Array.from(state.devFree),
    cpuFree: Array.from(state.cpuFree),
    memFree: Array.from(state.memFree),
    devIdle: Array.from(state.devIdle),
    devFreeSum: Array.from(state.devFreeSum),
    domainIdle: Array.from(state.domainIdle),
    idleBits: Array.from(state.idleIndex.bits),
    nodeClassCount: Array.from(state.nodeClassCount),
    schedulable: Array.from(state.schedulable),
    usage: Array.from(tree.usage),
  };
}

/**
 * A busy cluster: the first `busy` workloads are scheduled and their starts applied
 * (some then marked terminating, some nodes cordoned, one domain held for a queue);
 * the rest are pending.
 */
function setUp(input: WorkloadSimInput, busy: number, knobs: Knobs) {
  const state = buildClusterState(input.fleet);
  const queues = input.workloads.map((w) => w.queue);
  const tree = compileTenancy(input.tenancy, state.deviceTypes, queues);
  const policy = createSchedulerPolicy(input.policy, {
    deviceTypes: state.deviceTypes,
    memberJobs: input.workloads.map((w) => memberJob(w, 0)),
  });
  const rng = createRng(input.seed);
  const entries = input.workloads.map(
    (w, i): PendingWorkload => ({ w, queue: queueIndex(tree, w.queue), attained: i * 1000 }),
  );
  const byQueue = (list: readonly PendingWorkload[]) => {
    const out: PendingWorkload[][] = tree.paths.map(() => []);
    for (const e of list) out[e.queue].push(e);
    const cmp = withinQueue(policy.order, policy.lasThresholds);
    for (const q of out) q.sort(cmp);
    return out;
  };
  const running: RunningWorkload[] = [];
  const first = schedule({
    state,
    tree,
    pending: byQueue(entries.slice(0, busy)),
    running: [],
    policy,
    now: 0,
    rng,
  });
  for (const d of first) {
    if (d.kind !== "start") continue;
    applyStart(state, tree, d);
    const { w } = d.entry;
    running.push({
      w,
      queue: d.entry.queue,
      type: d.type,
      request: d.request,
      placements: d.placements,
      startTime: 0,
      estimatedEnd: estimateOf(w),
      attained: d.entry.attained,
      terminating: running.length % knobs.terminatingEvery === 0,
    });
  }
  for (let n = 0; n < state.nodeCount; n += knobs.cordonEvery) setSchedulable(state, n, false);
  let holds: { byNode: Int32Array; list: Hold[] } | undefined;
  if (knobs.hold) {
    const byNode = new Int32Array(state.nodeCount).fill(-1);
    for (let n = 0; n < state.nodeCount; n++) if (state.nodeDomain[n] === 0) byNode[n] = 0;
    holds = { byNode, list: [{ id: "r", queue: queues[0], start: 100, end: 2000 }] };
  }
  return { state, tree, policy, rng, running, holds, pending: byQueue(entries.slice(busy)) };
}

interface Knobs {
  readonly busy: number;
  readonly terminatingEvery: number;
  readonly cordonEvery: number;
  readonly hold: boolean;
}

const knobsArb = fc.record({
  busy: fc.integer({ min: 0, max: 25 }),
  terminatingEvery: fc.integer({ min: 2, max: 6 }),
  cordonEvery: fc.integer({ min: 3, max: 50 }),
  hold: fc.boolean(),
});

function call(input: WorkloadSimInput, knobs: Knobs) {
  const s = setUp(input, Math.min(knobs.busy, input.workloads.length - 1), knobs);
  const before = snapshot(s.state, s.tree);
  const decisions = schedule({
    state: s.state,
    tree: s.tree,
    pending: s.pending,
    running: s.running,
    policy: s.policy,
    now: 50,
    rng: s.rng,
    holds: s.holds,
  });
  return { ...s, before, decisions };
}

test("property 7: schedule() is pure: state and quota usage are unchanged by a call", () => {
  fc.assert(
    fc.property(scenarioArb(), knobsArb, (input, knobs) => {
      const { state, tree, before } = call(input, knobs);
      assert.deepEqual(snapshot(state, tree), before);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test("property 3b: a call's starts are whole gangs and feasible together; waits place nothing", () => {
  fc.assert(
    fc.property(scenarioArb(), knobsArb, (input, knobs) => {
      const { state, tree, running, decisions, before } = call(input, knobs);
      const starts = decisions.filter(
        (d): d is Extract<WorkloadDecision, { kind: "start" }> => d.kind === "start",
      );
      if (starts.length === 0) {
        // Only waits (and preemptions, which the driver applies later): nothing placed.
        assert.deepEqual(snapshot(state, tree), before);
        return;
      }
      checkStarts({ t: 50, state, decisions, running });
      // Apply every start, as a driver would: the ledger and quotas must still hold.
      const now: Holding[] = [...running];
      for (const d of starts) {
        applyStart(state, tree, d);
        const { w } = d.entry;
        now.push({ w, queue: d.entry.queue, type: d.type, placements: d.placements });
      }
      checkLedger({ t: 50, state, running: now });
      checkQuota({ t: 50, tree, running: now });
      checkResidency({ t: 50, state, running: now });
      for (const d of starts)
        for (const p of d.placements)
          assert.equal(state.schedulable[p.node], 1, `${d.entry.w.id} started on a cordoned node`);
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
});

/** What a driver does with a start decision: take the devices, charge the quota. */
function applyStart(
  state: ClusterState,
  tree: QueueTree,
  d: Extract<WorkloadDecision, { kind: "start" }>,
): void {
  for (const p of d.placements) allocate(state, d.request, p);
  const { w } = d.entry;
  if (d.type >= 0)
    charge(
      tree,
      d.entry.queue,
      d.type,
      w.member.devices * w.member.deviceMilli * d.placements.length,
    );
}
