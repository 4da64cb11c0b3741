// explainJob on small hand-built fleets: one case per constraint, the arithmetic in
// comments. Node ids are short; every node has 64 cores and 512 GiB (fixture.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TenancySpec } from "../../core/tenancy/spec.ts";
import { fleetOf, jobRow, runningRow, snapshotOf } from "./fixture.ts";
import { type Constraint, type ExplainLine, explainJob, formatExplain } from "./index.ts";

const H = "h100";
const dev = (n: number) => Array.from({ length: n }, (_, i) => i);
const two8 = fleetOf({ "s1/r1/d1": [["n1", H, 8]], "s1/r1/d2": [["n2", H, 8]] });

/** Quotas for t/a and t/b under t (16 h100). */
function tenancy(a: object, b: object = { guaranteed: 8 }): TenancySpec {
  return {
    queues: [
      { path: "t", quota: { [H]: { guaranteed: 16 } } },
      { path: "t/a", quota: { [H]: a as { guaranteed: number } } },
      { path: "t/b", quota: { [H]: b as { guaranteed: number } } },
    ],
  };
}
const OPEN: TenancySpec = { queues: [] };

const find = (lines: readonly ExplainLine[], c: Constraint) => {
  const l = lines.find((x) => x.constraint === c);
  assert.ok(l, `no ${c} line in ${JSON.stringify(lines, null, 1)}`);
  return l;
};

test("quota: the leaf would pass its guarantee + borrowing limit", () => {
  const pending = jobRow({ queue: "t/a", devices: 8 });
  const snap = snapshotOf(two8, tenancy({ guaranteed: 8, borrowLimit: 4 }), [
    runningRow({ queue: "t/a" }, H, [["n1", dev(8)]]),
    pending,
  ]);
  const e = explainJob(snap, pending.id);
  const q = find(e.lines, "quota");
  // 8 used + 8 asked = 16 > 8 guaranteed + 4 borrowable = 12
  assert.equal(q.blocking, true);
  assert.deepEqual(q.numbers, {
    queue: "t/a",
    guaranteed: 8,
    used: 8,
    asked: 8,
    borrowLimit: 4,
    limit: 12,
  });
  assert.match(q.text, /queue t\/a would use 16 h100 \(8 in use \+ 8 asked\)/);
  // the parent t (16 guaranteed, no limit) does not block: one quota line
  assert.equal(e.lines.filter((l) => l.constraint === "quota").length, 1);
  // 16 on schedulable nodes − 8 allocated = 8 idle: the cohort has room
  assert.equal(find(e.lines, "cohort").blocking, false);
  assert.equal(find(e.lines, "cohort").numbers.idle, 8);
  assert.match(e.summary, /^waits on quota: queue t\/a would use 16/);
});

test("cohort: within its limits, but the idle rest is kept by a sibling", () => {
  const pending = jobRow({ queue: "t/a", devices: 4 });
  const snap = snapshotOf(
    two8,
    tenancy({ guaranteed: 8, borrowLimit: 8 }, { guaranteed: 8, lendLimit: 0 }),
    [runningRow({ queue: "t/a" }, H, [["n1", dev(8)]]), pending],
  );
  const e = explainJob(snap, pending.id);
  const q = find(e.lines, "quota");
  // 8 used + 4 asked = 12 ≤ 8 + 8: allowed, but 4 of it borrowed
  assert.equal(q.blocking, false);
  // room: t/a 8 + 8 − 8 used = 8; t 16 + unlimited: t/a's limit is the tighter
  assert.match(q.text, /would borrow 4 of the 4 asked; its limits leave room for 8 \(queue t\/a's/);
  const c = find(e.lines, "cohort");
  // 16 − 8 allocated = 8 idle; t/b keeps 8 guaranteed − 0 lendable − 0 used = 8; 8 − 8 = 0 open
  assert.equal(c.blocking, true);
  assert.deepEqual(c.numbers, { capacity: 16, allocated: 8, idle: 8, kept: 8, open: 0, asked: 4 });
  // the devices are there: capacity does not block
  assert.equal(find(e.lines, "capacity").blocking, false);
  assert.deepEqual(
    e.lines.filter((l) => l.blocking).map((l) => l.constraint),
    ["cohort"],
  );
});

test("capacity and node-state: a down node's idle devices do not count", () => {
  const three = fleetOf({
    "s1/r1/d1": [
      ["n1", H, 8],
      ["n2", H, 8],
      ["n3", H, 8],
    ],
  });
  const pending = jobRow({ queue: "t/a", devices: 8 });
  const snap = snapshotOf(
    three,
    OPEN,
    [
      runningRow({ queue: "t/a" }, H, [
        ["n1", dev(8)],
        ["n2", dev(8)],
      ]),
      pending,
    ],
    { down: ["n3"] },
  );
  const e = explainJob(snap, pending.id);
  const cap = find(e.lines, "capacity");
  // 24 devices − 8 on the down n3 − 16 in use = 0 free
  assert.equal(cap.blocking, true);
  assert.equal(cap.numbers.free, 0);
  assert.equal(cap.numbers.total, 24);
  assert.equal(cap.numbers.downDevices, 8);
  const ns = find(e.lines, "node-state");
  // 0 free + 8 idle on n3 ≥ 8: the down node alone keeps it waiting
  assert.equal(ns.blocking, true);
  assert.deepEqual(ns.numbers, { nodes: 1, devices: 8, idle: 8, needed: 8 });
  assert.equal(find(e.lines, "quota").text, "open tenancy: no queue has a quota");
});

test("residency: only the allowed site's free devices count", () => {
  const sites = fleetOf(
    { "seoul/r1/d1": [["a1", H, 8]], "busan/r1/d1": [["b1", H, 8]] },
    { seoul: ["kr", "kr-seoul"], busan: ["kr", "kr-busan"] },
  );
  const pending = jobRow({ queue: "t/a", devices: 4, residency: "kr-seoul" });
  const snap = snapshotOf(sites, OPEN, [
    runningRow({ queue: "t/a" }, H, [["a1", dev(6)]]),
    pending,
  ]);
  const e = explainJob(snap, pending.id);
  const r = find(e.lines, "residency");
  // seoul: 8 − 6 used = 2 free < 4; busan's 8 free are not allowed
  assert.equal(r.blocking, true);
  assert.equal(
    r.text,
    "residency kr-seoul: only site seoul allowed, which has 2 free h100 (needs 4); 8 free at busan",
  );
  assert.equal(r.numbers.freeAllowed, 2);
  assert.equal(r.numbers.freeElsewhere, 8);
  // 2 + 8 = 10 free in all ≥ 4: capacity alone would not block
  assert.equal(find(e.lines, "capacity").blocking, false);
});

test("topology: a domain-required gang larger than every domain's free block", () => {
  const domains = fleetOf({
    "s1/r1/b1": [
      ["n1", H, 4],
      ["n2", H, 4],
    ],
    "s1/r1/b2": [
      ["n3", H, 4],
      ["n4", H, 4],
    ],
    "s1/r1/b3": [
      ["n5", H, 4],
      ["n6", H, 4],
    ],
  });
  const pending = jobRow({
    queue: "t/a",
    devices: 4,
    members: 2,
    topology: { level: "domain", required: true },
  });
  const snap = snapshotOf(domains, OPEN, [
    runningRow({ queue: "t/a" }, H, [
      ["n1", dev(4)],
      ["n2", dev(4)],
    ]),
    runningRow({ queue: "t/a" }, H, [["n3", dev(4)]]),
    runningRow({ queue: "t/a" }, H, [["n5", dev(3)]]),
    pending,
  ]);
  const e = explainJob(snap, pending.id);
  const t = find(e.lines, "topology");
  // b1 0 free; b2 8 − 4 = 4; b3 8 − 3 = 5 (1 on n5 + 4 on n6): all < 2 × 4 = 8
  assert.equal(t.blocking, true);
  assert.equal(
    t.text,
    "needs 8 h100 (2 × 4) in one domain; the largest free block is 5 in s1/r1/b3",
  );
  assert.equal(t.numbers.largestFree, 5);
  // 4 + 5 = 9 free ≥ 8 and n4, n6 hold one member each: only topology blocks
  assert.deepEqual(
    e.lines.filter((l) => l.blocking).map((l) => l.constraint),
    ["topology"],
  );
});

test("fragmentation: enough free in total, not on one node", () => {
  const three = fleetOf({
    "s1/r1/d1": [["n1", H, 8]],
    "s1/r1/d2": [["n2", H, 8]],
    "s1/r1/d3": [["n3", H, 8]],
  });
  const cases: [string, number, number[], RegExp][] = [
    // 3 + 3 + 3 = 9 free ≥ 4, but each node has 8 − 5 = 3 < 4
    ["no node has room", 1, [5, 5, 5], /9 h100 free but no node has 4 free \(largest: 3 on n1\)/],
    // 4 + 3 + 3 = 10 free ≥ 2 × 4, but only n1 holds a member of 4
    [
      "one member fits",
      2,
      [4, 5, 5],
      /10 h100 free but only 1 member of 4 fit on single nodes \(largest: 4 on n1\), 2 needed/,
    ],
  ];
  for (const [name, members, used, text] of cases) {
    const pending = jobRow({ queue: "t/a", devices: 4, members });
    const rows = used.map((u, i) => runningRow({ queue: "t/a" }, H, [[`n${i + 1}`, dev(u)]]));
    const e = explainJob(snapshotOf(three, OPEN, [...rows, pending]), pending.id);
    const f = find(e.lines, "fragmentation");
    assert.equal(f.blocking, true, name);
    assert.match(f.text, text, name);
    assert.equal(find(e.lines, "capacity").blocking, false, name);
  }
});

test("fractional and CPU-only work", () => {
  // 16 devices, each with 0.75 taken: 16 × 0.25 = 4 free, none with 0.5
  const shares = [1, 2].flatMap((n) =>
    dev(8).map((d) =>
      runningRow({ queue: "t/a", devices: 1, deviceShare: 0.75 }, H, [[`n${n}`, [d]]]),
    ),
  );
  const half = jobRow({ queue: "t/a", devices: 1, deviceShare: 0.5 });
  const e = explainJob(snapshotOf(two8, OPEN, [...shares, half]), half.id);
  assert.equal(find(e.lines, "capacity").numbers.free, 4);
  assert.equal(
    find(e.lines, "fragmentation").text,
    "4 h100 free but no single device has 0.5 free, 1 needed",
  );
  // CPU-only: 64 cores per node, 2 nodes; 48 cores a member fits once per node
  const cpu = jobRow({ queue: "t/a", devices: 0, members: 3, cpuMilli: 48_000 });
  const c = find(explainJob(snapshotOf(two8, OPEN, [cpu]), cpu.id).lines, "capacity");
  assert.equal(c.blocking, true);
  assert.deepEqual(c.numbers, { members: 2, needed: 3 });
});

test("queue order: jobs ahead in its queue and fleet-wide, and the attempt budget", () => {
  const b = jobRow({ queue: "t/b", devices: 1 }); // submitted first
  const a = [1, 2, 3].map(() => jobRow({ queue: "t/a", devices: 1 }));
  const snap = snapshotOf(two8, OPEN, [b, ...a]);
  const e = explainJob(snap, a[2].id);
  const o = find(e.lines, "queue-order");
  // in t/a: a[0], a[1] ahead; fleet-wide (fifo): b, a[0], a[1] = 3
  assert.equal(o.numbers.aheadInQueue, 2);
  assert.equal(o.numbers.ahead, 3);
  assert.equal(o.blocking, false);
  const policy = { order: "fifo", lasThresholds: [], strict: false, backfill: false } as const;
  const tight = explainJob(snap, a[2].id, { policy: { ...policy, maxAttempts: 3 } });
  // 3 ahead ≥ 3 tried per cycle: it is not reached this cycle
  assert.equal(find(tight.lines, "queue-order").blocking, true);
  assert.match(e.summary, /nothing blocks it/);
});

test("the last cycle's reason: verbatim when it says more than the lines", () => {
  const cases: [string | null, Constraint | null, boolean][] = [
    ["Preemption: waiting for 1 preempted workload(s) to exit", "preemption", true],
    ["Queue: behind a job that cannot start (strict order)", "queue-order", true],
    // the snapshot has room the last cycle did not see: kept as a note
    ["Gang: no room for all 1 members in the fleet", "cycle", false],
    [null, null, false],
    // history, not a cycle's status: a note until the next cycle
    ["preempted; requeued", "cycle", false],
  ];
  for (const [reason, constraint, blocking] of cases) {
    const pending = jobRow({ queue: "t/a", devices: 1 }, { reason });
    const e = explainJob(snapshotOf(two8, OPEN, [pending]), pending.id);
    const last = e.lines.find((l) => /^last (cycle|change): /.test(l.text));
    if (constraint === null) {
      assert.equal(last, undefined);
      continue;
    }
    assert.ok(last, String(reason));
    assert.equal(last.constraint, constraint);
    assert.equal(last.blocking, blocking);
    assert.ok(last.text.includes(reason!));
  }
});

test("several device types: waits only when every type is blocked", () => {
  const mixed = fleetOf({ "s1/r1/d1": [["n1", H, 8]], "s1/r2/d2": [["m1", "atom", 8]] });
  const both = jobRow({ queue: "t/a", devices: 8, deviceTypes: [H, "atom"] });
  const full = runningRow({ queue: "t/a" }, H, [["n1", dev(8)]]);
  const e = explainJob(snapshotOf(mixed, OPEN, [full, both]), both.id);
  // h100: 8 − 8 = 0 free (blocked); atom: 8 free (not)
  assert.equal(find(e.lines, "capacity").deviceType, H);
  assert.equal(
    e.lines.find((l) => l.constraint === "capacity" && l.deviceType === H)?.blocking,
    true,
  );
  assert.match(e.summary, /nothing blocks it/);
  const atom = runningRow({ queue: "t/a" }, "atom", [["m1", dev(8)]]);
  const e2 = explainJob(snapshotOf(mixed, OPEN, [full, atom, both]), both.id);
  assert.match(e2.summary, /every accepted device type: h100 \(capacity\); atom \(capacity\)/);
});

test("a running job says where it runs and that it borrows; a finished one why it ended", () => {
  const run = runningRow({ queue: "t/a", devices: 8 }, H, [
    ["n1", dev(8)],
    ["n2", dev(8)],
  ]);
  const snap = snapshotOf(two8, tenancy({ guaranteed: 8, borrowLimit: 8 }), [run]);
  const e = explainJob(snap, run.id, { row: run });
  assert.equal(e.state, "running");
  assert.match(e.lines[0].text, /^runs 2 members on n1, n2 \(16 h100\) in one rack \(s1\/r1\)/);
  const p = find(e.lines, "preemption");
  // t/a uses 16, guaranteed 8: 16 − 8 = 8 borrowed
  assert.equal(p.numbers.borrowed, 8);
  const done = jobRow(
    { queue: "t/a" },
    { state: "succeeded", ended_at: 0, exit_code: 0, reason: "exited 0" },
  );
  const d = explainJob(snap, done.id, { row: done });
  assert.equal(d.summary, "succeeded at 1970-01-01T00:00:00.000Z: exited 0 (exit code 0)");
  assert.throws(() => explainJob(snap, 999_999), { code: "GJ_ERR_NOT_FOUND" });
});

test("formatExplain: a head line, then one line per constraint", () => {
  const pending = jobRow({ queue: "t/a", devices: 8 });
  const snap = snapshotOf(two8, tenancy({ guaranteed: 8, borrowLimit: 4 }), [
    runningRow({ queue: "t/a" }, H, [["n1", dev(8)]]),
    pending,
  ]);
  const text = formatExplain(explainJob(snap, pending.id));
  const lines = text.split("\n");
  assert.match(lines[0], new RegExp(`^job ${pending.id} \\(t/a\\) pending: waits on quota`));
  assert.match(lines[1], /^ {2}\[blocks\] quota: queue t\/a would use 16 h100/);
  assert.ok(lines.some((l) => l.startsWith("  [note]   capacity: needs 8 h100 (1 × 8)")));
  assert.match(lines[lines.length - 1], /^ {2}\(as of 1970-01-12T13:46:40.000Z\)$/);
});
