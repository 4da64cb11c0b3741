import assert from "node:assert/strict";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import {
  aggregateUsage,
  overlapMs,
  parseDimensions,
  type UsageRecord,
  usageCsv,
} from "./aggregate.ts";

const H = 3_600_000;
const T0 = Date.parse("2026-11-01T00:00:00Z");
const at = (hours: number) => T0 + hours * H;

const rec = (
  o: Partial<UsageRecord> & Pick<UsageRecord, "startedAt" | "endedAt">,
): UsageRecord => ({
  tenant: "hyundai",
  queue: "hyundai/llm",
  user: "kim",
  deviceType: "nvidia-h100-80g",
  deviceMilli: 8000,
  ...o,
});

test("overlap of a run with the window", () => {
  const w = { from: at(10), to: at(20), now: at(30) };
  const cases: [number, number | null, number][] = [
    [at(12), at(14), 2 * H], // inside: 14 − 12 = 2 h
    [at(5), at(12), 2 * H], // starts before: 12 − 10 = 2 h
    [at(18), at(25), 2 * H], // ends after: 20 − 18 = 2 h
    [at(5), at(25), 10 * H], // covers the window: 20 − 10 = 10 h
    [at(1), at(9), 0], // before
    [at(21), at(22), 0], // after
    [at(15), null, 5 * H], // open, counted to min(now, to) = 20: 20 − 15 = 5 h
    [at(10), at(10), 0], // empty run
  ];
  for (const [s, e, ms] of cases) assert.equal(overlapMs(s, e, w), ms, `${s}..${e}`);
  // open run, window reaching past now: counted to now = 25 → 25 − 22 = 3 h
  assert.equal(overlapMs(at(22), null, { from: at(20), to: at(40), now: at(25) }), 3 * H);
});

test("device-hours grouped by tenant and type, with totals", () => {
  const records = [
    rec({ startedAt: at(0), endedAt: at(2) }), // 8 GPUs × 2 h = 16
    rec({ startedAt: at(1), endedAt: at(4), deviceMilli: 250 }), // 0.25 × 3 h = 0.75
    rec({ startedAt: at(0), endedAt: at(1), deviceType: "nvidia-vr-nvl144", deviceMilli: 4000 }), // 4 × 1 = 4
    rec({ startedAt: at(3), endedAt: null, tenant: "snu", queue: "snu/gsai", deviceMilli: 1000 }), // 1 × (6 − 3) = 3
    rec({ startedAt: at(7), endedAt: at(9), tenant: "snu" }), // after the window: skipped
  ];
  const r = aggregateUsage(records, { from: at(0), to: at(6), now: at(10) }, ["tenant", "type"]);
  assert.deepEqual(r.rows, [
    { tenant: "hyundai", type: "nvidia-h100-80g", deviceHours: 16.75, runs: 2 },
    { tenant: "hyundai", type: "nvidia-vr-nvl144", deviceHours: 4, runs: 1 },
    { tenant: "snu", type: "nvidia-h100-80g", deviceHours: 3, runs: 1 },
  ]);
  // 16.75 + 4 + 3 = 23.75 over 4 runs
  assert.deepEqual(r.total, { deviceHours: 23.75, runs: 4 });
});

test("grouping by nothing gives one row; by user and queue keeps the order asked", () => {
  const records = [
    rec({ startedAt: at(0), endedAt: at(1), user: "lee" }), // 8
    rec({ startedAt: at(0), endedAt: at(0.5), user: "kim" }), // 8 × 0.5 = 4
  ];
  const w = { from: at(0), to: at(24), now: at(24) };
  assert.deepEqual(aggregateUsage(records, w, []).rows, [{ deviceHours: 12, runs: 2 }]);
  assert.deepEqual(
    aggregateUsage(records, w, ["user", "queue"]).rows.map((r) => Object.keys(r)),
    [
      ["user", "queue", "deviceHours", "runs"],
      ["user", "queue", "deviceHours", "runs"],
    ],
  );
  assert.deepEqual(aggregateUsage([], w, ["tenant"]), {
    rows: [],
    total: { deviceHours: 0, runs: 0 },
  });
});

test("parseDimensions accepts known names once each and names the parameter otherwise", () => {
  assert.deepEqual(parseDimensions("tenant, type"), ["tenant", "type"]);
  assert.deepEqual(parseDimensions(""), []);
  for (const bad of ["tenant,colour", "type,type"]) {
    assert.throws(
      () => parseDimensions(bad),
      (e: unknown) =>
        e instanceof GongjangError &&
        e.code === "GJ_ERR_REQUEST_INVALID" &&
        e.location.path === "querystring.by",
    );
  }
});

test("CSV has a header, one line per row and a TOTAL line", () => {
  const csv = usageCsv({
    by: ["tenant", "type"],
    rows: [
      { tenant: "hyundai", type: "nvidia-h100-80g", deviceHours: 16.75, runs: 2 },
      { tenant: 'a,"b', type: "x", deviceHours: 1, runs: 1 },
    ],
    total: { deviceHours: 17.75, runs: 3 },
  });
  assert.equal(
    csv,
    [
      "tenant,type,device_hours,runs",
      "hyundai,nvidia-h100-80g,16.75,2",
      '"a,""b",x,1,1',
      "TOTAL,,17.75,3",
      "",
    ].join("\n"),
  );
});

test("many runs sum exactly per group", () => {
  const records: UsageRecord[] = [];
  for (let i = 0; i < 10_000; i++)
    records.push(
      rec({
        tenant: `t${i % 7}`,
        deviceType: i % 2 === 0 ? "a" : "b",
        startedAt: at(i % 100),
        endedAt: at((i % 100) + 1),
        deviceMilli: 1000,
      }),
    );
  const r = aggregateUsage(records, { from: at(0), to: at(200), now: at(200) }, ["tenant", "type"]);
  // every run is 1 device × 1 h: 10,000 device-hours in 7 tenants × 2 types
  assert.equal(r.total.deviceHours, 10_000);
  assert.equal(r.rows.length, 14);
  assert.equal(
    r.rows.reduce((s, x) => s + x.deviceHours, 0),
    10_000,
  );
});
