// compareUsage: store usage records (ms) against sacct jobs (s), one row per case.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SacctJob } from "../executors/slurm/sacct.ts";
import { compareUsage, type UsageRecord } from "./reconcile.ts";

const T = 1_800_000_000; // epoch s
let ids = 0;
const row = (job: number, start: number, end: number | null, devices = 2): UsageRecord => ({
  id: ++ids,
  job_id: job,
  attempt: 1,
  tenant: "snu",
  device_milli: devices * 1000,
  started_at: start * 1000,
  ended_at: end === null ? null : end * 1000,
});
const sj = (
  job: number,
  start: number | null,
  end: number | null,
  gpus = 2,
  dep = "d1",
): SacctJob => ({
  id: String(100 + job),
  name: `gj-${job}.1`,
  comment: end === null ? "" : `gongjang ${dep} ${job}.1`,
  state: end === null ? "RUNNING" : "COMPLETED",
  start,
  end,
  elapsed: 0,
  exitCode: 0,
  signal: null,
  gpus,
  nodes: "gj-n1",
});
const compare = (rows: UsageRecord[], jobs: SacctJob[]) =>
  compareUsage(rows, jobs, { deployment: "d1", toleranceS: 5, sinceMs: T * 1000 });

test("runs within the tolerance match; totals add both sides", () => {
  // gongjang opened 1 s before Slurm started, closed 2 s after it ended: within 5 s.
  const c = compare([row(1, T - 1, T + 3602)], [sj(1, T, T + 3600)]);
  assert.equal(c.matched, 1);
  assert.deepEqual(c.mismatched, []);
  // 2 devices × 3603 s = 2.001667 h; 2 × 3600 s = 2 h
  assert.deepEqual(c.totals, { gongjangDeviceHours: 2.001667, slurmDeviceHours: 2 });
});

test("a run off by more than the tolerance is a mismatch with a correction to Slurm's times", () => {
  // the job waited 600 s in Slurm's queue: gongjang counted it, Slurm did not run it.
  const r = row(2, T - 600, T + 1800);
  const c = compare([r], [sj(2, T, T + 1800)]);
  assert.equal(c.matched, 0);
  const [m] = c.mismatched;
  assert.equal(m.deltaStartSeconds, 600);
  assert.equal(m.deltaDeviceHours, -0.333333); // 2 devices × −600 s = −1/3 h
  assert.deepEqual(
    c.corrections.map((x) => [x.usageId, x.startedAt, x.endedAt]),
    [[r.id, T * 1000, (T + 1800) * 1000]],
  );
});

test("a device count difference is reported but never corrected", () => {
  const c = compare([row(3, T, T + 60, 2)], [sj(3, T, T + 60, 4)]);
  assert.equal(c.mismatched.length, 1);
  assert.equal(c.mismatched[0].slurm.devices, 4);
  assert.deepEqual(c.corrections, []);
});

test("one-sided runs, other deployments, open and running ones", () => {
  const c = compare(
    [
      row(4, T, T + 60), // Slurm has no record: only in gongjang
      row(5, T, null), // still open: skipped
      row(6, T - 7200, T - 3600), // ended before the window, no Slurm job: ignored
    ],
    [
      sj(7, T, T + 60), // no usage record: only in Slurm
      sj(8, T, T + 60, 2, "other-deployment"), // not ours
      { ...sj(9, T, null), comment: "gongjang d1 9.1" }, // not ended (23.02+ has its comment): skipped
      sj(12, T, null), // not ended, no comment yet (22.05): not attributable
      sj(10, null, T + 5), // cancelled while pending: ran for no time
    ],
  );
  assert.deepEqual(
    c.onlyInGongjang.map((x) => x.job),
    [4],
  );
  assert.deepEqual(
    c.onlyInSlurm.map((x) => [x.job, x.deviceHours]),
    [
      [7, 0.033333], // 2 × 60 s
      [10, 0],
    ],
  );
  assert.deepEqual(c.skipped, { open: 1, running: 1 });
});

test("a job Slurm never started (no allocation) matches a run closed within the tolerance", () => {
  // scancel while pending: sacct's start = end, no GPUs; gongjang held it for 0.5 s.
  const r = { ...row(13, T, T), ended_at: T * 1000 + 500 };
  assert.equal(compare([r], [sj(13, null, T, 0)]).matched, 1);
});

test("reused Slurm job ids: the latest job with the key counts", () => {
  const c = compare([row(11, T, T + 60)], [sj(11, T - 99_999, T - 99_000), sj(11, T, T + 60)]);
  assert.equal(c.matched, 1);
});
