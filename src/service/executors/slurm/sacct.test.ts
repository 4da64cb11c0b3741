// sacct's parser reads real output of the loopback test cluster with accounting
// (Debian's Slurm 22.05.8 + slurmdbd, scripts/slurm/): fixtures/sacct-22.05*.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../../../core/errors.ts";
import { gpusOf, parseSacctJson, sacctTime } from "./sacct.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

test("sacct --json: states, times, comments, exit codes and GPUs", () => {
  const jobs = parseSacctJson(fixture("sacct-22.05.json"));
  assert.deepEqual(
    jobs.map((j) => [j.id, j.name, j.comment, j.state, j.start, j.end, j.elapsed, j.gpus]),
    [
      ["3", "gj-7.1", "gongjang dep1 7.1", "COMPLETED", 1795460810, 1795460811, 1, 2],
      ["4", "gj-8.1", "gongjang dep1 8.1", "FAILED", 1795460810, 1795460810, 0, 0], // --gres none
      ["5", "gj-9.1", "gongjang dep1 9.1", "COMPLETED", 1795460831, 1795460861, 30, 8], // 2 nodes × 4
      ["6", "gj-10.1", "gongjang dep1 10.1", "CANCELLED", 1795460811, 1795460827, 16, 1],
      ["7", "gj-11.1", "", "RUNNING", 1795460861, null, 13, 1], // comment comes with the end
    ],
  );
  assert.deepEqual(
    jobs.map((j) => [j.id, j.exitCode, j.signal]),
    [
      ["3", 0, null],
      // `exit 3`: 22.05 prints SUCCESS/0 for the job and its batch step; unknown, not 0.
      ["4", null, null],
      ["5", 0, null],
      ["6", null, 15], // scancel: the batch step's SIGTERM
      ["7", null, null],
    ],
  );
  assert.equal(jobs[2].nodes, "gj-n[1-2]");
});

test("sacct --json: nothing found is an empty list, other errors throw", () => {
  assert.deepEqual(parseSacctJson(fixture("sacct-22.05-empty.json")), []);
  const broken = JSON.stringify({ errors: [{ error_number: 1, error: "boom" }], jobs: [] });
  assert.throws(
    () => parseSacctJson(broken),
    (e) => e instanceof GongjangError && e.code === "GJ_ERR_SLURM_OUTPUT",
  );
  assert.throws(() => parseSacctJson("not json"), GongjangError);
});

test("sacct --json: 23.02+ shapes (wrapped numbers, state arrays, string comments)", () => {
  const doc = {
    jobs: [
      {
        job_id: { set: true, infinite: false, number: 42 },
        name: "gj-1.2",
        comment: "gongjang d 1.2",
        state: { current: ["FAILED"], reason: "NonZeroExitCode" },
        time: { start: { set: true, number: 100 }, end: 160, elapsed: 60 },
        exit_code: { status: ["EXITED"], return_code: { set: true, number: 2 } },
        tres: { allocated: [{ type: "gres", name: "gpu:h100", count: 4 }] },
      },
    ],
  };
  const [j] = parseSacctJson(JSON.stringify(doc));
  assert.deepEqual(
    [j.id, j.comment, j.state, j.start, j.end, j.exitCode, j.gpus],
    ["42", "gongjang d 1.2", "FAILED", 100, 160, 2, 4],
  );
});

test("gpusOf: the untyped gres/gpu TRES wins over typed ones (they would double count)", () => {
  const tres = [
    { type: "gres", name: "gpu", count: 8 },
    { type: "gres", name: "gpu:h100", count: 8 },
    { type: "cpu", name: null, count: 2 },
  ];
  assert.equal(gpusOf(tres), 8);
  assert.equal(
    gpusOf([
      { type: "gres", name: "gpu:a100", count: 2 },
      { type: "gres", name: "gpu:h100", count: 1 },
    ]),
    3,
  );
  assert.equal(gpusOf(undefined), 0);
});

test("sacctTime: local wall-clock time without a zone, as sacct -S/-E read it", () => {
  const t = new Date(2026, 10, 3, 4, 5, 6).getTime(); // local 2026-11-03 04:05:06
  assert.equal(sacctTime(t), "2026-11-03T04:05:06");
});
