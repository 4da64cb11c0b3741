import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildClusterState, type ClusterState } from "../model/cluster.ts";
import type { Fleet } from "../model/fleet.ts";
import { allocate } from "../model/ledger.ts";
import type { Holds } from "../plugins/hold/index.ts";
import { createRng } from "../rng.ts";
import type { TenancySpec } from "../tenancy/spec.ts";
import { charge, compileTenancy, type QueueTree, queueIndex } from "../tenancy/tree.ts";
import { type Workload, WorkloadClass } from "../workload/index.ts";
import { schedule } from "./index.ts";
import { withinQueue } from "./order.ts";
import { candidateTypes, memberRequest } from "./place.ts";
import { createSchedulerPolicy } from "./policies.ts";
import type { PendingWorkload, RunningWorkload, WorkloadDecision } from "./types.ts";

/** Nodes of 4 devices: `gpu` nodes (speed 1) and optionally `fast` nodes (speed 2). */
function fleetOf(gpuNodes: number, fastNodes = 0): Fleet {
  const mk = (t: string, i: number) => ({
    id: `${t}${i}`,
    deviceType: t,
    devices: 4,
    cpuMilli: 64000,
    memoryMiB: 1 << 20,
  });
  const nodes = [
    ...Array.from({ length: gpuNodes }, (_, i) => mk("gpu", i)),
    ...Array.from({ length: fastNodes }, (_, i) => mk("fast", i)),
  ];
  return {
    name: "t",
    deviceTypes: [
      { id: "gpu", vendor: "t", memoryGiB: 80, speed: 1 },
      { id: "fast", vendor: "t", memoryGiB: 80, speed: 2 },
    ],
    sites: [
      {
        id: "s",
        residency: [],
        racks: [{ id: "r", domains: nodes.map((n) => ({ id: `d${n.id}`, nodes: [n] })) }],
      },
    ],
  };
}

function wl(id: string, o: Partial<Workload> & { devices?: number } = {}): Workload {
  return {
    id,
    queue: o.queue ?? "q",
    class: WorkloadClass.Batch,
    submitTime: o.submitTime ?? 0,
    duration: o.duration ?? 100,
    estimate: o.estimate,
    members: o.members ?? 1,
    minMembers: o.minMembers ?? o.members ?? 1,
    member: { devices: o.devices ?? 4, deviceMilli: 1000, cpuMilli: 1000, memoryMiB: 1024 },
    deviceTypes: o.deviceTypes ?? [],
    speeds: o.speeds,
    priority: o.priority ?? 0,
    preemptible: o.preemptible ?? true,
  };
}

interface World {
  state: ClusterState;
  tree: QueueTree;
  running: RunningWorkload[];
}

function world(fleet: Fleet, tenancy: TenancySpec, queues: string[]): World {
  const state = buildClusterState(fleet);
  return { state, tree: compileTenancy(tenancy, state.deviceTypes, queues), running: [] };
}

/** Puts `w` on `nodes` as running work (as a driver would after a start). */
function run(
  wd: World,
  w: Workload,
  nodes: number[],
  startTime = 0,
  estimatedEnd = 1e9,
): RunningWorkload {
  const type = candidateTypes(wd.state, w).find((t) => wd.state.nodeType[nodes[0]] === t)!;
  const request = memberRequest(wd.state, w, type);
  const placements = nodes.map((n) => ({
    node: n,
    devices: Array.from({ length: w.member.devices }, (_, k) => wd.state.devOffset[n] + k),
  }));
  for (const p of placements) allocate(wd.state, request, p);
  const queue = queueIndex(wd.tree, w.queue);
  charge(wd.tree, queue, type, w.member.devices * 1000 * nodes.length);
  const r: RunningWorkload = {
    w,
    queue,
    type,
    request,
    placements,
    startTime,
    estimatedEnd,
    attained: 0,
    terminating: false,
  };
  wd.running.push(r);
  return r;
}

function decide(
  wd: World,
  policy: string,
  pending: Workload[],
  now = 0,
  holds?: Holds,
  briefReasons = false,
): WorkloadDecision[] {
  const p = createSchedulerPolicy(policy, { deviceTypes: wd.state.deviceTypes });
  const lists: PendingWorkload[][] = wd.tree.paths.map(() => []);
  for (const w of pending)
    lists[queueIndex(wd.tree, w.queue)].push({
      w,
      queue: queueIndex(wd.tree, w.queue),
      attained: 0,
    });
  const cmp = withinQueue(p.order, p.lasThresholds);
  for (const l of lists) l.sort(cmp);
  return schedule({
    state: wd.state,
    tree: wd.tree,
    pending: lists,
    running: wd.running,
    policy: p,
    now,
    rng: createRng(1),
    holds,
    briefReasons,
  });
}

const kinds = (ds: WorkloadDecision[]) =>
  ds.map((d) =>
    d.kind === "preempt"
      ? `preempt ${d.victim.w.id}`
      : d.kind === "grow"
        ? `grow ${d.running.w.id}`
        : `${d.kind} ${d.entry.w.id}`,
  );

describe("schedule", () => {
  test("starts what fits and leaves the state as it found it", () => {
    const wd = world(fleetOf(2), { queues: [] }, ["q"]);
    const before = Int32Array.from(wd.state.devFree);
    // 2 nodes × 4: a and b take one node each; c waits
    const ds = decide(wd, "drf", [wl("a"), wl("b", { submitTime: 1 }), wl("c", { submitTime: 2 })]);
    assert.deepEqual(kinds(ds), ["start a", "start b", "wait c"]);
    assert.deepEqual(wd.state.devFree, before);
    assert.equal(wd.tree.usage[0], 0);
  });

  test("drf turns to the other queue after each start: the walk re-picks a queue only while shares stand still", () => {
    const wd = world(fleetOf(4), { queues: [] }, ["a", "b"]);
    const pending = ["a1", "a2", "b1", "b2"].map((id, i) =>
      wl(id, { queue: id[0], submitTime: i }),
    );
    assert.deepEqual(kinds(decide(wd, "drf", pending)), [
      "start a1",
      "start b1",
      "start a2",
      "start b2",
    ]);
  });

  test("fifo blocks behind the head; backfill starts a short job that ends before the head's reservation", () => {
    const wd = world(fleetOf(2), { queues: [] }, ["q"]);
    run(wd, wl("big-running", { members: 1 }), [0], 0, 1000); // node 0 busy until t=1000
    // head wants 2 nodes (waits for node 0 at t=1000); short (est 500) fits node 1 and ends by then
    const pending = [
      wl("head", { members: 2 }),
      wl("short", { submitTime: 1, estimate: 500 }),
      wl("long", { submitTime: 2, estimate: 5000 }),
    ];
    assert.deepEqual(kinds(decide(wd, "fifo", pending)), ["wait head"]);
    assert.deepEqual(kinds(decide(wd, "backfill", pending)), [
      "wait head",
      "start short",
      "wait long",
    ]);
  });

  test("reclaim: a queue within its guarantee preempts a borrower, youngest first", () => {
    const tenancy: TenancySpec = {
      queues: [
        { path: "owner", quota: { gpu: { guaranteed: 8 } } },
        { path: "borrower", quota: { gpu: { guaranteed: 0 } } },
      ],
    };
    const wd = world(fleetOf(2), tenancy, []);
    run(wd, wl("old", { queue: "borrower" }), [0], 0);
    run(wd, wl("young", { queue: "borrower" }), [1], 50);
    const ds = decide(wd, "drf", [wl("mine", { queue: "owner" })]);
    assert.deepEqual(kinds(ds), ["preempt young", "wait mine"]);
    const p = ds[0];
    assert.ok(p.kind === "preempt" && p.reason === "reclaim");
  });

  test("no reclaim beyond the guarantee, and never of non-preemptible work", () => {
    const tenancy: TenancySpec = {
      queues: [
        { path: "owner", quota: { gpu: { guaranteed: 4 } } },
        { path: "borrower", quota: { gpu: { guaranteed: 0 } } },
      ],
    };
    const wd = world(fleetOf(2), tenancy, []);
    run(wd, wl("b1", { queue: "borrower", preemptible: false }), [0]);
    run(wd, wl("b2", { queue: "borrower" }), [1]);
    // wants 8 > its 4 guaranteed: quota says no, nothing preempted
    assert.deepEqual(kinds(decide(wd, "drf", [wl("mine", { queue: "owner", members: 2 })])), [
      "wait mine",
    ]);
    // wants 4 = guarantee: b2 goes (b1 is not preemptible)
    assert.deepEqual(kinds(decide(wd, "drf", [wl("mine", { queue: "owner" })])), [
      "preempt b2",
      "wait mine",
    ]);
  });

  test("already-exiting work counts as room coming: no second victim", () => {
    const tenancy: TenancySpec = {
      queues: [
        { path: "owner", quota: { gpu: { guaranteed: 8 } } },
        { path: "borrower", quota: { gpu: { guaranteed: 0 } } },
      ],
    };
    const wd = world(fleetOf(2), tenancy, []);
    const r = run(wd, wl("leaving", { queue: "borrower" }), [0]);
    wd.running[0] = { ...r, terminating: true };
    run(wd, wl("staying", { queue: "borrower" }), [1]);
    const ds = decide(wd, "drf", [wl("mine", { queue: "owner" })]);
    assert.deepEqual(kinds(ds), ["wait mine"]);
    assert.match(ds[0].kind === "wait" ? ds[0].status.reason : "", /waiting for 1 preempted/);
  });

  test("2D-LAS preempts work that has had more service", () => {
    const wd = world(fleetOf(1), { queues: [] }, ["q"]);
    const served = run(wd, wl("served"), [0]);
    wd.running[0] = { ...served, attained: 5000 }; // past the 3,250 GPU-second threshold
    assert.deepEqual(kinds(decide(wd, "las", [wl("fresh", { submitTime: 10 })], 10)), [
      "preempt served",
      "wait fresh",
    ]);
  });

  test("heterogeneity: picks the device type that finishes soonest", () => {
    const wd = world(fleetOf(1, 1), { queues: [] }, ["q"]);
    const ds = decide(wd, "drf", [wl("any", { speeds: { gpu: 1, fast: 3 } })]);
    assert.equal(ds[0].kind, "start");
    assert.equal(ds[0].kind === "start" && wd.state.deviceTypes[ds[0].type].id, "fast");
  });

  test("a hold keeps others off reserved nodes unless they end before it", () => {
    const wd = world(fleetOf(1), { queues: [] }, ["q", "vip"]);
    const holds: Holds = {
      byNode: Int32Array.of(0),
      list: [{ id: "r", queue: "vip", start: 1000, end: 2000 }],
    };
    // estimate 500 from t=0 ends by 1000: allowed; 5000 is not
    assert.deepEqual(kinds(decide(wd, "drf", [wl("short", { estimate: 500 })], 0, holds)), [
      "start short",
    ]);
    assert.deepEqual(kinds(decide(wd, "drf", [wl("long", { estimate: 5000 })], 0, holds)), [
      "wait long",
    ]);
    assert.deepEqual(
      kinds(decide(wd, "drf", [wl("vip", { queue: "vip", estimate: 5000 })], 0, holds)),
      ["start vip"],
    );
  });

  test("a workload that can never fit is unresolvable", () => {
    const wd = world(fleetOf(1), { queues: [] }, ["q"]);
    const ds = decide(wd, "drf", [wl("huge", { devices: 8 })]);
    assert.equal(ds[0].kind === "wait" && ds[0].status.code, "Unresolvable");
  });

  test("running work below its size grows into free room after the pending workloads", () => {
    const wd = world(fleetOf(4), { queues: [] }, ["q"]);
    // elastic: wants 3 nodes, runs on 1; a pending job takes 1 of the 3 free nodes first
    run(wd, wl("elastic", { members: 3, minMembers: 1 }), [0]);
    const ds = decide(wd, "drf", [wl("p")]);
    assert.deepEqual(kinds(ds), ["start p", "grow elastic"]);
    assert.equal(ds[1].kind === "grow" && ds[1].placements.length, 2);
  });

  test("strict fifo does not grow past a blocked head", () => {
    const wd = world(fleetOf(2), { queues: [] }, ["q"]);
    run(wd, wl("elastic", { members: 2, minMembers: 1 }), [0]);
    assert.deepEqual(kinds(decide(wd, "fifo", [wl("head", { members: 2 })])), ["wait head"]);
  });
});

test("brief reasons: the same decisions and codes, without the per-node counts", () => {
  const fleet = fleetOf(4);
  // Half of every node is busy: 2 devices fit, 4 on no node now, a residency no site has never.
  const never = { ...wl("never", { devices: 1, deviceTypes: ["gpu"] }), residency: "nowhere" };
  const pending = [wl("fits", { devices: 2 }), wl("later"), never];
  const outcomes = (brief: boolean) => {
    const wd = world(fleet, { queues: [{ path: "q" }] } as TenancySpec, ["q"]);
    run(wd, wl("busy", { members: 4, devices: 2 }), [0, 1, 2, 3]);
    return decide(wd, "drf", pending, 0, undefined, brief).map((d) =>
      d.kind === "wait" ? `${d.entry.w.id} ${d.status.code}: ${d.status.reason}` : kinds([d])[0],
    );
  };
  const full = outcomes(false);
  const brief = outcomes(true);
  assert.equal(full.length, 3, JSON.stringify(full));
  assert.equal(brief[0], full[0], "the start is the same");
  assert.match(
    full[1],
    /^later Unschedulable: .*gpu: 0\/4 nodes fit: 4 insufficient free devices$/,
  );
  assert.match(brief[1], /^later Unschedulable: .*gpu: 0\/4 nodes fit now$/);
  assert.match(full[2], /^never Unresolvable: .*no node could ever fit it$/);
  assert.match(brief[2], /^never Unresolvable: .*0\/4 nodes fit; no node could ever fit it$/);
});
