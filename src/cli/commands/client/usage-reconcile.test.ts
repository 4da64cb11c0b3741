import assert from "node:assert/strict";
import { test } from "node:test";
import { type ReconcileReport, reconcileText } from "./usage-reconcile.ts";

const run = (start: string, end: string, devices: number, deviceHours: number) => ({
  startedAt: `2026-11-23T${start}Z`,
  endedAt: `2026-11-23T${end}Z`,
  devices,
  deviceHours,
});
const report: ReconcileReport = {
  since: "2026-11-16T00:00:00.000Z",
  asOf: "2026-11-23T12:00:00.000Z",
  toleranceSeconds: 5,
  applied: false,
  corrected: 0,
  matched: 4,
  mismatched: [
    {
      job: 7,
      attempt: 1,
      slurmJobId: "31",
      gongjang: run("10:00:00", "11:00:00", 2, 2), // 2 devices × 1 h
      slurm: run("10:30:00", "11:00:00", 2, 1), // waited 30 min in Slurm's queue
      deltaDeviceHours: -1,
    },
  ],
  onlyInGongjang: [{ job: 9, attempt: 2, ...run("10:00:00", "10:00:01", 1, 0.000278) }],
  onlyInSlurm: [],
  skipped: { open: 1, running: 0 },
  totals: { gongjangDeviceHours: 10, slurmDeviceHours: 9 },
};

test("reconcileText: summary, mismatches with their difference, one-sided runs", () => {
  const text = reconcileText(report);
  assert.match(
    text,
    /matched 4, mismatched 1, only in gongjang 1, only in Slurm 0; not compared: 1 open/,
  );
  assert.match(text, /gongjang 10\.000, Slurm 9\.000/);
  assert.match(text, /7\.1 +31 +2026-11-23 10:00:00Z \.\. 2026-11-23 11:00:00Z ×2 .* -1\.000\n/);
  assert.match(text, /only in gongjang: 9\.2\n/);
  assert.match(text, /dry run/);
  assert.match(
    reconcileText({ ...report, applied: true, corrected: 1 }),
    /applied: 1 usage record/,
  );
});
