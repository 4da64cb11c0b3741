import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Fleet, fleetNodes } from "../../core/model/fleet.ts";
import {
  parseTiresiasClusterSpec,
  parseTiresiasJobs,
  readTiresiasJobs,
  smallTiresiasFleet,
  tiresiasClusterFleet,
} from "./index.ts";

const FIX = join(import.meta.dirname, "fixtures");
const SHARED = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "..",
  "shared",
  "traces",
  "tiresias-sample",
);
const NO_SHARED = "the shared Tiresias sample (../shared/traces/tiresias-sample) is absent";

function totals(fleet: Fleet): { racks: number; nodes: number; gpus: number } {
  let nodes = 0;
  let gpus = 0;
  for (const { node } of fleetNodes(fleet)) {
    nodes++;
    gpus += node.devices;
  }
  return { racks: fleet.sites[0].racks.length, nodes, gpus };
}

test("tiresias: 60_job.csv (CRLF, no final newline) gives 60 whole-GPU jobs", () => {
  const { jobs, skipped } = readTiresiasJobs(join(FIX, "60_job.csv"));
  assert.equal(jobs.length, 60);
  assert.equal(skipped, 0);
  // row 0,1,0,606,vgg19,164,30
  assert.deepEqual(jobs[0], {
    id: "tiresias-0",
    submitTime: 0,
    duration: 164,
    devices: 1,
    deviceMilli: 1000,
    cpuMilli: 0,
    memoryMiB: 0,
    deviceTypes: [],
    priority: 0,
    tenant: "default",
  });
  const bySize = new Map<number, number>();
  for (const j of jobs) bySize.set(j.devices, (bySize.get(j.devices) ?? 0) + 1);
  assert.deepEqual(
    [...bySize].sort((a, b) => a[0] - b[0]),
    [
      [1, 30],
      [2, 10],
      [4, 10],
      [8, 10],
    ],
  );
  assert.equal(jobs.at(-1)?.id, "tiresias-59");
  assert.ok(jobs.every((j) => j.duration > 0 && j.duration <= 1800));
});

/** One row under the Tiresias header → the message at line 2. */
const BAD_ROWS: [row: string, message: string][] = [
  ["0,four,0,1,m,10,1", 'column num_gpu: expected integer ≥ 0, got "four"'],
  ["0,1,-1,1,m,10,1", 'column submit_time: expected number ≥ 0, got "-1"'],
  ["0,1,0,1,m,0,1", 'column duration: expected number > 0, got "0"'],
  [",1,0,1,m,10,1", 'column job_id: expected a non-empty string, got ""'],
];

for (const [row, message] of BAD_ROWS) {
  test(`tiresias: ${row} → ${message}`, () => {
    const text = `job_id,num_gpu,submit_time,iterations,model_name,duration,interval\r\n${row}`;
    assert.throws(() => parseTiresiasJobs(text, "j.csv"), {
      message: `GJ_ERR_TRACE_ROW: j.csv:2: ${message}`,
    });
  });
}

test("tiresias: repeated job ids are row errors (tf_job.csv repeats its row)", () => {
  const text = "job_id,num_gpu,submit_time,start_time,duration\n10,12,11,14,20\n10,12,11,14,20";
  const r = parseTiresiasJobs(text, "tf_job.csv", { skipBadRows: true });
  assert.equal(r.jobs.length, 1);
  assert.deepEqual(r.errors, [
    'tf_job.csv:3: column id: duplicate id "tiresias-10" (first on line 2)',
  ]);
});

test("tiresias: n32g4.csv is 1 switch × 32 nodes × 4 GPUs = 128 GPUs", () => {
  const fleet = tiresiasClusterFleet(join(FIX, "n32g4.csv"));
  assert.equal(fleet.name, "tiresias-n32g4");
  assert.deepEqual(totals(fleet), { racks: 1, nodes: 32, gpus: 128 });
  assert.deepEqual(fleet.deviceTypes, [
    { id: "tiresias-gpu", vendor: "tiresias", memoryGiB: 0, speed: 1 },
  ]);
  const first = fleet.sites[0].racks[0].domains[0];
  // 40 CPUs → 40,000 milli; 256 GB → 262,144 MiB
  assert.deepEqual(first, {
    id: "s0-n0",
    nodes: [
      { id: "s0-n0", deviceType: "tiresias-gpu", devices: 4, cpuMilli: 40000, memoryMiB: 262144 },
    ],
  });
});

test("tiresias: smallTiresiasFleet defaults to 4 nodes × 4 GPUs = 16", () => {
  assert.deepEqual(totals(smallTiresiasFleet()), { racks: 1, nodes: 4, gpus: 16 });
  assert.deepEqual(totals(smallTiresiasFleet(2, 8)), { racks: 1, nodes: 2, gpus: 16 });
  assert.throws(() => smallTiresiasFleet(0), RangeError);
});

test("tiresias: a bad cluster spec names file, line and column", () => {
  const head = "num_switch,num_node_p_switch,num_gpu_p_node,num_cpu_p_node,mem_p_node";
  assert.deepEqual(parseTiresiasClusterSpec(`${head}\n2,3,8,64,512`, "s.csv"), {
    switches: 2,
    nodesPerSwitch: 3,
    gpusPerNode: 8,
    cpusPerNode: 64,
    memoryGBPerNode: 512,
  });
  assert.throws(() => parseTiresiasClusterSpec(`${head}\n0,3,8,64,512`, "s.csv"), {
    code: "GJ_ERR_TRACE_ROW",
    message: 'GJ_ERR_TRACE_ROW: s.csv:2: column num_switch: expected integer ≥ 1, got "0"',
  });
  assert.throws(() => parseTiresiasClusterSpec(`${head}\n`, "s.csv"), {
    code: "GJ_ERR_TRACE_EMPTY",
  });
  assert.throws(() => parseTiresiasClusterSpec("a,b\n1,2", "s.csv"), {
    code: "GJ_ERR_TRACE_FORMAT",
  });
});

/** The shared spec files: name → racks, nodes, GPUs (num_switch × num_node_p_switch × num_gpu_p_node). */
const SPECS: [file: string, racks: number, nodes: number, gpus: number][] = [
  ["cluster_spec.csv", 1, 16, 64],
  ["n1g4.csv", 1, 1, 4],
  ["n32g4.csv", 1, 32, 128],
  ["n160g8.csv", 5, 160, 1280],
  ["n256g8.csv", 8, 256, 2048],
];

for (const [file, racks, nodes, gpus] of SPECS) {
  test(`tiresias: shared ${file} → ${nodes} nodes, ${gpus} GPUs`, (t) => {
    if (!existsSync(SHARED)) return t.skip(NO_SHARED);
    assert.deepEqual(totals(tiresiasClusterFleet(join(SHARED, file))), { racks, nodes, gpus });
  });
}
