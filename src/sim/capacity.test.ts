import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet } from "../../test/support/builders.ts";
import { GongjangError } from "../core/errors.ts";
import { buildClusterState } from "../core/model/cluster.ts";
import { type CapacityEvent, compileCapacity } from "./capacity.ts";

const state = () =>
  buildClusterState(
    fleet().node("n0", "h100", 8).node("n1", "h100", 8).node("n2", "h100", 8).build(),
  );

test("a node whose first event is a join starts absent; fails mark nodes to watch", () => {
  const c = compileCapacity(state(), [
    { time: 12, node: "n2", kind: "join" },
    { time: 9, node: "n2", kind: "leave" },
    { time: 5, node: "n2", kind: "join" }, // n2's first event: a delivery at 5
    { time: 20, node: "n0", kind: "fail" },
    { time: 30, node: "n0", kind: "join" }, // a repair: n0 is there from the start
  ]);
  assert.deepEqual(c.absent, [2]);
  assert.deepEqual([...c.failing], [0]);
  assert.deepEqual(Array.from(c.node), [2, 2, 2, 0, 0]);
  assert.deepEqual(Array.from(c.time), [12, 9, 5, 20, 30]);
});

test("table: bad events name what is wrong and where", () => {
  const cases: [CapacityEvent, RegExp][] = [
    [{ time: 1, node: "ghost", kind: "join" }, /capacityEvents\[0\]\.node: unknown node "ghost"/],
    [{ time: -1, node: "n0", kind: "join" }, /capacityEvents\[0\]\.time/],
    [{ time: Number.NaN, node: "n0", kind: "join" }, /capacityEvents\[0\]\.time/],
    [
      { time: 1, node: "n0", kind: "explode" as CapacityEvent["kind"] },
      /capacityEvents\[0\]\.kind/,
    ],
  ];
  for (const [event, message] of cases) {
    assert.throws(
      () => compileCapacity(state(), [event]),
      (e: unknown) =>
        e instanceof GongjangError && e.code === "GJ_ERR_ARGUMENT" && message.test(e.message),
      String(message),
    );
  }
});
