import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import type { Job } from "../../core/model/job.ts";
import { MAX_ROW_ERRORS } from "../types.ts";
import { parseGenericCsv, parseGenericJsonl, readGenericTrace } from "./read.ts";

const FIX = join(import.meta.dirname, "fixtures");
const HEADER =
  "id,submit_time,duration,devices,device_milli,cpu_milli,memory_mib,device_types,priority,tenant";

const GOOD: Job[] = [
  {
    id: "train-a",
    submitTime: 0,
    duration: 3600,
    devices: 8,
    deviceMilli: 1000,
    cpuMilli: 64000,
    memoryMiB: 524288,
    deviceTypes: ["nvidia-h100-80g"],
    priority: 2,
    tenant: "univ-snu",
  },
  {
    id: "infer,b",
    submitTime: 10.5,
    duration: Number.POSITIVE_INFINITY,
    devices: 1,
    deviceMilli: 250,
    cpuMilli: 4000,
    memoryMiB: 16384,
    deviceTypes: ["nvidia-h100-80g", "furiosa-rngd"],
    priority: 0,
    tenant: "startup-x",
  },
  // empty duration = never ends; devices 0 → device_milli 0; blank priority/tenant → defaults
  {
    id: "cpu-c",
    submitTime: 20,
    duration: Number.POSITIVE_INFINITY,
    devices: 0,
    deviceMilli: 0,
    cpuMilli: 2000,
    memoryMiB: 4096,
    deviceTypes: [],
    priority: 0,
    tenant: "default",
  },
  // devices 2 with blank device_milli → 1000 each
  {
    id: "d",
    submitTime: 30,
    duration: 60,
    devices: 2,
    deviceMilli: 1000,
    cpuMilli: 8000,
    memoryMiB: 65536,
    deviceTypes: [],
    priority: -1,
    tenant: "default",
  },
];

for (const name of ["good.csv", "good.jsonl"]) {
  test(`generic: ${name} reads the four documented jobs`, () => {
    const r = readGenericTrace(join(FIX, name));
    assert.deepEqual(r, { jobs: GOOD, skipped: 0, errors: [] });
  });
}

/** One data row under the full header → the message it must produce (line 2). */
const BAD_CSV_ROWS: [row: string, message: string][] = [
  ["a,0,1,two,,0,0,,0,t", 'column devices: expected integer ≥ 0, got "two"'],
  ["a,0,1,-1,,0,0,,0,t", 'column devices: expected integer ≥ 0, got "-1"'],
  ["a,0,1,1.5,,0,0,,0,t", 'column devices: expected integer ≥ 0, got "1.5"'],
  ["a,,1,1,,0,0,,0,t", 'column submit_time: expected number ≥ 0, got ""'],
  ["a,0x10,1,1,,0,0,,0,t", 'column submit_time: expected number ≥ 0, got "0x10"'],
  [
    "a,0,-3,1,,0,0,,0,t",
    'column duration: expected seconds ≥ 0, or "inf" / empty for never, got "-3"',
  ],
  ["a,0,1,1,0,0,0,,0,t", 'column device_milli: expected integer 1..1000, got "0"'],
  ["a,0,1,1,1001,0,0,,0,t", 'column device_milli: expected integer 1..1000, got "1001"'],
  ["a,0,1,4,250,0,0,,0,t", 'column device_milli: expected 1000 when devices > 1, got "250"'],
  ["a,0,1,0,500,0,0,,0,t", 'column device_milli: expected 0 or empty when devices = 0, got "500"'],
  ["a,0,1,1,,1.5,0,,0,t", 'column cpu_milli: expected integer ≥ 0, got "1.5"'],
  ["a,0,1,1,,0,lots,,0,t", 'column memory_mib: expected number ≥ 0, got "lots"'],
  ["a,0,1,1,,0,0,|T4,0,t", 'column device_types: expected "|"-separated device types, got "|T4"'],
  ["a,0,1,1,,0,0,,high,t", 'column priority: expected integer, got "high"'],
  [",0,1,1,,0,0,,0,t", 'column id: expected a non-empty string, got ""'],
  ["a,0,1,1,,0,0,,0", "expected 10 fields, got 9"],
  ['"a,0,1,1,,0,0,,0,t', "a quoted field is never closed"],
];

for (const [row, message] of BAD_CSV_ROWS) {
  test(`generic csv: ${JSON.stringify(row)} → ${message}`, () => {
    assert.throws(
      () => parseGenericCsv(`${HEADER}\n${row}\n`, "t.csv"),
      (e: unknown) =>
        e instanceof GongjangError &&
        e.code === "GJ_ERR_TRACE_ROW" &&
        e.location.line === 2 &&
        e.message === `GJ_ERR_TRACE_ROW: t.csv:2: ${message}`,
    );
  });
}

test("generic csv: accepted spellings", () => {
  // "2.0" is an integer as pandas writes it; spaces around numbers are ignored;
  // INF and Infinity mean never; 1e3 is 1000; a short header uses every default.
  const r = parseGenericCsv(
    "id,submit_time,devices,duration,priority\nx, 1e3 ,2.0,INF,+3\ny,0,1,Infinity,-0\n",
    "t.csv",
  );
  assert.deepEqual(
    r.jobs.map((j) => [
      j.id,
      j.submitTime,
      j.devices,
      j.deviceMilli,
      j.duration,
      j.priority,
      j.tenant,
    ]),
    [
      ["x", 1000, 2, 1000, Number.POSITIVE_INFINITY, 3, "default"],
      ["y", 0, 1, 1000, Number.POSITIVE_INFINITY, 0, "default"],
    ],
  );
});

test("generic csv: bad-rows.csv fails at its first bad row, line 3", () => {
  const file = join(FIX, "bad-rows.csv");
  assert.throws(() => readGenericTrace(file), {
    code: "GJ_ERR_TRACE_ROW",
    message: `GJ_ERR_TRACE_ROW: ${file}:3: column devices: expected integer ≥ 0, got "two"`,
  });
});

test("generic csv: bad-rows.csv with skipBadRows keeps 3 jobs and names 9 physical lines", () => {
  const file = join(FIX, "bad-rows.csv");
  const r = readGenericTrace(file, { skipBadRows: true });
  assert.deepEqual(
    r.jobs.map((j) => j.id),
    ["ok-1", "ok\ntwo", "ok-3"],
  );
  assert.equal(r.skipped, 9);
  // line 5 is blank and "ok\ntwo" spans lines 7-8, so later rows sit one line lower
  assert.deepEqual(
    r.errors.map((e) => e.slice(file.length + 1)),
    [
      '3: column devices: expected integer ≥ 0, got "two"',
      '4: column submit_time: expected number ≥ 0, got "-5"',
      '6: column device_milli: expected 1000 when devices > 1, got "500"',
      "9: expected 10 fields, got 4",
      '10: column id: duplicate id "ok-1" (first on line 2)',
      '11: column duration: expected seconds ≥ 0, or "inf" / empty for never, got "soon"',
      '12: column device_types: expected "|"-separated device types, got "T4||P100"',
      '13: column device_milli: expected 0 or empty when devices = 0, got "300"',
      '14: column priority: expected integer, got "1.5"',
    ],
  );
});

test("generic jsonl: bad-rows.jsonl with skipBadRows", () => {
  const file = join(FIX, "bad-rows.jsonl");
  const r = readGenericTrace(file, { skipBadRows: true });
  assert.deepEqual(
    r.jobs.map((j) => [j.id, j.duration, j.tenant]),
    [
      ["a", Number.POSITIVE_INFINITY, "default"],
      ["f", Number.POSITIVE_INFINITY, "lab"],
    ],
  );
  assert.equal(r.skipped, 7);
  const rest = r.errors.map((e) => e.slice(file.length + 1));
  assert.equal(rest[0], '2: field devices: expected a JSON number, got "2"');
  assert.match(rest[1], /^3: invalid JSON \(.+\)$/);
  assert.deepEqual(rest.slice(2), [
    "4: expected a JSON object, got [1,2]",
    "5: field gpus: unknown field; the format has id, submit_time, duration, devices, device_milli, cpu_milli, memory_mib, device_types, priority, tenant",
    "7: field submit_time: expected number ≥ 0, got nothing",
    '8: field id: duplicate id "a" (first on line 1)',
    '9: field device_types: expected an array of device type names, got ["T4",""]',
  ]);
});

test("generic jsonl: ids may be whole numbers; strings elsewhere are refused", () => {
  const r = parseGenericJsonl('{"id":7,"submit_time":0,"devices":0}\n', "t.jsonl");
  assert.equal(r.jobs[0].id, "7");
  assert.throws(() => parseGenericJsonl('{"id":"x","submit_time":"0","devices":0}', "t.jsonl"), {
    message: 'GJ_ERR_TRACE_ROW: t.jsonl:1: field submit_time: expected a JSON number, got "0"',
  });
});

test("generic: skipBadRows keeps only the first MAX_ROW_ERRORS messages but counts all", () => {
  const rows = Array.from({ length: 50 }, (_, i) => `bad${i},0,1,x,,0,0,,0,t`);
  const r = parseGenericCsv([HEADER, "ok,0,1,1,,0,0,,0,t", ...rows].join("\n"), "t.csv", {
    skipBadRows: true,
  });
  assert.equal(r.skipped, 50);
  assert.equal(r.errors.length, MAX_ROW_ERRORS);
  assert.equal(r.errors[0], 't.csv:3: column devices: expected integer ≥ 0, got "x"');
});

/** Whole-file problems: text → code and message. */
const BAD_FILES: [what: string, text: string, code: string, message: string][] = [
  ["header only", `${HEADER}\n`, "GJ_ERR_TRACE_EMPTY", "t.csv: the file holds no job rows"],
  [
    "every row bad",
    `${HEADER}\na,x,1,1,,0,0,,0,t\n`,
    "GJ_ERR_TRACE_EMPTY",
    "t.csv: all 1 rows are malformed",
  ],
  [
    "unknown column",
    "id,submit_time,devices,device_mili\na,0,1,500\n",
    "GJ_ERR_TRACE_FORMAT",
    't.csv:1: unknown column(s) "device_mili" in header "id,submit_time,devices,device_mili"; ' +
      "the generic format has id, submit_time, duration, devices, device_milli, cpu_milli, memory_mib, device_types, priority, tenant",
  ],
  [
    "missing required column",
    "id,submit_time\na,0\n",
    "GJ_ERR_TRACE_FORMAT",
    't.csv:1: missing column(s) devices of the generic format; saw "id,submit_time"',
  ],
  [
    "repeated column",
    "id,submit_time,devices,devices\na,0,1,1\n",
    "GJ_ERR_TRACE_FORMAT",
    't.csv:1: column "devices" appears twice in the header',
  ],
];

for (const [what, text, code, message] of BAD_FILES) {
  test(`generic csv: ${what} → ${code}`, () => {
    assert.throws(
      () => parseGenericCsv(text, "t.csv", { skipBadRows: true }),
      (e: unknown) =>
        e instanceof GongjangError && e.code === code && e.message === `${code}: ${message}`,
    );
  });
}
