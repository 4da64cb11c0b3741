import assert from "node:assert/strict";
import { test } from "node:test";
import { node, site, topoFleet, workload } from "../../test/support/workloads.ts";
import { OPEN_TENANCY } from "../core/tenancy/spec.ts";
import type { Workload } from "../core/workload/index.ts";
import { forecast, planForecast, type RunResult, simulateRun } from "./index.ts";
import type { ForecastSnapshot } from "./types.ts";

/** Two nodes × 4 GPUs in Seoul (residency kr, kr-seoul): 8 GPUs. */
const fleet = topoFleet({ h100: 1 }, [
  site("s-seoul", ["kr", "kr-seoul"], [[[node("n0", "h100", 4)], [node("n1", "h100", 4)]]]),
]);

/** Finished work with run times 100..1,000 s, submitted over the last hour. */
const finished: Workload[] = Array.from({ length: 10 }, (_, i) =>
  workload(`f${i}`)
    .at(6400 + i * 300)
    .runs(100 * (i + 1))
    .build(),
);

function snapshot(over: Partial<ForecastSnapshot> = {}): ForecastSnapshot {
  return {
    fleet,
    tenancy: OPEN_TENANCY,
    policy: "fifo",
    now: 10_000,
    running: [],
    pending: [],
    finished,
    arrivalWindow: 3600,
    ...over,
  };
}

test("the head of the queue on an empty fleet starts now", () => {
  const pending = [workload("head").gpus(4).at(9_990).build()];
  const [f] = forecast(snapshot({ pending }), { runs: 5, seed: 7 });
  // 8 GPUs free, 4 wanted: it starts in the first cycle of every run.
  assert.deepEqual([f.p10, f.p50, f.p90], [0, 0, 0]);
  assert.equal(f.outcome, "scheduled");
  assert.match(f.reason, /starts now/);
});

test("a workload behind running work waits for it, and says so", () => {
  // 8 GPUs all held by two 4-GPU jobs that have run 50 s; history runs 100..1,000 s.
  const running = ["r0", "r1"].map((id) => ({
    workload: workload(id).gpus(4).at(9_900).build(),
    startTime: 9_950,
  }));
  const pending = [workload("w").gpus(4).at(9_990).build()];
  const [f] = forecast(snapshot({ running, pending, arrivalWindow: 0 }), { runs: 20, seed: 3 });
  // It starts when the first of two runs ends: each has 50..950 s left.
  assert.ok(f.p10 !== null && f.p10 >= 50, `p10 ${f.p10}`);
  assert.ok(f.p90 !== null && f.p90 <= 950, `p90 ${f.p90}`);
  assert.ok(f.p10 <= f.p50! && f.p50! <= f.p90);
  assert.match(f.reason, /head of your queue; waits for 4 free devices/);
});

test("queue position counts the workloads ahead in its queue", () => {
  const running = [{ workload: workload("r").gpus(4).gang(2).at(9_000).build(), startTime: 9_500 }];
  const pending = [1, 2, 3].map((i) =>
    workload(`p${i}`)
      .gpus(4)
      .gang(2)
      .at(9_000 + i)
      .build(),
  );
  const out = forecast(snapshot({ running, pending }), { runs: 4, seed: 1 });
  assert.match(out[2].reason, /^behind 2 jobs of your queue/);
  // FIFO on a full fleet: each starts no earlier than the one before it.
  assert.ok(out[0].p50! <= out[1].p50! && out[1].p50! <= out[2].p50!);
});

test("the same snapshot and seed give identical forecasts", () => {
  const running = [{ workload: workload("r").gpus(6).at(9_000).build(), startTime: 9_100 }];
  const pending = [
    workload("a").gpus(4).at(9_500).build(),
    workload("b").gpus(2).gang(2).at(9_600).build(),
    workload("c").share(500).at(9_700).build(),
  ];
  const snap = snapshot({ running, pending });
  const one = JSON.stringify(forecast(snap, { runs: 8, seed: 42 }));
  assert.equal(JSON.stringify(forecast(snap, { runs: 8, seed: 42 })), one);
  assert.notEqual(JSON.stringify(forecast(snap, { runs: 8, seed: 43 })), "");
});

test("runs cut short (./censor.ts) leave the answer as uncut runs give it", () => {
  // Five whole-fleet jobs in a row; one past run in 40 took 50,000 s, the rest 100 s: a
  // run drawing it goes on far longer than the others, and may be cut.
  const history = Array.from({ length: 40 }, (_, i) =>
    workload(`h${i}`)
      .gpus(8)
      .at(6_400 + i * 50)
      .runs(i === 0 ? 50_000 : 100)
      .build(),
  );
  const pending = [0, 1, 2, 3, 4].map((i) =>
    workload(`p${i}`)
      .gpus(4)
      .gang(2)
      .at(9_000 + i)
      .build(),
  );
  const snap = snapshot({ pending, finished: history, arrivalWindow: 0 });
  const seen = { cut: 0, again: 0 };
  for (const seed of [2, 3]) {
    const plan = planForecast(snap, { runs: 20, seed });
    const results: RunResult[] = [];
    for (let k = 0; k < plan.runs; k++)
      results.push(simulateRun(plan.prepared, k, plan.cap(results)));
    seen.cut += results.filter((r) => Number.isFinite(r.cutAt)).length;
    // Seed 2 cuts a run before another run's start of the last job: it is done again.
    for (const k of plan.reruns(results)) {
      seen.again++;
      results[k] = simulateRun(plan.prepared, k);
    }
    const uncut = forecast(snap, { runs: 20, seed, censor: false });
    assert.deepEqual(plan.finish(results), uncut, `seed ${seed}`);
    assert.deepEqual(forecast(snap, { runs: 20, seed }), uncut, `seed ${seed}`);
  }
  assert.deepEqual(seen, { cut: 2, again: 1 });
});

test("never: more GPUs than the fleet has, or residency matching no site", () => {
  const pending = [
    // 4 members × 4 GPUs = 16 > the fleet's 8.
    workload("huge").gpus(4).gang(4).at(9_000).build(),
    // 16 GPUs on one member: no node has more than 4.
    workload("wide").gpus(16).at(9_000).build(),
    workload("abroad").residency("us").at(9_000).build(),
    workload("fine").gpus(1).at(9_000).build(),
  ];
  const out = forecast(snapshot({ pending }), { runs: 3 });
  const byId = new Map(out.map((f) => [f.id, f]));
  for (const id of ["huge", "wide", "abroad"]) {
    const f = byId.get(id)!;
    assert.equal(f.outcome, "never", id);
    assert.deepEqual([f.p10, f.p50, f.p90], [null, null, null], id);
  }
  assert.match(byId.get("huge")!.reason, /never fits.*no room for all 4 members/);
  assert.match(byId.get("wide")!.reason, /never fits.*no node could ever fit it/);
  assert.match(byId.get("abroad")!.reason, /residency "us" matches no site; sites: s-seoul/);
  assert.equal(byId.get("fine")!.p50, 0);
});

test("never: a demand over the queue's guarantee plus borrowing limit", () => {
  const tenancy = {
    queues: [{ path: "lab", quota: { h100: { guaranteed: 2, borrowLimit: 2 } } }],
  };
  const pending = [workload("big").queue("lab").gpus(1).gang(6).at(9_000).build()];
  const [f] = forecast(snapshot({ tenancy, pending, finished: [] }), { runs: 2 });
  // 6 GPUs > guarantee 2 + borrowing 2.
  assert.equal(f.outcome, "never");
  assert.match(f.reason, /over its guarantee \+ borrowing limit of 4/);
});

test("estimates mode plans with the user's estimates, once", () => {
  const running = [
    { workload: workload("r").gpus(4).gang(2).at(9_000).estimate(1_000).build(), startTime: 9_500 },
  ];
  const pending = [workload("w").gpus(4).gang(2).at(9_600).estimate(600).build()];
  const [f] = forecast(snapshot({ running, pending }), { mode: "estimates", quantum: 0 });
  // Estimate 1,000 s, 500 s elapsed at now: 500 s left.
  assert.deepEqual([f.p10, f.p50, f.p90], [500, 500, 500]);
  // In steps of 60 s (the default) too: the step's cycle runs at its last event, the end.
  const [g] = forecast(snapshot({ running, pending }), { mode: "estimates" });
  assert.equal(g.p50, 500);
});

test("beyond the horizon: no start within it", () => {
  const running = [{ workload: workload("r").gpus(4).gang(2).at(0).build(), startTime: 0 }];
  const long = finished.map((w) => ({ ...w, duration: 1e6 }));
  const pending = [workload("w").gpus(4).gang(2).at(9_000).build()];
  const [f] = forecast(snapshot({ running, pending, finished: long }), { runs: 3, horizon: 3600 });
  assert.equal(f.outcome, "beyond-horizon");
  assert.equal(f.p50, null);
  assert.match(f.reason, /does not start within 1 h/);
});

test("running work stays on its real placement, fragmentation and all", () => {
  // Two 2-GPU jobs, one on each 4-GPU node: 4 GPUs free, but no node has 4.
  const running = [
    { id: "r0", node: "n0" },
    { id: "r1", node: "n1" },
  ].map(({ id, node }) => ({
    workload: workload(id).gpus(2).at(9_000).build(),
    startTime: 9_500,
    at: { deviceType: "h100", members: [{ node, devices: [0, 1] }] },
  }));
  const pending = [workload("w").gpus(4).at(9_600).build()];
  const real = forecast(snapshot({ running, pending, arrivalWindow: 0 }), { runs: 4 });
  // It waits for one of them to end (history: 100..1,000 s, 500 s run already).
  assert.ok(real[0].p50! > 0, `p50 ${real[0].p50}`);
  // Placed again, best fit packs both onto one node and the other is free at once.
  const moved = running.map(({ at: _, ...r }) => r);
  const packed = forecast(snapshot({ running: moved, pending, arrivalWindow: 0 }), { runs: 4 });
  assert.equal(packed[0].p50, 0);
});

test("under the fairshare order, a queue's past usage puts its work behind an idle queue's", () => {
  // The whole fleet is busy; a (submitted first) and b wait for all 8 GPUs.
  const running = [
    { workload: workload("r").queue("a").gpus(4).gang(2).at(9_000).build(), startTime: 9_500 },
  ];
  const pending = [
    workload("pa").queue("a").gpus(4).gang(2).at(9_100).build(),
    workload("pb").queue("b").gpus(4).gang(2).at(9_200).build(),
  ];
  const tenancy = { queues: [{ path: "a" }, { path: "b" }] };
  const p50s = (usage?: Record<string, number>) =>
    forecast(
      snapshot({ policy: "fairshare", tenancy, running, pending, arrivalWindow: 0, usage }),
      {
        runs: 5,
        seed: 2,
      },
    ).map((f) => f.p50!);
  const [aIdle, bIdle] = p50s();
  assert.ok(aIdle < bIdle, `equal shares: first come, first served (${aIdle}, ${bIdle})`);
  const [aBusy, bBusy] = p50s({ a: 8 * 86_400 }); // a used the fleet for a day
  assert.ok(bBusy < aBusy, `a's usage puts b first (${aBusy}, ${bBusy})`);
});
