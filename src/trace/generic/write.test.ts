import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { Job } from "../../core/model/job.ts";
import { readOpenbPods } from "../openb/index.ts";
import { readTiresiasJobs } from "../tiresias/jobs.ts";
import { parseGenericCsv, parseGenericJsonl, readGenericTrace } from "./read.ts";
import { writeGenericCsv, writeGenericJsonl } from "./write.ts";

const base: Job = {
  id: "j",
  submitTime: 0,
  duration: 60,
  devices: 1,
  deviceMilli: 1000,
  cpuMilli: 0,
  memoryMiB: 0,
  deviceTypes: [],
  priority: 0,
  tenant: "default",
};

/** Jobs chosen to stress quoting and number formatting. */
const AWKWARD: Job[] = [
  { ...base, id: "plain" },
  { ...base, id: "comma,in,id", tenant: "lab, seoul" },
  { ...base, id: 'quote"in"id', deviceTypes: ["nvidia-h100-80g", "furiosa-rngd"] },
  { ...base, id: "new\nline", duration: Number.POSITIVE_INFINITY },
  { ...base, id: " padded ", tenant: " t " },
  { ...base, id: "tiny", submitTime: 0.1 + 0.2, duration: 1e-7, memoryMiB: 1.5 },
  { ...base, id: "huge", submitTime: 1e21, duration: 12_902_960 },
  { ...base, id: "cpu", devices: 0, deviceMilli: 0, cpuMilli: 88000, priority: -3 },
  { ...base, id: "share", deviceMilli: 1, priority: 7 },
  { ...base, id: "gang", devices: 8, duration: 0 },
  { ...base, id: "=formula" },
];

test("generic csv: write then read gives the same jobs", () => {
  const r = parseGenericCsv(writeGenericCsv(AWKWARD), "rt.csv");
  assert.deepEqual(r.jobs, AWKWARD);
});

test("generic jsonl: write then read gives the same jobs", () => {
  const r = parseGenericJsonl(writeGenericJsonl(AWKWARD), "rt.jsonl");
  assert.deepEqual(r.jobs, AWKWARD);
});

test("generic csv: exact text for a small case", () => {
  const csv = writeGenericCsv([
    { ...base, id: "a,b", duration: Number.POSITIVE_INFINITY, deviceTypes: ["T4", "P100"] },
    { ...base, id: "c", devices: 0, deviceMilli: 0, cpuMilli: 500 },
  ]);
  assert.equal(
    csv,
    "id,submit_time,duration,devices,device_milli,cpu_milli,memory_mib,device_types,priority,tenant\n" +
      '"a,b",0,inf,1,1000,0,0,T4|P100,0,default\n' +
      "c,0,60,0,0,500,0,,0,default\n",
  );
});

test("generic jsonl: exact text for a small case", () => {
  assert.equal(
    writeGenericJsonl([{ ...base, duration: Number.POSITIVE_INFINITY, deviceTypes: ["T4"] }]),
    '{"id":"j","submit_time":0,"duration":null,"devices":1,"device_milli":1000,"cpu_milli":0,' +
      '"memory_mib":0,"device_types":["T4"],"priority":0,"tenant":"default"}\n',
  );
});

test("generic: a device type holding | cannot be written", () => {
  const bad = [{ ...base, deviceTypes: ["a|b"] }];
  assert.throws(() => writeGenericCsv(bad), /device type "a\|b" cannot be written/);
  assert.throws(() => writeGenericJsonl(bad), /device type "a\|b" cannot be written/);
});

/** Adapter fixtures converted to both generic encodings read back unchanged. */
const SOURCES: [name: string, jobs: () => Job[]][] = [
  [
    "openb default head",
    () =>
      readOpenbPods(
        join(import.meta.dirname, "../openb/fixtures/openb_pod_list_default.head30.csv"),
      ).jobs,
  ],
  [
    "openb selected",
    () => readOpenbPods(join(import.meta.dirname, "../openb/fixtures/selected.csv")).jobs,
  ],
  [
    "openb multigpu50 head",
    () =>
      readOpenbPods(
        join(import.meta.dirname, "../openb/fixtures/openb_pod_list_multigpu50.head30.csv"),
      ).jobs,
  ],
  [
    "tiresias 60 jobs",
    () => readTiresiasJobs(join(import.meta.dirname, "../tiresias/fixtures/60_job.csv")).jobs,
  ],
  ["generic good.csv", () => readGenericTrace(join(import.meta.dirname, "fixtures/good.csv")).jobs],
];

for (const [name, jobs] of SOURCES) {
  test(`generic: ${name} round-trips through CSV and JSONL`, () => {
    const original = jobs();
    assert.deepEqual(parseGenericCsv(writeGenericCsv(original), "x.csv").jobs, original);
    assert.deepEqual(parseGenericJsonl(writeGenericJsonl(original), "x.jsonl").jobs, original);
  });
}
