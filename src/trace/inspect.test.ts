import assert from "node:assert/strict";
import { test } from "node:test";
import type { Job } from "../core/model/job.ts";
import { bucketOf, humanSeconds, inspectTrace, percentile } from "./inspect.ts";

const job = (id: string, over: Partial<Job> = {}): Job => ({
  id,
  submitTime: 0,
  duration: 10,
  devices: 1,
  deviceMilli: 1000,
  cpuMilli: 0,
  memoryMiB: 0,
  deviceTypes: [],
  priority: 0,
  tenant: "default",
  ...over,
});

const BUCKETS: [devices: number, milli: number, bucket: string][] = [
  [0, 0, "CPU-only"],
  [1, 1, "fractional <0.5"],
  [1, 499, "fractional <0.5"],
  [1, 500, "fractional ≥0.5"],
  [1, 999, "fractional ≥0.5"],
  [1, 1000, "1"],
  [2, 1000, "2"],
  [3, 1000, "other"],
  [4, 1000, "4"],
  [8, 1000, "8"],
  [16, 1000, "other"],
];

for (const [devices, deviceMilli, bucket] of BUCKETS) {
  test(`bucketOf ${devices} × ${deviceMilli} → ${bucket}`, () => {
    assert.equal(bucketOf({ devices, deviceMilli }), bucket);
  });
}

const HUMAN: [seconds: number, text: string][] = [
  [0, "0s"],
  [45.4, "45s"],
  [725, "12m 5s"],
  [3 * 3600 + 12 * 60 + 30, "3h 12m"],
  [12_902_960, "149d 8h"], // 149 × 86400 = 12,873,600; + 29,360 s = 8.2 h
  [Number.POSITIVE_INFINITY, "never"],
];

for (const [seconds, text] of HUMAN) {
  test(`humanSeconds(${seconds}) → ${text}`, () => assert.equal(humanSeconds(seconds), text));
}

test("percentile: nearest rank", () => {
  const xs = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20
  assert.deepEqual(
    [percentile(xs, 0.5), percentile(xs, 0.95), percentile([], 0.5)],
    [10, 19, null],
  );
});

test("inspectTrace: totals, histogram, types, tenants, durations", () => {
  const s = inspectTrace({
    format: "generic-csv",
    skipped: 2,
    errors: ["t.csv:3: x", "t.csv:4: y"],
    jobs: [
      job("a", { submitTime: 100, devices: 8, duration: 100, tenant: "lab" }),
      job("b", { submitTime: 50, deviceMilli: 250, deviceTypes: ["T4", "P100"], duration: 300 }),
      job("c", { submitTime: 400, devices: 0, deviceMilli: 0, duration: Number.POSITIVE_INFINITY }),
      job("d", {
        submitTime: 200,
        deviceMilli: 600,
        deviceTypes: ["T4", "T4"],
        duration: 200,
        tenant: "lab",
      }),
    ],
  });
  assert.equal(s.jobs, 4);
  assert.equal(s.skipped, 2);
  assert.deepEqual(
    [s.submit.first, s.submit.last, s.submit.span, s.submit.spanHuman],
    [50, 400, 350, "5m 50s"],
  );
  assert.equal(s.deviceDemand, 8.85); // 8 + 0.25 + 0 + 0.6
  assert.deepEqual(
    s.histogram.filter((h) => h.jobs > 0),
    [
      { bucket: "CPU-only", jobs: 1, devices: 0 },
      { bucket: "fractional <0.5", jobs: 1, devices: 0.25 },
      { bucket: "fractional ≥0.5", jobs: 1, devices: 0.6 },
      { bucket: "8", jobs: 1, devices: 8 },
    ],
  );
  // d names T4 twice but counts once
  assert.deepEqual(s.deviceTypes, {
    constrainedJobs: 2,
    constrainedShare: 0.5,
    top: [
      { type: "T4", jobs: 2 },
      { type: "P100", jobs: 1 },
    ],
  });
  assert.deepEqual(s.tenants, [
    { tenant: "default", jobs: 2, devices: 0.25 },
    { tenant: "lab", jobs: 2, devices: 8.6 },
  ]);
  // finite durations 100, 200, 300: mean 200, p50 = 2nd, p95 = 3rd
  assert.deepEqual(s.duration, {
    finite: 3,
    neverEnding: 1,
    mean: 200,
    p50: 200,
    p95: 300,
    max: 300,
  });
});

test("inspectTrace: no jobs gives zeros and nulls", () => {
  const s = inspectTrace({ jobs: [] });
  assert.deepEqual([s.jobs, s.submit.span, s.deviceDemand, s.duration.mean], [0, 0, 0, null]);
});
