// Real shell commands, real signals: the runner is thin enough that faking the child
// would test nothing. Each test uses its own temp log directory.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startRun } from "./runner.ts";
import { sampleRunUsage } from "./usage.ts";

const GPU = "GPU-99d10356-0fb6-a1c5-e90f-f1ae549b608f";
const MIG = "MIG-5c3a1f2e-8b7d-5e0a-9c41-2d6f7b8e9a01";
const FAKE_DIR = join(import.meta.dirname, "..", "..", "test", "support", "fake-nvidia-smi");

function logDir(): string {
  return mkdtempSync(join(tmpdir(), "gj-runner-"));
}

test("runs with CUDA_VISIBLE_DEVICES set, logs both streams and reports the exit code", async () => {
  const run = await startRun({
    key: "job-1.0",
    command: 'echo "cvd=$CUDA_VISIBLE_DEVICES"; echo "to stderr $GJ_X" >&2; exit 3',
    devices: [GPU, MIG],
    env: { GJ_X: "x" },
    logDir: logDir(),
  });
  assert.equal(run.state(), "running");
  const result = await run.done;
  assert.deepEqual([result.state, result.exitCode, result.signal], ["failed", 3, null]);
  assert.equal(run.state(), "failed");
  assert.equal(readFileSync(result.logPath, "utf8"), `cvd=${GPU},${MIG}\nto stderr x\n`);
  assert.ok(result.logPath.endsWith("job-1.0.log"));
});

test("exit 0 is success; no devices hides every GPU", async () => {
  const run = await startRun({
    key: "cpu.0",
    command: 'printf "[%s]" "$CUDA_VISIBLE_DEVICES"',
    devices: [],
    logDir: logDir(),
  });
  const result = await run.done;
  assert.deepEqual([result.state, result.exitCode], ["succeeded", 0]);
  assert.equal(readFileSync(result.logPath, "utf8"), "[]");
});

test("cancel sends SIGTERM to the whole group and the job can clean up", async () => {
  const run = await startRun({
    key: "trap.0",
    // The job traps TERM, cleans up and exits 143; its background sleep is in the group too.
    command: "trap 'echo cleaned; exit 143' TERM; sleep 30 & echo started; wait",
    devices: [GPU],
    logDir: logDir(),
  });
  await waitForLog(run.logPath, "started");
  const result = await run.cancel(5_000);
  assert.deepEqual([result.state, result.exitCode], ["cancelled", 143]);
  assert.match(readFileSync(result.logPath, "utf8"), /cleaned/);
  assert.ok(await groupGone(run.pid), "nothing is left in the job's process group");
});

test("cancel escalates to SIGKILL when the job ignores SIGTERM", async () => {
  const run = await startRun({
    key: "stubborn.0",
    command: "trap '' TERM; echo started; while :; do sleep 0.05; done",
    devices: [],
    logDir: logDir(),
  });
  await waitForLog(run.logPath, "started");
  const t0 = Date.now();
  const result = await run.cancel(200);
  assert.deepEqual([result.state, result.signal], ["cancelled", "SIGKILL"]);
  assert.ok(Date.now() - t0 >= 150, "waited for the grace period");
  assert.deepEqual(await run.cancel(), result); // cancelling an ended run is a no-op
});

test("a job's GPU memory is found by its processes' group", async () => {
  const dir = logDir();
  const run = await startRun({
    key: "gpu.0",
    command: "sleep 30 & echo $! > pid; echo started; wait",
    cwd: dir,
    devices: [GPU],
    logDir: dir,
  });
  try {
    await waitForLog(run.logPath, "started");
    // The "CUDA process" is the job's background sleep; pid 1 belongs to no run.
    const worker = Number(readFileSync(join(dir, "pid"), "utf8"));
    const apps = join(dir, "apps.csv");
    writeFileSync(
      apps,
      "pid, gpu_uuid, used_gpu_memory [MiB], process_name\n" +
        `${worker}, ${GPU}, 1002 MiB, python3\n1, ${GPU}, 7 MiB, init\n`,
    );
    const env = {
      ...process.env,
      PATH: `${FAKE_DIR}:${process.env.PATH}`,
      FAKE_NVIDIA_SMI_SCENARIO: "h100-busy",
      FAKE_NVIDIA_SMI_APPS: apps,
    };
    const usage = await sampleRunUsage(
      new Map([
        ["gpu.0", run.pid],
        ["idle.0", 999_999],
      ]),
      { env },
    );
    assert.deepEqual(usage.get("gpu.0"), {
      key: "gpu.0",
      pids: [worker],
      memoryMiB: 1002,
      gpus: [GPU],
      utilizationGpu: 100, // the busy sample: the one H100 at 100 %
    });
    assert.deepEqual(usage.get("idle.0")?.memoryMiB, 0);
  } finally {
    await run.cancel(1_000);
  }
});

test("a shell that cannot start rejects", async () => {
  await assert.rejects(
    startRun({
      key: "x.0",
      command: "true",
      devices: [],
      logDir: logDir(),
      shell: "/nonexistent/sh",
    }),
    { code: "ENOENT" },
  );
});

async function waitForLog(path: string, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(path, "utf8").includes(text)) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never said ${text}`);
}

/** True once no process is in group `pgid` (killed members may linger a moment as zombies). */
async function groupGone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
