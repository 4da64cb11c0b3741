// Discovery runs the real code path: spawn `nvidia-smi` found on PATH, here the fake in
// test/support/fake-nvidia-smi that prints real H100 output captured into fixtures/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { discoverGpus, listComputeApps, sampleGpus, schedulableDevices } from "./nvidia-smi.ts";
import { parseComputeApps, parseGpuQuery } from "./nvidia-smi-csv.ts";
import { parseNvidiaSmiList, parseNvidiaSmiXml } from "./nvidia-smi-xml.ts";

const FAKE_DIR = join(import.meta.dirname, "..", "..", "test", "support", "fake-nvidia-smi");
const FIXTURES = join(import.meta.dirname, "fixtures");
const UUID = "GPU-99d10356-0fb6-a1c5-e90f-f1ae549b608f";

/** Options that make `nvidia-smi` on PATH the fake, playing `scenario`. */
function fake(scenario: string, extra: Record<string, string> = {}) {
  return {
    env: {
      ...process.env,
      PATH: `${FAKE_DIR}:${process.env.PATH}`,
      FAKE_NVIDIA_SMI_SCENARIO: scenario,
      ...extra,
    },
  };
}

function coded(code: string, message: RegExp) {
  return (e: unknown) => e instanceof GongjangError && e.code === code && message.test(e.message);
}

test("discovers an idle H100 through nvidia-smi on PATH", async () => {
  const inv = await discoverGpus(fake("h100"));
  assert.equal(inv.driverVersion, "580.159.04");
  assert.equal(inv.cudaVersion, "13.0");
  assert.equal(inv.gpus.length, 1);
  const [gpu] = inv.gpus;
  assert.deepEqual(
    { ...gpu, migDevices: gpu.migDevices.length },
    {
      index: 0,
      uuid: UUID,
      name: "NVIDIA H100 80GB HBM3",
      pciBusId: "00000000:00:06.0",
      memoryTotalMiB: 81559,
      memoryUsedMiB: 0,
      utilizationGpu: 0,
      utilizationMemory: 0,
      migCurrent: "disabled",
      migPending: "disabled",
      migDevices: 0,
      // v13 DTD: sram_correctable + dram_correctable = 0, the three uncorrectable = 0.
      eccAggregate: { correctable: 0, uncorrectable: 0 },
    },
  );
  assert.deepEqual(schedulableDevices(inv), [UUID]);
});

test("discovers MIG instances with their UUIDs from nvidia-smi -L", async () => {
  const inv = await discoverGpus(fake("h100-mig"));
  const [gpu] = inv.gpus;
  assert.equal(gpu.migCurrent, "enabled");
  assert.deepEqual(
    gpu.migDevices.map((m) => [m.index, m.gpuInstanceId, m.profile, m.memoryTotalMiB, m.uuid]),
    [
      [0, 1, "3g.40gb", 40448, "MIG-5c3a1f2e-8b7d-5e0a-9c41-2d6f7b8e9a01"],
      [1, 2, "3g.40gb", 40448, "MIG-0e4d2c6b-1a9f-5b3e-8d72-4f6a1c3e5b02"],
    ],
  );
  // Under MIG the schedulable units are the instances, not the GPU.
  assert.deepEqual(schedulableDevices(inv), [
    "MIG-5c3a1f2e-8b7d-5e0a-9c41-2d6f7b8e9a01",
    "MIG-0e4d2c6b-1a9f-5b3e-8d72-4f6a1c3e5b02",
  ]);
});

test("samples utilisation and memory, idle and busy", async () => {
  const [idle] = await sampleGpus(fake("h100"));
  const [busy] = await sampleGpus(fake("h100-busy"));
  assert.deepEqual(
    [idle.utilizationGpu, idle.memoryUsedMiB, idle.powerW, idle.migMode],
    [0, 0, 69.89, "Disabled"],
  );
  // 81559 MiB total − 80069 free ≈ 1011 used (nvidia-smi's reserved slice makes the gap).
  assert.deepEqual(
    [busy.uuid, busy.utilizationGpu, busy.utilizationMemory, busy.memoryUsedMiB, busy.temperatureC],
    [UUID, 100, 34, 1011, 50],
  );
});

test("lists compute processes; none is an empty list", async () => {
  assert.deepEqual(await listComputeApps(fake("h100-busy")), [
    { pid: 480, gpuUuid: UUID, usedMemoryMiB: 1002, processName: "python3" },
  ]);
  assert.deepEqual(await listComputeApps(fake("h100")), []);
  assert.deepEqual(parseComputeApps("No running processes found\n"), []);
});

test("a missing binary, a dead driver and truncated XML are coded errors", async () => {
  await assert.rejects(
    discoverGpus({ bin: "/nonexistent/nvidia-smi" }),
    coded("GJ_ERR_NVIDIA_SMI_FAILED", /not found/),
  );
  await assert.rejects(
    discoverGpus(fake("broken")),
    coded("GJ_ERR_NVIDIA_SMI_FAILED", /exited with 9: NVIDIA-SMI has failed/),
  );
  await assert.rejects(
    discoverGpus(fake("truncated")),
    coded("GJ_ERR_NVIDIA_SMI_OUTPUT", /nvidia-smi -q -x: malformed XML: /),
  );
});

const BAD_OUTPUT: [string, () => unknown, RegExp][] = [
  ["XML with another root", () => parseNvidiaSmiXml("<html></html>"), /root element is <html>/],
  [
    "a GPU without a uuid",
    () =>
      parseNvidiaSmiXml(
        "<nvidia_smi_log><gpu><product_name>X</product_name></gpu></nvidia_smi_log>",
      ),
    /GPU 0 has no GPU-… uuid/,
  ],
  ["CSV without the header", () => parseGpuQuery(`0, ${UUID}, 81559, 0\n`), /header lacks index/],
  [
    "a CSV row with a missing cell",
    () =>
      parseComputeApps(
        readFileSync(join(FIXTURES, "h100-compute-apps-busy.csv"), "utf8").replace(", python3", ""),
      ),
    /:2: expected 4 cells, got 3/,
  ],
  [
    "a pid that is not a number",
    () => parseComputeApps("pid, gpu_uuid, used_gpu_memory [MiB]\nabc, GPU-1, 1 MiB\n"),
    /pid is not an integer/,
  ],
  ["an unknown -L line", () => parseNvidiaSmiList("Segmentation fault\n"), /-L:1: unexpected line/],
];
for (const [name, run, message] of BAD_OUTPUT)
  test(`rejects ${name}`, () => {
    assert.throws(run, coded("GJ_ERR_NVIDIA_SMI_OUTPUT", message));
  });

test("reads the pre-v13 ECC layout (single_bit / double_bit totals)", () => {
  const xml =
    "<nvidia_smi_log><gpu><uuid>GPU-1</uuid><ecc_errors><aggregate>" +
    "<single_bit><device_memory>2</device_memory><total>3</total></single_bit>" +
    "<double_bit><total>1</total></double_bit></aggregate></ecc_errors></gpu></nvidia_smi_log>";
  assert.deepEqual(parseNvidiaSmiXml(xml).gpus[0].eccAggregate, {
    correctable: 3,
    uncorrectable: 1,
  });
});
