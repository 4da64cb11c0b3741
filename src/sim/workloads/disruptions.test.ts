import assert from "node:assert/strict";
import { test } from "node:test";
import { buildClusterState } from "../../core/model/cluster.ts";
import { createRng } from "../../core/rng.ts";
import { loadFleet } from "../../fleet/index.ts";
import { compileDisruptions, NodeEventKind } from "./disruptions.ts";

const state = buildClusterState(loadFleet("demo-ai-factory"));
const node = (id: string) => state.nodeIds.indexOf(id);
const H = 3600;
const kinds = (events: readonly { node: number; time: number; kind: number }[], n: number) =>
  events.filter((e) => e.node === n).map((e) => [e.time, e.kind]);

test("a retirement drains, then evicts, and the node never returns", () => {
  const d = compileDisruptions(
    state,
    {
      retirements: [{ id: "r", time: 10 * H, drainStart: 8 * H, nodes: ["h100-00"] }],
      maintenance: [{ id: "m", nodes: ["h100-00"], drainStart: 9 * H, start: 9 * H, end: 12 * H }],
    },
    24 * H,
    createRng(1),
  );
  // The maintenance window's end (12 h) would bring it back after it retired: dropped.
  assert.deepEqual(kinds(d.events, node("h100-00")), [
    [8 * H, NodeEventKind.Cordon],
    [9 * H, NodeEventKind.Cordon],
    [9 * H, NodeEventKind.Evict],
    [10 * H, NodeEventKind.Evict],
  ]);
});

test("a node retired before its delivery never comes", () => {
  const d = compileDisruptions(
    state,
    {
      tranches: [{ id: "t", time: 10 * H, nodes: ["h100-08"] }],
      retirements: [{ id: "r", time: 5 * H, drainStart: 5 * H, nodes: ["h100-08"] }],
    },
    24 * H,
    createRng(1),
  );
  assert.ok(d.absent.includes(node("h100-08")));
  assert.deepEqual(kinds(d.events, node("h100-08")), []);
});

test("failures never deliver a node early: repairs before its tranche are dropped", () => {
  const tranches = [{ id: "late", time: 20 * 86400, nodes: state.nodeIds.slice(0, 40) }];
  const d = compileDisruptions(
    state,
    { tranches, failures: { mtbf: 2 * 86400, repair: H } },
    30 * 86400,
    createRng(7),
  );
  for (let n = 0; n < 40; n++) {
    const first = d.events.find((e) => e.node === n);
    assert.deepEqual(
      first && [first.time, first.kind],
      [20 * 86400, NodeEventKind.Join],
      `node ${n}`,
    );
  }
  // Nodes present from the start still fail and come back.
  assert.ok(d.events.some((e) => e.node >= 40 && e.kind === NodeEventKind.Fail));
});
