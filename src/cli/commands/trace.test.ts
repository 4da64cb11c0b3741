import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CommanderError } from "commander";
import { ROOT, runCommand } from "../../../test/support/cli.ts";
import { GongjangError } from "../../core/errors.ts";
import { readGenericTrace } from "../../trace/generic/read.ts";
import { readTiresiasJobs } from "../../trace/tiresias/jobs.ts";
import { registerTrace } from "./trace.ts";

const TIRESIAS = join("src", "trace", "tiresias", "fixtures", "60_job.csv");
const BAD = join("src", "trace", "generic", "fixtures", "bad-rows.csv");

const run = (...args: string[]) => runCommand(registerTrace, ...args);

test("trace inspect: an aligned text summary", async () => {
  const out = await run("trace", "inspect", TIRESIAS);
  const lines = out.split("\n");
  assert.equal(lines[0], `file              ${TIRESIAS}`);
  assert.equal(lines[1], "format            tiresias");
  assert.equal(lines[2], "jobs              60");
  assert.equal(lines[5], "device demand     170.0 devices"); // 30×1 + 10×2 + 10×4 + 10×8
  assert.ok(lines.includes("demand           jobs  share  devices"));
  assert.ok(lines.includes("8                  10  16.7%     80.0"));
});

test("trace inspect --json: the TraceSummary", async () => {
  const s = JSON.parse(await run("trace", "inspect", TIRESIAS, "--json"));
  assert.deepEqual([s.format, s.jobs, s.skipped, s.deviceDemand], ["tiresias", 60, 0, 170]);
  assert.equal(s.duration.max, 1800);
});

test("trace inspect: a bad row throws GJ_ERR_TRACE_ROW; --skip-bad-rows lists it", async () => {
  await assert.rejects(
    run("trace", "inspect", BAD),
    (e: unknown) =>
      e instanceof GongjangError && e.code === "GJ_ERR_TRACE_ROW" && e.location.line === 3,
  );
  const out = await run("trace", "inspect", BAD, "--skip-bad-rows");
  assert.match(out, /^skipped rows +9$/m);
  assert.match(out, /^first 9 of 9 skipped rows:$/m);
  assert.ok(out.includes(`  ${BAD}:3: column devices: expected integer ≥ 0, got "two"`));
});

test("trace inspect: missing file → GJ_ERR_FILE_NOT_FOUND; bad --format → usage error", async () => {
  await assert.rejects(run("trace", "inspect", "nope.csv"), { code: "GJ_ERR_FILE_NOT_FOUND" });
  await assert.rejects(
    run("trace", "inspect", TIRESIAS, "--format", "philly"),
    (e: unknown) => e instanceof CommanderError && e.code === "commander.invalidArgument",
  );
});

for (const to of ["generic-csv", "generic-jsonl"] as const) {
  test(`trace convert --to ${to}: writes a file that reads back to the same jobs`, async () => {
    const out = join(mkdtempSync(join(tmpdir(), "gongjang-convert-")), "sub", `t.${to.slice(8)}`);
    const msg = await run("trace", "convert", TIRESIAS, "--to", to, "--out", out);
    assert.equal(msg, `wrote 60 jobs (tiresias → ${to}) to ${out}\n`);
    assert.deepEqual(readGenericTrace(out).jobs, readTiresiasJobs(join(ROOT, TIRESIAS)).jobs);
  });
}

test("trace convert --out -: the trace goes to stdout", async () => {
  const out = await run(
    "trace",
    "convert",
    BAD,
    "--to",
    "generic-csv",
    "--out",
    "-",
    "--skip-bad-rows",
  );
  assert.equal(
    out.split("\n")[0],
    "id,submit_time,duration,devices,device_milli,cpu_milli,memory_mib,device_types,priority,tenant",
  );
  assert.equal(out.split("\n")[1], "ok-1,0,100,1,500,1000,1024,,0,default");
});

test("trace convert: --to is required and checked", async () => {
  await assert.rejects(run("trace", "convert", TIRESIAS, "--out", "-"), CommanderError);
  await assert.rejects(
    run("trace", "convert", TIRESIAS, "--to", "parquet", "--out", "-"),
    CommanderError,
  );
  // nothing was written for the failed runs
  assert.throws(() => readFileSync(join(ROOT, "-")));
});
