// Properties of the multi-tenant simulator over random fleets, tenancies, workload
// mixes, disruptions and every scheduling policy, checked after every cycle through
// the world's audit hook. Seeds are fixed so CI replays the same cases; a failure
// prints fast-check's shrunk counterexample and the seed/path to replay it.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { simulateWorkloads, type WorkloadSimInput } from "../../src/sim/workloads/world.ts";
import { POLICY_NAMES, scenarioArb } from "../support/arbitraries.ts";
import { checkLedger, checkQuota, checkResidency, checkStarts } from "./invariants.ts";

// Fixed for CI; FC_SEED / FC_RUNS override them to search further by hand.
const RUNS = Number(process.env.FC_RUNS ?? 100);
const SEED = Number(process.env.FC_SEED ?? 42);

/** The input without the audit hook, for fast-check's report. */
const label = (input: WorkloadSimInput) => `${input.policy} seed ${input.seed}`;

test("the scenarios cover every policy, disruptions and preemption", () => {
  const inputs = fc.sample(scenarioArb({ disruptions: true }), { seed: SEED, numRuns: RUNS });
  assert.deepEqual(new Set(inputs.map((i) => i.policy)), new Set(POLICY_NAMES));
  assert.ok(inputs.some((i) => (i.maintenance ?? []).length > 0));
  assert.ok(inputs.some((i) => i.failures !== undefined));
  assert.ok(inputs.some((i) => (i.reservations ?? []).length > 0));
  const preempted = inputs.filter((i) => {
    const p = simulateWorkloads(i).preemptions;
    return p.reclaim + p.priority > 0;
  });
  assert.ok(preempted.length > 0, "some runs preempt");
});

test("property 1: no device, CPU or memory is double-booked", () => {
  fc.assert(
    fc.property(scenarioArb({ disruptions: true }), (input) => {
      simulateWorkloads({ ...input, audit: checkLedger });
    }),
    { seed: SEED + 0, numRuns: RUNS },
  );
});

test("property 2: no queue exceeds its guarantee + borrowing limit", () => {
  fc.assert(
    fc.property(scenarioArb({ disruptions: true }), (input) => {
      simulateWorkloads({ ...input, audit: checkQuota });
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
});

test("property 3a: every start places a whole gang (or an elastic one's minimum); waits place nothing", () => {
  fc.assert(
    fc.property(scenarioArb({ disruptions: true }), (input) => {
      simulateWorkloads({ ...input, audit: checkStarts });
    }),
    { seed: SEED + 2, numRuns: RUNS },
  );
});

test("property 4: residency holds through backfill, preemption, borrowing, maintenance and failures", () => {
  fc.assert(
    fc.property(scenarioArb({ disruptions: true }), (input) => {
      let checked = 0;
      simulateWorkloads({
        ...input,
        audit: (v) => {
          checkResidency(v);
          checked++;
        },
      });
      assert.ok(checked > 0, `${label(input)}: the audit ran`);
    }),
    { seed: SEED + 3, numRuns: RUNS },
  );
});

test("property 6: the same input and seed give byte-identical results", () => {
  fc.assert(
    fc.property(scenarioArb({ disruptions: true }), (input) => {
      const a = JSON.stringify(simulateWorkloads(input));
      const b = JSON.stringify(simulateWorkloads(input));
      assert.equal(a, b, label(input));
    }),
    { seed: SEED + 4, numRuns: Math.ceil(RUNS / 2) },
  );
});
