// End to end with a real node agent: the service (in this process, on loopback, with
// the agent executor) and `gongjang agent` as a child process, with the fake nvidia-smi
// (real H100 output from src/agent/fixtures) first on its PATH. Jobs run real shell
// commands under the agent. No GPU is involved: the fixture GPU's UUID is only handed
// to the job in CUDA_VISIBLE_DEVICES.
//   1. a job runs with CUDA_VISIBLE_DEVICES = the GPU's UUID and its exit code 3 is recorded
//   2. cancel stops a running job (its process group is gone)
//   3. a service restart re-adopts the running job: same attempt, started once
//   4. SIGKILL the agent: node down (audited), job requeued; a new agent brings it back up
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadFleetFile } from "../../src/fleet/index.ts";
import { AgentHub } from "../../src/service/agents/hub.ts";
import { createToken } from "../../src/service/auth/tokens.ts";
import { AgentExecutor } from "../../src/service/executors/agent/index.ts";
import { type Service, startService } from "../../src/service/server.ts";
import { H100_SEED, QUEUE } from "../support/agent/seed.ts";
import { freshDatabase } from "../support/service.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FAKE_SMI = join(ROOT, "test", "support", "fake-nvidia-smi");
const FLEET = loadFleetFile(join(ROOT, "test", "support", "agent", "fleet.yaml"));
const UUID = "GPU-99d10356-0fb6-a1c5-e90f-f1ae549b608f";
const HEARTBEAT_MS = 300;
const TIMEOUT_MS = 2_500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Running {
  svc: Service;
  admin: string;
  hub: AgentHub;
}

/** The service on `database`, on `port` (0: any), with the agent executor. */
async function serve(database: string, port: number, admin?: string): Promise<Running> {
  const hub = new AgentHub({
    fleet: FLEET,
    serves: () => true,
    heartbeatMs: HEARTBEAT_MS,
    timeoutMs: TIMEOUT_MS,
  });
  const svc = await startService({
    database,
    fleet: FLEET,
    seed: H100_SEED,
    executor: new AgentExecutor({ hub }),
    agents: hub,
    tickMs: 100,
    port,
  });
  return { svc, hub, admin: admin ?? svc.adminToken! };
}

async function api(r: Running, method: string, path: string, body?: unknown) {
  const res = await fetch(`${r.svc.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${r.admin}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  return { status: res.status, json: (await res.json()) as any };
}

/** `gongjang agent` as a child process, with the fake nvidia-smi first on PATH. */
function startAgent(
  url: string,
  token: string,
  workDir: string,
): ChildProcess & { log: () => string } {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "src", "cli", "main.ts"),
      "agent",
      "--server",
      url,
      "--token",
      token,
      "--node",
      "gpu-a",
      "--work-dir",
      workDir,
      "--cancel-grace-ms",
      "1000",
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${FAKE_SMI}:${process.env.PATH}`,
        FAKE_NVIDIA_SMI_SCENARIO: "h100",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (log += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (log += d));
  return Object.assign(child, { log: () => log });
}

/** Whether `pid` runs (a zombie, dead but not reaped by a container's init, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => c.once("exit", r));

test("agent end to end: run, exit code, cancel, restart re-adoption, agent loss", {
  timeout: 180_000,
}, async (t) => {
  const db = await freshDatabase("sqlite");
  const dir = mkdtempSync(join(tmpdir(), "gj-agent-e2e-"));
  const workDir = join(dir, "agent");
  let r = await serve(db.url, 0);
  const port = Number(new URL(r.svc.url).port);
  const agentToken = (
    await createToken(r.svc.ctx.store.db, {
      name: "agent-gpu-a",
      role: "agent",
      tenant: null,
      createdBy: "test",
      now: Date.now(),
    })
  ).token;
  let agent = startAgent(r.svc.url, agentToken, workDir);
  t.after(async () => {
    agent.kill("SIGKILL");
    await r.svc.close();
    await db.remove();
    rmSync(dir, { recursive: true, force: true });
  });
  const job = async (id: number) => (await api(r, "GET", `/v1/jobs/${id}`)).json;
  const submit = async (command: string) => {
    const res = await api(r, "POST", "/v1/jobs", {
      queue: QUEUE,
      devices: 1,
      duration: 60,
      command,
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json.id as number;
  };
  const ended = (id: number) =>
    until(`job ${id} to end`, async () => {
      const j = await job(id);
      return ["succeeded", "failed", "cancelled"].includes(j.state) ? j : undefined;
    });
  const runningOnAgent = (hub: AgentHub, id: number) =>
    until(`job ${id} running on the agent`, async () =>
      hub
        .agents()
        .flatMap((a) => a.runs)
        .find((m) => m.key.startsWith(`${id}.`) && m.state === "running"),
    );

  await until("the agent to register", async () => (r.hub.agents().length > 0 ? true : undefined));
  assert.deepEqual(r.hub.agents()[0].agent.devices, [UUID], "registered with the fixture GPU");

  await t.test("a job runs on the agent with its GPU and records exit code 3", async () => {
    const out = join(dir, "cvd.txt");
    const id = await submit(
      `echo "$CUDA_VISIBLE_DEVICES $GJ_MEMBER/$GJ_GANG_SIZE" > ${out}; exit 3`,
    );
    const j = await ended(id);
    assert.deepEqual([j.state, j.exitCode], ["failed", 3]);
    assert.equal(readFileSync(out, "utf8"), `${UUID} 0/1\n`);
    assert.ok(existsSync(join(workDir, "logs", `${id}.1.0.log`)), "the run's log is kept");
    const health = (await api(r, "GET", "/v1/agents")).json.items[0];
    assert.equal(health.gpus[0].uuid, UUID, "heartbeats carry nvidia-smi's GPU health");
  });

  await t.test("cancel stops a running job", async () => {
    const pidFile = join(dir, "cancel.pid");
    const id = await submit(`echo $$ > ${pidFile}; sleep 60`);
    await runningOnAgent(r.hub, id);
    assert.equal((await api(r, "POST", `/v1/jobs/${id}/cancel`, {})).status, 200);
    const j = await ended(id);
    assert.equal(j.state, "cancelled");
    assert.equal(
      alive(Number(readFileSync(pidFile, "utf8"))),
      false,
      "the job's processes are gone",
    );
  });

  await t.test("a service restart re-adopts the running job, which runs once", async () => {
    const out = join(dir, "once.txt");
    const id = await submit(`echo start >> ${out}; sleep 3; echo end >> ${out}`);
    await runningOnAgent(r.hub, id);
    const admin = r.admin;
    await r.svc.close();
    await sleep(500); // the agent's heartbeats fail meanwhile
    r = await serve(db.url, port, admin);
    await until("the agent to register again", async () =>
      r.hub.agents().length > 0 ? true : undefined,
    );
    const j = await ended(id);
    assert.deepEqual([j.state, j.attempt, j.exitCode], ["succeeded", 1, 0]);
    assert.equal(readFileSync(out, "utf8"), "start\nend\n", "started once, not duplicated");
  });

  await t.test("killing the agent marks the node down and requeues its job", async () => {
    const pidFile = join(dir, "orphan.pid");
    const id = await submit(`echo $$ >> ${pidFile}; sleep 60`);
    await runningOnAgent(r.hub, id);
    agent.kill("SIGKILL");
    await exited(agent);
    const node = await until("node gpu-a down", async () => {
      const n = (await api(r, "GET", "/v1/fleet/nodes/gpu-a")).json;
      return n.state === "down" ? n : undefined;
    });
    assert.match(node.reason ?? "", /silent/);
    const j = await job(id);
    assert.equal(j.state, "pending", "requeued, and nowhere to run while the node is down");
    const audit = (await api(r, "GET", "/v1/audit?action=node.down")).json;
    assert.ok(JSON.stringify(audit).includes("node/gpu-a"), "node.down is audited");

    // A new agent on the same work dir kills the orphaned `sleep` and brings the node back.
    agent = startAgent(r.svc.url, agentToken, workDir);
    await until("node gpu-a up", async () => {
      const n = (await api(r, "GET", "/v1/fleet/nodes/gpu-a")).json;
      return n.state === "up" ? n : undefined;
    });
    const again = await until(`job ${id} running again`, async () => {
      const x = await job(id);
      return x.state === "running" && x.attempt === 2 ? x : undefined;
    });
    assert.equal(again.attempt, 2);
    const orphan = Number(readFileSync(pidFile, "utf8").trim().split("\n")[0]);
    assert.equal(alive(orphan), false, "the new agent killed what the dead one left running");
    await api(r, "POST", `/v1/jobs/${id}/cancel`, {});
    assert.equal((await ended(id)).state, "cancelled");
  });
});
