// Parsers read real output captured from the loopback test cluster (Debian's Slurm
// 22.05.8, see scripts/slurm/): fixtures/squeue-22.05.json and sinfo-22.05.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../../../core/errors.ts";
import { exitOf, parseGres, parseSinfoJson, parseSqueueJson } from "./parse.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

test("squeue --json: states, exit codes, comments and allocated GRES", () => {
  const jobs = parseSqueueJson(fixture("squeue-22.05.json"));
  assert.deepEqual(
    jobs.map((j) => [j.id, j.state, j.reason, j.exitCode, j.signal, j.nodes]),
    [
      ["1", "FAILED", "NonZeroExitCode", 3, null, "gj-n2"], // wait status 768 = 3 << 8
      ["3", "COMPLETED", "None", 0, null, "gj-n1"],
      ["10", "NODE_FAIL", "NodeDown", null, 15, "gj-n2"], // scontrol update state=down
      ["12", "CANCELLED", "None", null, 15, "gj-n2"], // scancel: SIGTERM
      ["14", "RUNNING", "None", 0, null, "gj-n1"],
      ["15", "PENDING", "Resources", 0, null, ""],
    ],
  );
  const running = jobs.find((j) => j.id === "14");
  assert.equal(running?.comment, "gongjang job-a.1");
  assert.deepEqual(running?.gresDetail, ["gpu:h100:4(IDX:0-3)"]);
});

test("sinfo --json: nodes with GRES, CPUs and memory", () => {
  const nodes = parseSinfoJson(fixture("sinfo-22.05.json"));
  assert.deepEqual(
    nodes.map((n) => [n.name, n.state, n.cpus, n.realMemoryMiB, n.gres, n.partitions]),
    [
      ["gj-n1", "mixed", 8, 16000, [{ name: "gpu", type: "h100", count: 4 }], ["gpu"]],
      ["gj-n2", "idle", 8, 16000, [{ name: "gpu", type: "h100", count: 4 }], ["gpu"]],
    ],
  );
});

const GRES: [string, ReturnType<typeof parseGres>][] = [
  ["gpu:h100:4", [{ name: "gpu", type: "h100", count: 4 }]],
  ["gpu:4(S:0-1)", [{ name: "gpu", type: null, count: 4 }]],
  [
    "gpu:a100:2(S:0),shard:a100:16",
    [
      { name: "gpu", type: "a100", count: 2 },
      { name: "shard", type: "a100", count: 16 },
    ],
  ],
  ["gpu", [{ name: "gpu", type: null, count: 1 }]],
  ["(null)", []],
  ["", []],
];
for (const [text, want] of GRES)
  test(`GRES ${JSON.stringify(text)}`, () => assert.deepEqual(parseGres(text), want));

test("exit codes: 22.05 wait status and the 23.02+ object", () => {
  assert.deepEqual(exitOf(768), { exitCode: 3, signal: null }); // 3 << 8
  assert.deepEqual(exitOf(9), { exitCode: null, signal: 9 });
  assert.deepEqual(
    exitOf({ status: ["EXITED"], return_code: { set: true, infinite: false, number: 3 } }),
    {
      exitCode: 3,
      signal: null,
    },
  );
  assert.deepEqual(
    exitOf({
      status: ["SIGNALED"],
      return_code: { set: true, number: 0 },
      signal: { id: { set: true, number: 9 } },
    }),
    { exitCode: null, signal: 9 },
  );
});

test("23.02+ shapes: array job_state and wrapped job_id", () => {
  const text = JSON.stringify({
    jobs: [
      {
        job_id: 7,
        job_state: ["RUNNING", "REQUEUED"],
        name: "n",
        exit_code: { return_code: { set: true, number: 0 } },
      },
    ],
    errors: [],
  });
  const [j] = parseSqueueJson(text);
  assert.deepEqual([j.id, j.state, j.exitCode], ["7", "RUNNING", 0]);
});

const BAD: [string, string, RegExp][] = [
  ["not JSON", "squeue: error: Invalid user", /not JSON/],
  ["no jobs array", "{}", /no "jobs" array/],
  ["errors reported", '{"jobs":[],"errors":[{"error":"x"}]}', /Slurm reported errors/],
  ["a job without an id", '{"jobs":[{"name":"x"}]}', /job without a job_id/],
];
for (const [name, text, message] of BAD)
  test(`squeue output: ${name} is GJ_ERR_SLURM_OUTPUT`, () => {
    assert.throws(
      () => parseSqueueJson(text),
      (e: unknown) =>
        e instanceof GongjangError && e.code === "GJ_ERR_SLURM_OUTPUT" && message.test(e.message),
    );
  });
