import assert from "node:assert/strict";
import { test } from "node:test";
import { node, site, topoFleet, workload } from "../../../test/support/workloads.ts";
import { buildClusterState } from "../../core/model/cluster.ts";
import { memberRequest } from "../../core/schedule/place.ts";
import type { WorkloadDecision } from "../../core/schedule/types.ts";
import { OPEN_TENANCY } from "../../core/tenancy/spec.ts";
import { compileTenancy } from "../../core/tenancy/tree.ts";
import { createRuns, type Run, type RunDeps, ShortRuns, start, stopMembers } from "./runs.ts";

/** Two 4-GPU nodes; a rigid job and an elastic one (2 members wanted, 1 needed). */
function setup() {
  const fleet = topoFleet({ h100: 1 }, [
    site("s", ["kr"], [[[node("n0", "h100", 4)], [node("n1", "h100", 4)]]]),
  ]);
  const state = buildClusterState(fleet);
  const ws = [
    workload("rigid").gpus(2).build(),
    workload("elastic").gpus(2).gang(2).min(1).build(),
  ];
  const tree = compileTenancy(
    OPEN_TENANCY,
    state.deviceTypes,
    ws.map((w) => w.queue),
  );
  const deps: RunDeps = { state, tree, onNode: state.nodeIds.map(() => new Set<Run>()) };
  const [rigid, elastic] = createRuns(ws, tree);
  const run = (r: Run, nodes: number[], t: number) =>
    start(
      deps,
      r,
      0,
      memberRequest(state, r.w, 0),
      nodes.map((n) => ({ node: n, devices: [n * 4, n * 4 + 1] })),
      t,
    );
  return { deps, rigid, elastic, run };
}

/** The start decision `run` applied (ShortRuns reads its kind and workload only). */
const started = (r: Run): WorkloadDecision => ({
  kind: "start",
  entry: r,
  type: r.type,
  request: r.request,
  placements: r.placements,
  crossed: 0,
});

test("a repeat cycle at one instant finds nothing to grow without a pass, unless one may be short", () => {
  const { deps, rigid, elastic, run } = setup();
  const short = new ShortRuns();
  run(rigid, [0], 0);
  assert.deepEqual(short.at(deps, [rigid], 0), []);
  // The cycle started the elastic job on one member of two: the next cycle finds it.
  run(elastic, [1], 0);
  short.changed([started(elastic)]);
  assert.deepEqual(short.at(deps, [rigid, elastic], 0), [elastic]);
  // It stays short (found by the pass) until it has grown.
  short.changed([]);
  assert.deepEqual(short.at(deps, [rigid, elastic], 0), [elastic]);
});

test("a run the last cycle preempted in part is found short at the same instant", () => {
  const { deps, rigid, elastic, run } = setup();
  const short = new ShortRuns();
  run(rigid, [0], 0);
  run(elastic, [0, 1], 0);
  assert.deepEqual(short.at(deps, [rigid, elastic], 0), []);
  stopMembers(deps, elastic, 0, 1);
  // Told nothing, the repeat cycle skips the pass: within an instant only the cycle's own
  // decisions change a run's size.
  short.changed([]);
  assert.deepEqual(short.at(deps, [rigid, elastic], 0), []);
  short.changed([
    { kind: "preempt", victim: elastic, members: 1, beneficiary: rigid, reason: "priority" },
  ]);
  assert.deepEqual(short.at(deps, [rigid, elastic], 0), [elastic]);
  // A later instant always makes the pass (and advances every run to it).
  short.changed([]);
  assert.deepEqual(short.at(deps, [rigid, elastic], 60), [elastic]);
  assert.equal(rigid.updated, 60);
});
