import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet, job } from "../../test/support/builders.ts";
import { buildClusterState } from "../core/model/cluster.ts";
import { allocate, setSchedulable } from "../core/model/ledger.ts";
import { compileRequest } from "../core/model/request.ts";
import { typicalShapes } from "../core/plugins/fgd/typical.ts";
import { ClusterGauge } from "./gauge.ts";

test("allocation and FGD fragmentation follow placements and cordons incrementally", () => {
  const state = buildClusterState(fleet().node("n0", "h100", 8).node("n1", "h100", 8).build());
  // Typical shapes: 4 GPUs and 8 GPUs, half each.
  const typical = typicalShapes(
    [job("a").gpus(4).build(), job("b").gpus(8).build()],
    state.deviceTypes,
  );
  const gauge = new ClusterGauge(state, typical);
  assert.deepEqual([gauge.allocationPct(), gauge.fragmentationPct()], [0, 0]); // empty nodes fit both shapes

  const req = compileRequest(state, job("x").gpus(4).build());
  allocate(state, req, { node: 0, devices: [0, 1, 2, 3] });
  gauge.allocate(4000);
  gauge.touch(0);
  gauge.refresh();
  // 4 of 16 GPUs used = 25 %. n0's 4 free GPUs are useless to the 8-GPU half:
  // 0.5 · 4000 = 2000 milli = 12.5 % of 16 GPUs.
  assert.deepEqual([gauge.allocationPct(), gauge.fragmentationPct()], [25, 12.5]);

  setSchedulable(state, 0, false); // a cordoned node counts as absent, not fragmented
  gauge.touch(0);
  gauge.refresh();
  assert.equal(gauge.fragmentationPct(), 0);
});
