// Every multi-tenant queue policy passes one table of small hand-built cases, then the
// expectations where policies differ by design (./queue-policies-specific.ts). The
// arithmetic is in the comments.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TenancySpec } from "../../src/core/tenancy/spec.ts";
import {
  type Case,
  H100,
  oneByEight,
  POLICIES,
  run,
  twoByFour,
  twoSites,
} from "../support/policy-run.ts";
import { node, site, topoFleet, workload } from "../support/workloads.ts";
import { SPECIFIC } from "./queue-policies-specific.ts";

/** What every policy must do. */
const COMMON: readonly Case[] = [
  {
    name: "everything fits: all start at submit and complete",
    check: (p) => {
      // 8 GPUs; a (4 one-GPU members) + b (2) + c (2) = 8: nobody waits.
      const o = run(p, {
        fleet: twoByFour(),
        workloads: [
          workload("a").gpus(1).gang(4).at(0).runs(100).build(),
          workload("b").gpus(2).at(5).runs(100).build(),
          workload("c").gpus(2).at(10).runs(100).build(),
        ],
      });
      assert.deepEqual([o.at("a"), o.at("b"), o.at("c")], [0, 5, 10]);
      assert.equal(o.result.workloads.completed, 3);
      assert.equal(o.result.wait.mean, 0);
      // A gang of 4 fits one 4-GPU domain, and the placement prefers it.
      assert.equal(new Set(o.starts.get("a")![0].nodes).size, 1, `${p}: a in one domain`);
    },
  },
  {
    name: "a gang larger than any domain, with the domain required, waits with a reason",
    check: (p) => {
      // Domains hold 4 GPUs; 6 members × 1 GPU cannot sit in one.
      const o = run(p, {
        fleet: twoByFour(),
        workloads: [workload("big").gpus(1).gang(6).topology("domain", true).runs(100).build()],
        horizon: 1000,
      });
      assert.equal(o.starts.has("big"), false);
      assert.equal(o.result.workloads.pending, 1);
      assert.match(o.reasons.get("big") ?? "", /one domain/);
    },
  },
  {
    name: "a job that can never fit is rejected; the rest go on",
    check: (p) => {
      // 16 GPUs on one member, nodes of 4: no node can ever host it.
      const o = run(p, {
        fleet: twoByFour(),
        workloads: [
          workload("huge").gpus(16).at(0).build(),
          workload("small").gpus(2).at(1).runs(50).build(),
        ],
      });
      assert.equal(o.result.workloads.rejected, 1);
      assert.match(o.reasons.get("huge") ?? "", /could ever fit/);
      assert.equal(o.at("small"), 1);
      assert.equal(o.result.workloads.completed, 1);
    },
  },
  {
    name: "residency: a restricted job lands only on the sites its label allows",
    check: (p) => {
      const o = run(p, {
        fleet: twoSites(),
        workloads: [
          workload("gj").gpus(2).residency("kr-gwangju").runs(100).build(),
          workload("se").gpus(1).gang(2).residency("s-seoul").runs(100).build(),
          workload("kr").gpus(1).gang(4).residency("kr").at(1).runs(100).build(),
          // 4 + 4 = 8 GPUs, all taken above; this one waits for Gwangju to free up.
          workload("gj2").gpus(2).residency("kr-gwangju").at(2).runs(100).build(),
        ],
      });
      const sites = (id: string) => new Set(o.starts.get(id)!.flatMap((s) => s.sites));
      assert.deepEqual([...sites("gj")], ["s-gwangju"]);
      assert.deepEqual([...sites("se")], ["s-seoul"]);
      assert.deepEqual([...sites("gj2")], ["s-gwangju"]);
      assert.equal(o.result.workloads.completed, 4);
    },
  },
  {
    name: "residency: an unknown label is rejected, not run anywhere",
    check: (p) => {
      const o = run(p, {
        fleet: twoSites(),
        workloads: [workload("mars").gpus(1).residency("mars").build()],
      });
      assert.equal(o.starts.has("mars"), false);
      assert.equal(o.result.workloads.rejected, 1);
      assert.match(o.reasons.get("mars") ?? "", /residency/);
    },
  },
  {
    name: "a job behind a blocked one eventually finishes",
    check: (p) => {
      // 8 GPUs: a takes all 8 until 100; b (8) must wait; c (2) behind it too.
      const o = run(p, {
        fleet: oneByEight(),
        workloads: [
          workload("a").gpus(8).at(0).runs(100).build(),
          workload("b").gpus(8).at(1).runs(100).build(),
          workload("c").gpus(2).at(2).runs(50).build(),
        ],
      });
      assert.equal(o.result.workloads.completed, 3);
      assert.ok(o.at("b") >= 100 && o.at("c") >= 100, `${p}: nothing frees up before 100`);
    },
  },
  {
    name: "no starvation: 20 mixed jobs all complete",
    check: (p) => {
      // 16 GPUs; jobs of 1, 2, 4 or 8 GPUs, some gangs, priorities 0..2, 40..400 s.
      const fleet = topoFleet(H100, [
        site("s1", ["kr"], [[[node("n0", "h100", 8)], [node("n1", "h100", 8)]]]),
      ]);
      const sizes = [8, 1, 2, 4, 8, 2, 1, 4, 8, 1, 2, 2, 4, 1, 8, 4, 2, 1, 8, 4];
      const workloads = sizes.map((g, i) =>
        workload(`j${String(i).padStart(2, "0")}`)
          .queue(i % 2 === 0 ? "t1/q" : "t2/q")
          .gpus(Math.min(g, 4))
          .gang(g > 4 ? 2 : 1)
          .priority(i % 3)
          .at(i * 10)
          .runs(40 + ((i * 37) % 360))
          .build(),
      );
      const o = run(p, { fleet, workloads });
      assert.equal(o.result.workloads.completed, 20, `${p}: ${JSON.stringify(o.result.workloads)}`);
    },
  },
  {
    name: "two accepted device types, both free: it takes the faster (by its own speeds)",
    check: (p) => {
      // h100 speed 1, a100 speed 0.5: 4 GPUs of each.
      const fleet = topoFleet({ h100: 1, a100: 0.5 }, [
        site("s1", ["kr"], [[[node("h", "h100", 4)], [node("a", "a100", 4)]]]),
      ]);
      const o = run(p, {
        fleet,
        workloads: [
          workload("plain").gpus(4).types("a100", "h100").runs(100).build(),
          // Its own speed table says it runs twice as fast on a100 (a later arrival,
          // after plain finished, so both types are free again).
          workload("tuned")
            .gpus(4)
            .types("h100", "a100")
            .speeds({ h100: 1, a100: 2 })
            .at(500)
            .runs(100)
            .build(),
        ],
      });
      assert.equal(o.starts.get("plain")![0].type, "h100");
      assert.equal(o.starts.get("tuned")![0].type, "a100");
    },
  },
  {
    name: "quota: guaranteed 4, borrowLimit 0 never runs more than 4 devices",
    check: (p) => {
      // 2 × 8 = 16 GPUs, 12 idle beyond t1's guarantee, but it may not borrow:
      // 6 jobs × 2 GPUs run at most 2 at a time (4 GPUs).
      const fleet = topoFleet(H100, [
        site("s1", ["kr"], [[[node("n0", "h100", 8)], [node("n1", "h100", 8)]]]),
      ]);
      const tenancy: TenancySpec = {
        queues: [
          { path: "t1/q", quota: { h100: { guaranteed: 4, borrowLimit: 0 } } },
          { path: "t2/q", quota: { h100: { guaranteed: 4 } } },
        ],
      };
      const workloads = Array.from({ length: 6 }, (_, i) =>
        workload(`q${i}`).queue("t1/q").gpus(2).at(i).runs(100).build(),
      );
      const o = run(p, { fleet, tenancy, workloads }, { queue: "t1/q", type: "h100" });
      assert.equal(o.peak, 4);
      assert.equal(o.result.workloads.completed, 6);
      assert.ok(o.at("q2") >= 100, `${p}: the third job waits for the first to finish`);
    },
  },
  {
    name: "quota: a queue at its limit does not hold up other queues, even in strict order",
    check: (p) => {
      // 8 GPUs; t1 may use 4 (no borrowing) and runs a (4); b (2) is over t1's quota.
      // t2's c (2) arrives after b and must not wait behind it: 8 − 4 = 4 GPUs idle.
      const tenancy: TenancySpec = {
        queues: [
          { path: "t1/q", quota: { h100: { guaranteed: 4, borrowLimit: 0 } } },
          { path: "t2/q", quota: { h100: { guaranteed: 4 } } },
        ],
      };
      const o = run(p, {
        fleet: oneByEight(),
        tenancy,
        workloads: [
          workload("a").queue("t1/q").gpus(4).at(0).runs(100).build(),
          workload("b").queue("t1/q").gpus(2).at(1).runs(100).build(),
          workload("c").queue("t2/q").gpus(2).at(2).runs(100).build(),
        ],
      });
      assert.equal(o.at("c"), 2);
      assert.equal(o.at("b"), 100);
    },
  },
];

for (const policy of POLICIES) {
  describe(`queue policy ${policy}`, () => {
    for (const c of [...COMMON, ...SPECIFIC]) test(c.name, () => c.check(policy));
  });
}
