// The forecast's options of simulateWorkloads: real placements for initial work, steps
// of `quantum` seconds, a prebuilt policy. Without them a run is as before (the golden
// and property tests hold that); these check what each one does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { node, site, topoFleet, workload } from "../../../test/support/workloads.ts";
import { OPEN_TENANCY } from "../../core/tenancy/spec.ts";
import type { Workload } from "../../core/workload/index.ts";
import type { WorkloadSimInput } from "./input.ts";
import { simulateWorkloads } from "./world.ts";

/** Two nodes × 4 GPUs. */
const fleet = topoFleet({ h100: 1 }, [
  site("s", [], [[[node("n0", "h100", 4)], [node("n1", "h100", 4)]]]),
]);

/** First start of each workload, by id. */
function starts(input: Omit<WorkloadSimInput, "fleet" | "tenancy" | "policy" | "seed">) {
  const out = new Map<string, number>();
  simulateWorkloads({
    fleet,
    tenancy: OPEN_TENANCY,
    policy: "fifo",
    seed: 1,
    ...input,
    audit: (v) => {
      for (const d of v.decisions)
        if (d.kind === "start" && !out.has(d.entry.w.id)) out.set(d.entry.w.id, v.t);
    },
  });
  return out;
}

const ws: Workload[] = [
  workload("a").gpus(4).gang(2).at(0).runs(100).build(),
  // Arrives at 130, waits for a (ends at 100): starts at 130.
  workload("b").gpus(4).gang(2).at(130).runs(100).build(),
  // Arrives at 170 behind b (ends at 230).
  workload("c").gpus(4).gang(2).at(170).runs(100).build(),
];

test("quantum: a step's events apply at their times, one cycle at the last of them", () => {
  assert.deepEqual(
    [...starts({ workloads: ws })],
    [
      ["a", 0],
      ["b", 130],
      ["c", 230],
    ],
  );
  // Steps of 60 s: b arrives at 130 and c at 170, both in (120, 180]; one cycle at
  // 170 starts b; b ends at 270, alone in its step: c starts then.
  assert.deepEqual(
    [...starts({ workloads: ws, quantum: 60 })],
    [
      ["a", 0],
      ["b", 170],
      ["c", 270],
    ],
  );
});

test("initial work keeps its real placement when it is free, else is placed again", () => {
  const at = (n: string) => ({ deviceType: "h100", members: [{ node: n, devices: [2, 3] }] });
  const running = (id: string, n: string) => ({
    workload: workload(id).gpus(2).at(0).runs(500).build(),
    elapsed: 10,
    at: at(n),
  });
  const wide = [workload("w").gpus(4).at(0).runs(10).build()];
  // One 2-GPU job on each node: no node has 4 free until one ends at 500.
  const split = starts({
    workloads: wide,
    initialRunning: [running("r0", "n0"), running("r1", "n1")],
  });
  assert.equal(split.get("w"), 500);
  // Both claim n0's devices 2 and 3: the second is placed again (best fit: n0's 0, 1).
  const clash = starts({
    workloads: wide,
    initialRunning: [running("r0", "n0"), running("r1", "n0")],
  });
  assert.equal(clash.get("w"), 0);
});
