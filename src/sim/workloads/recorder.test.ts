// The recorder's fragmentation series and JCT CDF, on a fleet small enough to count by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { node, site, topoFleet, workload } from "../../../test/support/workloads.ts";
import { OPEN_TENANCY } from "../../core/tenancy/spec.ts";
import { simulateWorkloads } from "./world.ts";

/** Two nodes × 4 GPUs. */
const fleet = topoFleet({ h100: 1 }, [
  site("s", [], [[[node("n0", "h100", 4)], [node("n1", "h100", 4)]]]),
]);

test("fragmentation: free GPUs typical (3-GPU) work cannot use, % of devices present", () => {
  const r = simulateWorkloads({
    fleet,
    tenancy: OPEN_TENANCY,
    policy: "fifo",
    seed: 1,
    workloads: [
      workload("a").gpus(3).at(0).runs(100).build(),
      workload("b").gpus(3).at(0).runs(300).build(),
    ],
  });
  const frag = r.fragmentation ?? [];
  // One point per timeline point, at the same instants.
  assert.deepEqual(
    frag.map((p) => p.t),
    r.timeline.map((p) => p.t),
  );
  const at = (t: number) => frag.find((p) => p.t === t)?.fragmentation;
  assert.equal(at(0), 25); // one stranded GPU on each node: 2 / 8
  assert.equal(at(100), 12.5); // a ended: its node is whole again
  assert.equal(frag[frag.length - 1].fragmentation, 0); // all free
  // JCT = end − submit of each completed workload, as a CDF.
  assert.deepEqual(r.jctCdf, [
    [100, 0.5],
    [300, 1],
  ]);
});

test("a run cut at the horizon: fragmentation from the start, no JCT yet", () => {
  const r = simulateWorkloads({
    fleet,
    tenancy: OPEN_TENANCY,
    policy: "fifo",
    seed: 1,
    workloads: [workload("a").gpus(3).at(0).runs(100).build()],
    horizon: 50,
  });
  // a strands one GPU on its node; the other node is whole.
  assert.equal(r.fragmentation?.[0].fragmentation, 12.5);
  assert.deepEqual(r.jctCdf, []);
});
