import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { type FormatOption, loadTrace, parseTrace, type TraceFormat } from "./index.ts";

const HERE = import.meta.dirname;
const fixture = (p: string): string => join(HERE, p);

/** file → the format `auto` detects, and its job count. */
const DETECT: [file: string, format: TraceFormat, jobs: number][] = [
  ["generic/fixtures/good.csv", "generic-csv", 4],
  ["generic/fixtures/good.jsonl", "generic-jsonl", 4],
  ["openb/fixtures/openb_pod_list_default.head30.csv", "openb", 30],
  ["openb/fixtures/openb_pod_list_multigpu50.head30.csv", "openb", 30],
  ["tiresias/fixtures/60_job.csv", "tiresias", 60],
];

for (const [file, format, jobs] of DETECT) {
  test(`loadTrace auto: ${file} → ${format}`, () => {
    const r = loadTrace(fixture(file));
    assert.deepEqual(
      [r.format, r.jobs.length, r.skipped, r.file],
      [format, jobs, 0, fixture(file)],
    );
  });
}

test("loadTrace: JSONL is recognised by content whatever the extension", () => {
  const r = parseTrace('{"id":"a","submit_time":0,"devices":1}\n', "upload.txt");
  assert.equal(r.format, "generic-jsonl");
});

test("loadTrace: an explicit format is trusted; a mismatched header says what is missing", () => {
  const r = loadTrace(fixture("generic/fixtures/good.csv"), { format: "generic" });
  assert.equal(r.format, "generic-csv");
  assert.throws(() => loadTrace(fixture("tiresias/fixtures/60_job.csv"), { format: "openb" }), {
    code: "GJ_ERR_TRACE_FORMAT",
    message: /missing column\(s\) name, cpu_milli, memory_mib, gpu_milli of the openb format/,
  });
});

/** text → the GJ_ERR_TRACE_FORMAT message auto-detection gives (file "x.csv"). */
const UNKNOWN: [what: string, text: string, message: string][] = [
  [
    "an unknown header",
    "when,who,what\n1,2,3\n",
    'x.csv:1: unrecognised header "when,who,what"; expected the columns of generic-csv (id, submit_time); ' +
      "openb (name, num_gpu, gpu_milli); tiresias (job_id, num_gpu, submit_time)",
  ],
  [
    "a Tiresias cluster spec",
    "num_switch,num_node_p_switch,num_gpu_p_node,num_cpu_p_node,mem_p_node\n1,32,4,40,256",
    "x.csv:1: this is a Tiresias cluster spec (a fleet), not a job trace",
  ],
  [
    "printable junk",
    `${"#!&*".repeat(50)}\nzzz`,
    `x.csv:1: unrecognised header "${"#!&*".repeat(29)}#..."; expected the columns of generic-csv (id, submit_time); ` +
      "openb (name, num_gpu, gpu_milli); tiresias (job_id, num_gpu, submit_time)",
  ],
];

for (const [what, text, message] of UNKNOWN) {
  test(`loadTrace auto: ${what} is GJ_ERR_TRACE_FORMAT naming the header`, () => {
    assert.throws(
      () => parseTrace(text, "x.csv"),
      (e: unknown) => e instanceof GongjangError && e.message === `GJ_ERR_TRACE_FORMAT: ${message}`,
    );
  });
}

test("loadTrace: garbage files never crash, they fail with a code", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongjang-load-"));
  const cases: [name: string, bytes: Uint8Array | string, code: string][] = [
    ["empty.csv", "", "GJ_ERR_TRACE_EMPTY"],
    ["junk.bin", Uint8Array.from({ length: 256 }, (_, i) => i), "GJ_ERR_TRACE_FORMAT"],
    ["header-only.csv", "id,submit_time,devices\n", "GJ_ERR_TRACE_EMPTY"],
    ["broken.jsonl", "{not json\n", "GJ_ERR_TRACE_ROW"],
  ];
  for (const [name, bytes, code] of cases) {
    writeFileSync(join(dir, name), bytes);
    for (const format of ["auto", "generic", "openb", "tiresias"] as FormatOption[]) {
      assert.throws(
        () => loadTrace(join(dir, name), { format, skipBadRows: false }),
        (e: unknown) =>
          e instanceof GongjangError && (e.code === code || e.code === "GJ_ERR_TRACE_FORMAT"),
        `${name} as ${format}`,
      );
    }
  }
  assert.throws(() => loadTrace(join(dir, "missing.csv")), { code: "GJ_ERR_FILE_NOT_FOUND" });
});

test("loadTrace: skipBadRows passes through and reports what was skipped", () => {
  const r = loadTrace(fixture("generic/fixtures/bad-rows.csv"), { skipBadRows: true });
  assert.deepEqual([r.format, r.jobs.length, r.skipped, r.errors.length], ["generic-csv", 3, 9, 9]);
});
