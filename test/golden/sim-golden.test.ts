// Golden runs: a small fixed fleet, the first 200 pods of openb_pod_list_default
// (tenants dealt round-robin so per-tenant metrics and Jain's index mean something),
// a node joining, leaving and failing, seed 7. Any change to the simulator or the core
// that moves a decision or a number shows up here as a diff.
// `UPDATE_GOLDEN=1 node --test test/golden/sim-golden.test.ts` rewrites the expected files.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Fleet } from "../../src/core/model/fleet.ts";
import type { Job } from "../../src/core/model/job.ts";
import type { PolicyName } from "../../src/core/registry.ts";
import { type SimInput, simulate } from "../../src/sim/world.ts";

const here = import.meta.dirname;
const fleet = JSON.parse(readFileSync(join(here, "fleet.json"), "utf8")) as Fleet;
const TENANTS = ["lab-a", "lab-b", "startup"];
const jobs = (JSON.parse(readFileSync(join(here, "openb-200.json"), "utf8")) as Job[]).map(
  (j, i) => ({
    ...j,
    tenant: TENANTS[i % TENANTS.length],
  }),
);

function input(policy: PolicyName): SimInput {
  return {
    fleet,
    jobs,
    policy,
    seed: 7,
    traceName: "openb_pod_list_default[0:200]",
    capacityEvents: [
      { time: 2_000_000, node: "n5", kind: "join" },
      { time: 4_000_000, node: "n4", kind: "leave" },
      { time: 6_000_000, node: "n3", kind: "fail" },
      { time: 7_000_000, node: "n3", kind: "join" },
    ],
  };
}

const render = (policy: PolicyName) => `${JSON.stringify(simulate(input(policy)), null, 2)}\n`;

for (const policy of ["fgd", "bestfit", "random"] as PolicyName[]) {
  test(`golden: ${policy}`, () => {
    const file = join(here, `${policy}.json`);
    const actual = render(policy);
    if (process.env.UPDATE_GOLDEN === "1") {
      writeFileSync(file, actual);
      return;
    }
    assert.equal(
      actual,
      readFileSync(file, "utf8"),
      `${file} differs; UPDATE_GOLDEN=1 rewrites it if the change is intended`,
    );
  });
}

test("golden: two runs give identical bytes", () => {
  assert.equal(render("random"), render("random"));
});
