import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import { parseOpenbPods, readOpenbPods } from "./index.ts";

const FIX = join(import.meta.dirname, "fixtures");
/** The shared traces, found relative to the repository root (../shared/traces). */
const SHARED = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "..",
  "shared",
  "traces",
  "alibaba-gpu-v2023-openb",
);
const HAVE_SHARED = existsSync(SHARED);
const NO_SHARED = "the shared openb trace (../shared/traces/alibaba-gpu-v2023-openb) is absent";

test("openb: default head keeps row order and maps each column", () => {
  const { jobs, skipped } = readOpenbPods(join(FIX, "openb_pod_list_default.head30.csv"));
  assert.equal(jobs.length, 30);
  assert.equal(skipped, 0);
  assert.deepEqual(
    jobs.map((j) => j.id),
    Array.from({ length: 30 }, (_, i) => `openb-pod-${String(i).padStart(4, "0")}`),
  );
  // openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
  assert.deepEqual(jobs[1], {
    id: "openb-pod-0001",
    submitTime: 427061,
    duration: 12902960 - 427061,
    devices: 1,
    deviceMilli: 460,
    cpuMilli: 6000,
    memoryMiB: 12288,
    deviceTypes: [],
    priority: 3,
    tenant: "default",
  });
  // openb-pod-0005: CPU-only (num_gpu 0); duration from scheduled_time 2759676, not creation
  assert.deepEqual(
    [jobs[5].devices, jobs[5].deviceMilli, jobs[5].duration],
    [0, 0, 12902960 - 2759676],
  );
  // openb-pod-0017,88000,327680,8,1000,,Burstable,... → 8 whole GPUs, priority 1
  assert.deepEqual([jobs[17].devices, jobs[17].deviceMilli, jobs[17].priority], [8, 1000, 1]);
});

test("openb: selected rows cover QoS, unscheduled pods and gpu_spec", () => {
  const byId = new Map(readOpenbPods(join(FIX, "selected.csv")).jobs.map((j) => [j.id, j]));
  const cases: [
    id: string,
    field: "priority" | "duration" | "deviceTypes" | "devices",
    want: unknown,
  ][] = [
    ["openb-pod-0129", "priority", 2], // Guaranteed
    ["openb-pod-0033", "priority", 0], // BE
    ["openb-pod-0061", "duration", 10001403 - 10001278], // Pending: no scheduled_time → from creation
    ["openb-pod-7285", "duration", 0], // deleted the second it was created
    ["openb-pod-0422", "devices", 2],
    ["openb-pod-2182", "devices", 4],
    ["openb-pod-0012", "deviceTypes", ["T4"]],
    ["openb-pod-0009", "deviceTypes", ["V100M16", "V100M32"]],
    ["openb-pod-0021", "deviceTypes", ["G2", "P100", "T4", "V100M16", "V100M32"]],
    ["openb-pod-0527", "deviceTypes", ["V100M16", "V100M32", "V100M32"]], // kept as written
  ];
  for (const [id, field, want] of cases)
    assert.deepEqual(byId.get(id)?.[field], want, `${id}.${field}`);
});

test("openb: multigpu files (5 columns) get submit 0, no end, priority 0, any type", () => {
  const { jobs } = readOpenbPods(join(FIX, "openb_pod_list_multigpu50.head30.csv"));
  assert.equal(jobs.length, 30);
  for (const j of jobs) {
    assert.deepEqual(
      [j.submitTime, j.duration, j.priority, j.deviceTypes, j.tenant],
      [0, Number.POSITIVE_INFINITY, 0, [], "default"],
    );
  }
  assert.deepEqual([jobs[17].id, jobs[17].devices], ["openb-pod-0017", 8]);
});

test("openb: bad-rows.csv names each fault by line; skipping keeps the 2 good pods", () => {
  const file = join(FIX, "bad-rows.csv");
  assert.throws(() => readOpenbPods(file), {
    code: "GJ_ERR_TRACE_ROW",
    message: `GJ_ERR_TRACE_ROW: ${file}:3: column qos: expected one of LS, Guaranteed, Burstable, BE, got "Gold"`,
  });
  const r = readOpenbPods(file, { skipBadRows: true });
  assert.deepEqual(
    r.jobs.map((j) => [j.id, j.duration]),
    [
      ["ok-0", 100],
      ["ok-1", Number.POSITIVE_INFINITY], // no deletion_time: never ends
    ],
  );
  assert.deepEqual(r.errors, [
    `${file}:3: column qos: expected one of LS, Guaranteed, Burstable, BE, got "Gold"`,
    `${file}:4: column gpu_milli: expected 1000 when num_gpu > 1, got "500"`,
    `${file}:5: column deletion_time: 40 is before scheduled_time 50`,
  ]);
});

test("openb: a header without the base columns is GJ_ERR_TRACE_FORMAT naming it", () => {
  assert.throws(
    () => parseOpenbPods("name,cpu_milli\na,1\n", "p.csv"),
    (e: unknown) => {
      return (
        e instanceof GongjangError &&
        e.code === "GJ_ERR_TRACE_FORMAT" &&
        e.message ===
          'GJ_ERR_TRACE_FORMAT: p.csv:1: missing column(s) memory_mib, num_gpu, gpu_milli of the openb format; saw "name,cpu_milli"'
      );
    },
  );
});

test("openb: QoS names are matched exactly, not through the prototype", () => {
  const head = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,qos";
  assert.throws(() => parseOpenbPods(`${head}\na,0,0,0,0,constructor\n`, "p.csv"), {
    code: "GJ_ERR_TRACE_ROW",
  });
});

test("openb: the full default pod list has 8,152 pods and ≈ 6,087 GPUs of demand", (t) => {
  if (!HAVE_SHARED) return t.skip(NO_SHARED);
  const { jobs, skipped } = readOpenbPods(join(SHARED, "openb_pod_list_default.csv"));
  assert.equal(jobs.length, 8152);
  assert.equal(skipped, 0);
  const gpus = jobs.reduce((s, j) => s + j.devices * j.deviceMilli, 0) / 1000;
  assert.equal(gpus, 6086.8); // Σ num_gpu × gpu_milli / 1000, as traces/README.md states
  assert.equal(jobs.filter((j) => j.duration === 0).length, 1); // openb-pod-7285
});

/** Row counts per pod list, from traces/README.md. */
const COUNTS: [suffix: string, pods: number][] = [
  ["cpu0", 7064],
  ["cpu300", 10094],
  ["gpushare100", 8152],
  ["gpuspec33", 8152],
  ["multigpu50", 9061],
];

for (const [suffix, pods] of COUNTS) {
  test(`openb: openb_pod_list_${suffix} reads cleanly with ${pods} pods`, (t) => {
    if (!HAVE_SHARED) return t.skip(NO_SHARED);
    const r = readOpenbPods(join(SHARED, `openb_pod_list_${suffix}.csv`));
    assert.deepEqual([r.jobs.length, r.skipped], [pods, 0]);
  });
}
