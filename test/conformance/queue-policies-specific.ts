// The queue-policy cases where policies differ by design: strict order and EASY
// backfill, priority and 2D-LAS preemption, DRF, reclaim, reservations. Every policy
// runs each case; the expectation branches on the policy's switches. Arithmetic in the
// comments.
import assert from "node:assert/strict";
import { SCHEDULER_POLICIES } from "../../src/core/schedule/policies.ts";
import type { TenancySpec } from "../../src/core/tenancy/spec.ts";
import { type Case, H100, oneByEight, run } from "../support/policy-run.ts";
import { node, site, topoFleet, workload } from "../support/workloads.ts";

/** Where policies differ by design. */
export const SPECIFIC: readonly Case[] = [
  {
    name: "strict order: a small job may not pass a blocked head unless backfill allows it",
    check: (p) => {
      // 8 GPUs: a holds 6 until 100, so 2 are idle. b (8) waits until 100.
      // c (2 GPUs, 10 s) fits the idle 2 and ends at 12, before b could start.
      // d (2 GPUs, 500 s) arrives at 3; once c is done it would run until 512+ and push
      // b (which needs all 8) past 100.
      const o = run(p, {
        fleet: oneByEight(),
        workloads: [
          workload("a").gpus(6).at(0).runs(100).build(),
          workload("b").gpus(8).at(1).runs(100).build(),
          workload("c").gpus(2).at(2).runs(10).build(),
          workload("d").gpus(2).at(3).runs(500).build(),
        ],
      });
      const def = SCHEDULER_POLICIES[p];
      if (def.strict && !def.backfill) {
        // FIFO: the head blocks the line; c and d only start after b.
        assert.equal(o.at("b"), 100);
        assert.ok(o.at("c") >= o.at("b"), `${p}: c waits behind b`);
      } else if (def.backfill) {
        // EASY: c jumps ahead (it ends at 12 ≤ 100); d would delay b, so it may not.
        assert.equal(o.at("c"), 2);
        assert.equal(o.at("b"), 100, `${p}: the head is not delayed`);
        assert.ok(o.at("d") >= 100, `${p}: d does not delay the head`);
      } else {
        // Non-strict orders start what fits now.
        assert.equal(o.at("c"), 2);
      }
    },
  },
  {
    name: "priority: a high-priority job preempts a low one where the policy preempts by priority",
    check: (p) => {
      // 8 GPUs, all held by low (preemptible) until 1000; high (prio 5) arrives at 10.
      const o = run(p, {
        fleet: oneByEight(),
        workloads: [
          workload("low").gpus(8).priority(0).preemptible().at(0).runs(1000).build(),
          workload("high").gpus(8).priority(5).at(10).runs(100).build(),
        ],
      });
      const def = SCHEDULER_POLICIES[p];
      if (def.preemptLowerTier && def.order !== "las") {
        assert.equal(o.at("high"), 10);
        assert.ok(o.result.preemptions.priority >= 1);
        // low keeps its progress: 10 s done, 990 left after high ends at 110.
        assert.equal(o.result.workloads.completed, 2);
      } else if (def.order === "las") {
        // LAS ignores priority, but low drops to queue 1 at 3,250 / 8 = 406.25 s and the
        // fresh high job then preempts it.
        assert.equal(o.at("high"), 406.25);
        assert.ok(o.result.preemptions.priority >= 1);
      } else {
        assert.equal(o.at("high"), 1000);
        assert.equal(o.result.preemptions.priority, 0);
      }
    },
  },
  {
    name: "2D-LAS: a fresh job preempts one that has used more than 3,250 GPU-seconds",
    check: (p) => {
      // a: 8 GPUs from 0; by 500 it has 8 × 500 = 4,000 GPU-s > 3,250, so it drops to
      // LAS queue 1. b (8 GPUs, fresh, queue 0) arrives at 500.
      const o = run(p, {
        fleet: oneByEight(),
        workloads: [
          workload("a").gpus(8).at(0).runs(2000).build(),
          workload("b").gpus(8).at(500).runs(100).build(),
        ],
      });
      if (SCHEDULER_POLICIES[p].order === "las") {
        assert.equal(o.at("b"), 500);
        assert.ok(o.result.preemptions.priority >= 1);
      } else {
        assert.equal(o.at("b"), 2000);
      }
      assert.equal(o.result.workloads.completed, 2);
    },
  },
  {
    name: "DRF interleaves two tenants' jobs; submit order does not",
    check: (p) => {
      // 8 GPUs; t1 submits a1..a4 and t2 b1..b4 at 0, 2 GPUs each (16 wanted).
      // DRF alternates (each tenant ends with 4); submit order (ids) gives t1 all 8.
      const workloads = [1, 2, 3, 4].flatMap((i) => [
        workload(`a${i}`).queue("t1/q").gpus(2).runs(100).build(),
        workload(`b${i}`).queue("t2/q").gpus(2).runs(100).build(),
      ]);
      const o = run(p, { fleet: oneByEight(), workloads });
      const atZero = (prefix: string) =>
        [...o.starts].filter(([id, s]) => id.startsWith(prefix) && s[0].t === 0).length;
      if (SCHEDULER_POLICIES[p].order === "drf") {
        assert.deepEqual([atZero("a"), atZero("b")], [2, 2]);
      } else {
        assert.deepEqual([atZero("a"), atZero("b")], [4, 0]);
      }
      assert.equal(o.result.workloads.completed, 8);
    },
  },
  {
    name: "reclaim: a tenant within its guarantee gets borrowed devices back within the grace",
    check: (p) => {
      // 2 GPUs, all guaranteed to a (idle); b borrows both with two 1-GPU jobs for ~12
      // days. At 10, a submits a0 and a1 (1 GPU each): reclaim preempts both of b's
      // jobs, which get 30 s to exit, so a0 and a1 start at 10 + 30 = 40.
      const tenancy: TenancySpec = {
        reclaimGrace: 30,
        queues: [
          { path: "a", quota: { h100: { guaranteed: 2 } } },
          { path: "b", quota: { h100: { guaranteed: 0 } } },
        ],
      };
      const fleet = topoFleet(H100, [site("s1", ["kr"], [[[node("n0", "h100", 2)]]])]);
      const o = run(p, {
        fleet,
        tenancy,
        // Before b's jobs reach LAS queue 1 (3,250 GPU-s at 1 GPU each), where 2D-LAS
        // would preempt them for a's fresh jobs anyway.
        horizon: 3000,
        workloads: [
          workload("b0").queue("b").gpus(1).runs(1e6).build(),
          workload("b1").queue("b").gpus(1).runs(1e6).build(),
          workload("a0").queue("a").gpus(1).at(10).runs(600).build(),
          workload("a1").queue("a").gpus(1).at(10).runs(600).build(),
        ],
      });
      if (SCHEDULER_POLICIES[p].reclaim) {
        assert.deepEqual([o.at("a0"), o.at("a1")], [40, 40]);
        assert.equal(o.result.preemptions.reclaim, 2);
        assert.equal(o.result.reclaim.maxLatency, 30);
      } else {
        assert.equal(o.starts.has("a0") || o.starts.has("a1"), false);
        assert.equal(o.result.preemptions.reclaim, 0);
      }
    },
  },
  {
    name: "reservations stay enforced after a preemption elsewhere",
    check: (p) => {
      // n0 (h100) is reserved for t2 during [0, 500) and for t1 during [1000, 2000).
      // z (t2, h100, 1000 s) arrives at 550: it would run into t1's window, so it may
      // not start on n0 before 2000. At 600 high preempts low on n1 (where the policy
      // preempts by priority); that must not bring the expired window back in place
      // of t1's.
      const fleet = topoFleet({ h100: 1, a100: 0.5 }, [
        site("s1", ["kr"], [[[node("n0", "h100", 8)], [node("n1", "a100", 8)]]]),
      ]);
      const o = run(p, {
        fleet,
        tenancy: { queues: [{ path: "t1/q" }, { path: "t2/q" }] },
        // Listed late first: an expired window rebuilt after it would override it.
        reservations: [
          { id: "late", queue: "t1", domain: "s1/r0/d0", start: 1000, end: 2000 },
          { id: "early", queue: "t2", domain: "s1/r0/d0", start: 0, end: 500 },
        ],
        workloads: [
          workload("low").queue("t2/q").gpus(8).types("a100").priority(0).runs(5000).build(),
          workload("z").queue("t2/q").gpus(8).types("h100").at(550).runs(1000).build(),
          workload("high")
            .queue("t2/q")
            .gpus(8)
            .types("a100")
            .priority(5)
            .at(600)
            .runs(100)
            .build(),
        ],
      });
      const def = SCHEDULER_POLICIES[p];
      if (def.preemptLowerTier && def.order !== "las") assert.equal(o.at("high"), 600);
      assert.ok(o.at("z") >= 2000, `${p}: z started at ${o.at("z")}, inside t1's window`);
      assert.equal(o.result.preemptions.reservation, 0);
    },
  },
];
