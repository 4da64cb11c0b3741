// Runs the Slurm executor against a real Slurm: the loopback test cluster that
// scripts/slurm/start-test-cluster.sh starts (2 nodes gj-n1, gj-n2, 4 × gpu:h100 each).
// Skips when no cluster answers, unless GJ_REQUIRE_SLURM=1, when that is a failure.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import type { ExecJob, ExecStatus } from "../types.ts";
import { SlurmCli } from "./cli.ts";
import { SlurmExecutor } from "./executor.ts";
import { fetchSlurmFleet } from "./fleet.ts";

const conf =
  process.env.SLURM_CONF ?? join(process.env.GJ_SLURM_DIR ?? "/tmp/gj-slurm", "etc", "slurm.conf");
const cli = new SlurmCli({ env: { ...process.env, SLURM_CONF: conf }, timeoutMs: 10_000 });
const required = process.env.GJ_REQUIRE_SLURM === "1";

async function clusterUp(): Promise<string | null> {
  if (!existsSync(conf)) return `no Slurm config at ${conf}`;
  try {
    const nodes = await cli.nodes();
    return nodes.length >= 2 ? null : `the cluster has ${nodes.length} node(s), tests need 2`;
  } catch (e) {
    return (e as Error).message;
  }
}
const why = await clusterUp();
if (why !== null && required) throw new Error(`GJ_REQUIRE_SLURM=1 but no test cluster: ${why}`);
const skip =
  why === null
    ? false
    : `no Slurm test cluster (${why}); start one with scripts/slurm/start-test-cluster.sh`;

const logDir = mkdtempSync(join(tmpdir(), "gj-slurm-it-"));
/** This run's deployment id: its job comments never match an earlier run's. */
const deployment = `it-${process.pid}-${Date.now()}`;
let seq = 0;
/** A job with a unique id per run, so reruns against a long-lived cluster never collide. */
function job(command: string, members: [node: string, gpus: number][], attempt = 1): ExecJob {
  return {
    jobId: `it-${process.pid}-${++seq}`,
    attempt,
    tenant: "t",
    queue: "q",
    command,
    duration: 60,
    startedAt: Date.now(),
    members: members.map(([node, gpus]) => ({
      node,
      devices: Array.from({ length: gpus }, (_, i) => i),
      deviceMilli: 1000,
      deviceType: gpus > 0 ? "nvidia-h100-80g" : null,
    })),
  };
}

/** Polls until `job` reaches a state in `states`; fails after `ms`. */
async function until(
  ex: SlurmExecutor,
  j: ExecJob,
  states: string[],
  ms = 20_000,
): Promise<ExecStatus> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const hit = (await ex.poll()).find((s) => s.jobId === j.jobId && s.attempt === j.attempt);
    if (hit !== undefined && states.includes(hit.state)) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${j.jobId} never reached ${states.join("|")}`);
}

/** Waits until Slurm runs the job (not just queues it): the batch script wrote `started`. */
async function waitStarted(j: ExecJob): Promise<void> {
  const log = join(logDir, `${j.jobId}.${j.attempt}.log`);
  for (let i = 0; i < 100; i++) {
    if (existsSync(log) && readFileSync(log, "utf8").includes("started")) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${j.jobId} never started`);
}

describe("SlurmExecutor on the test cluster", { skip }, () => {
  before(async () => {
    await cli.run("scontrol", ["update", "nodename=gj-n[1-2]", "state=resume"]).catch(() => {});
  });

  test("a job runs with its GPUs and reports its exit code", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const j = job('echo "member=$GJ_MEMBER cvd=$CUDA_VISIBLE_DEVICES"; exit 3', [["gj-n1", 2]]);
    const started = await ex.start(j);
    assert.equal(started.state, "running");
    assert.match(started.handle ?? "", /^\d+$/);
    assert.deepEqual(await ex.start(j), { ...(await ex.start(j)) }); // idempotent
    const end = await until(ex, j, ["failed", "succeeded"]);
    assert.deepEqual([end.state, end.exitCode], ["failed", 3]);
    assert.match(readFileSync(join(logDir, `${j.jobId}.1.log`), "utf8"), /member=0 cvd=\d,\d\n/);
    assert.deepEqual(ex.tracked(), new Map()); // ended executions are forgotten
  });

  test("a gang spans both nodes, each member with its own GPU", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const j = job('echo "member=$GJ_MEMBER node=$SLURMD_NODENAME cvd=$CUDA_VISIBLE_DEVICES"', [
      ["gj-n1", 1],
      ["gj-n1", 1],
      ["gj-n2", 1],
    ]);
    await ex.start(j);
    const end = await until(ex, j, ["failed", "succeeded"]);
    assert.deepEqual([end.state, end.exitCode], ["succeeded", 0]);
    const lines = readFileSync(join(logDir, `${j.jobId}.1.log`), "utf8")
      .trim()
      .split("\n")
      .sort();
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^member=0 node=gj-n1 cvd=\d$/);
    assert.match(lines[1], /^member=1 node=gj-n1 cvd=\d$/);
    assert.match(lines[2], /^member=2 node=gj-n2 cvd=\d$/);
    assert.notEqual(lines[0].at(-1), lines[1].at(-1), "members on one node get different GPUs");
  });

  test("one member failing ends the gang with its exit code", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const j = job('[ "$GJ_MEMBER" = 1 ] && exit 5; sleep 60', [
      ["gj-n1", 1],
      ["gj-n2", 1],
    ]);
    await ex.start(j);
    const t0 = Date.now();
    const end = await until(ex, j, ["failed", "succeeded"]);
    assert.deepEqual([end.state, end.exitCode], ["failed", 5]);
    assert.ok(Date.now() - t0 < 30_000, "member 0 was stopped, not waited for");
  });

  test("cancel ends a running job as cancelled", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const j = job("echo started; sleep 60", [["gj-n1", 1]]);
    await ex.start(j);
    await waitStarted(j);
    await ex.cancel(j.jobId, j.attempt);
    assert.equal((await until(ex, j, ["cancelled", "failed"])).state, "cancelled");
    await ex.cancel(j.jobId, j.attempt); // ended: a no-op
  });

  test("Slurm refusing a job (more GPUs than a node has) is a failed start", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const s = await ex.start(job("true", [["gj-n1", 9]]));
    assert.equal(s.state, "failed");
    assert.match(s.detail ?? "", /sbatch refused: Requested node configuration is not available/);
  });

  test("a node going down loses its job", async () => {
    const ex = new SlurmExecutor({ cli, logDir, deployment });
    const j = job("echo started; sleep 60", [["gj-n2", 1]]);
    await ex.start(j);
    await waitStarted(j);
    try {
      await cli.run("scontrol", [
        "update",
        "nodename=gj-n2",
        "state=down",
        "reason=gj-integration-test",
      ]);
      const s = await until(ex, j, ["lost", "failed", "cancelled"]);
      assert.equal(s.state, "lost");
      assert.match(s.detail ?? "", /NODE_FAIL/);
    } finally {
      await cli.run("scontrol", ["update", "nodename=gj-n2", "state=resume"]).catch(() => {});
    }
  });

  test("after a restart, reconcile re-adopts running jobs, reports ended and lost ones, cancels orphans", async () => {
    const before = new SlurmExecutor({ cli, logDir, deployment });
    const running = job("echo started; sleep 60", [["gj-n1", 1]]);
    const ended = job("exit 4", [["gj-n1", 1]]);
    const orphan = job("echo started; sleep 60", [["gj-n1", 1]]);
    const never = job("true", [["gj-n1", 1]]);
    for (const j of [running, ended, orphan]) await before.start(j);
    await waitStarted(running);
    await until(before, ended, ["failed"]);
    await waitStarted(orphan);

    const after = new SlurmExecutor({ cli, logDir, deployment }); // the service restarted
    const report = await after.reconcile([running, ended, never]);
    const by = new Map(report.map((s) => [s.jobId, s]));
    assert.equal(by.get(running.jobId)?.state, "running");
    assert.deepEqual([by.get(ended.jobId)?.state, by.get(ended.jobId)?.exitCode], ["failed", 4]);
    assert.equal(by.get(never.jobId)?.state, "lost");
    assert.deepEqual([...after.tracked().keys()], [`${running.jobId}.1`]);

    const orphanId = (await before.start(orphan)).handle;
    const gone = async () => (await cli.jobs()).find((x) => x.id === orphanId)?.state;
    for (let i = 0; i < 50 && (await gone()) !== "CANCELLED"; i++)
      await new Promise((r) => setTimeout(r, 200));
    assert.equal(await gone(), "CANCELLED");

    await after.cancel(running.jobId, running.attempt); // the adopted job is fully ours
    assert.equal((await until(after, running, ["cancelled"])).state, "cancelled");
  });

  test("slurmFleet reads the cluster's nodes and GPUs", async () => {
    const fleet = await fetchSlurmFleet(cli, { name: "test" });
    const nodes = fleet.sites.flatMap((s) =>
      s.racks.flatMap((r) => r.domains.flatMap((d) => d.nodes)),
    );
    assert.deepEqual(
      nodes.map((n) => [n.id, n.deviceType, n.devices]),
      [
        ["gj-n1", "nvidia-h100-80g", 4],
        ["gj-n2", "nvidia-h100-80g", 4],
      ],
    );
  });
});
