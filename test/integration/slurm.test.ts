// The whole service on a real Slurm: jobs submitted through the API are placed by the
// scheduler, run by the Slurm executor on the loopback test cluster
// (scripts/slurm/start-test-cluster.sh: gj-n1, gj-n2 with 4 × gpu:h100 each) and
// followed to their end: exit codes, cancel, a node failing (→ requeue), and a service
// restart (→ the running Slurm job is re-adopted, not resubmitted), then usage
// reconciled with Slurm's accounting (sacct; the cluster script starts slurmdbd).
// Skips when no cluster answers, unless GJ_REQUIRE_SLURM=1 (CI), when that fails.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Fleet } from "../../src/core/model/fleet.ts";
import { SlurmCli } from "../../src/service/executors/slurm/cli.ts";
import { SlurmExecutor } from "../../src/service/executors/slurm/executor.ts";
import { fetchSlurmFleet } from "../../src/service/executors/slurm/fleet.ts";
import { type Service, startService } from "../../src/service/server.ts";
import { H100_SEED, QUEUE } from "../support/agent/seed.ts";
import { freshDatabase } from "../support/service.ts";

const conf =
  process.env.SLURM_CONF ?? join(process.env.GJ_SLURM_DIR ?? "/tmp/gj-slurm", "etc", "slurm.conf");
const cli = new SlurmCli({ env: { ...process.env, SLURM_CONF: conf }, timeoutMs: 10_000 });

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
if (why !== null && process.env.GJ_REQUIRE_SLURM === "1")
  throw new Error(`GJ_REQUIRE_SLURM=1 but no test cluster: ${why}`);
const skip =
  why === null
    ? false
    : `no Slurm test cluster (${why}); start one with scripts/slurm/start-test-cluster.sh`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test("the service runs jobs on a real Slurm", { skip, timeout: 240_000 }, async (t) => {
  const t0 = Date.now();
  await cli.run("scontrol", ["update", "nodename=gj-n[1-2]", "state=resume"]).catch(() => {});
  const fleet: Fleet = await fetchSlurmFleet(cli, { name: "slurm-test", includeUnavailable: true });
  const db = await freshDatabase("sqlite");
  const logDir = mkdtempSync(join(tmpdir(), "gj-slurm-svc-"));
  let executor!: SlurmExecutor; // the running service's; a restart makes a new one
  const serve = (admin?: string) => {
    executor = new SlurmExecutor({ cli, logDir });
    return startService({ database: db.url, fleet, seed: H100_SEED, executor, tickMs: 200 }).then(
      (svc) => ({ svc, admin: admin ?? svc.adminToken! }),
    );
  };
  let r: { svc: Service; admin: string } = await serve();
  t.after(async () => {
    await r.svc.close();
    await db.remove();
    rmSync(logDir, { recursive: true, force: true });
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await r.svc.app.inject({
      method: method as "GET",
      url: path,
      headers: { authorization: `Bearer ${r.admin}` },
      ...(body !== undefined && { payload: body as object }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
    return { status: res.statusCode, json: res.json() as any };
  };
  const submit = async (command: string, devices = 1) => {
    const res = await api("POST", "/v1/jobs", { queue: QUEUE, devices, duration: 120, command });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json.id as number;
  };
  const job = async (id: number) => (await api("GET", `/v1/jobs/${id}`)).json;
  const ended = (id: number) =>
    until(`job ${id} to end`, async () => {
      const j = await job(id);
      return ["succeeded", "failed", "cancelled"].includes(j.state) ? j : undefined;
    });
  const log = (id: number, attempt = 1) => join(logDir, `${id}.${attempt}.log`);
  const started = (id: number, attempt = 1) =>
    until(`job ${id}.${attempt} to start in Slurm`, async () =>
      existsSync(log(id, attempt)) && readFileSync(log(id, attempt), "utf8").includes("started")
        ? true
        : undefined,
    );
  // This store's jobs only: the cluster may still list an earlier run's job 4.1.
  const slurmJobsOf = async (id: number, attempt: number) =>
    (await cli.jobs()).filter(
      (j) => j.comment === `gongjang ${executor.deployment} ${id}.${attempt}`,
    );

  await t.test("submit → Slurm → exit codes recorded", async () => {
    const ok = await submit('echo "gpus=$CUDA_VISIBLE_DEVICES"', 2);
    const bad = await submit("exit 3");
    assert.deepEqual([(await ended(ok)).state, (await job(ok)).exitCode], ["succeeded", 0]);
    assert.deepEqual([(await ended(bad)).state, (await job(bad)).exitCode], ["failed", 3]);
    assert.match(readFileSync(log(ok), "utf8"), /gpus=\d,\d/);
  });

  await t.test("cancel through the API cancels the Slurm job", async () => {
    const id = await submit("echo started; sleep 120");
    await started(id);
    assert.equal((await api("POST", `/v1/jobs/${id}/cancel`, {})).status, 200);
    assert.equal((await ended(id)).state, "cancelled");
    const [sj] = await slurmJobsOf(id, 1);
    assert.equal(sj.state, "CANCELLED");
  });

  await t.test("a Slurm node going down requeues its job (a new attempt)", async () => {
    const id = await submit("echo started; sleep 120");
    await started(id);
    const target: string = (await job(id)).placement[0].node;
    try {
      await cli.run("scontrol", [
        "update",
        `nodename=${target}`,
        "state=down",
        "reason=gj-service-test",
      ]);
      const again = await until(`job ${id} requeued`, async () => {
        const j = await job(id);
        return j.attempt >= 2 ? j : undefined;
      });
      assert.equal(again.attempt, 2);
      const events = (await api("GET", `/v1/jobs/${id}/events`)).json;
      assert.match(JSON.stringify(events), /requeued.*NODE_FAIL|NODE_FAIL.*requeued/s);
    } finally {
      await cli.run("scontrol", ["update", `nodename=${target}`, "state=resume"]).catch(() => {});
    }
    await api("POST", `/v1/jobs/${id}/cancel`, {});
    await ended(id);
  });

  await t.test("a service restart re-adopts the running Slurm job", async () => {
    const id = await submit("echo started; sleep 4; echo finished");
    await started(id);
    const admin = r.admin;
    const deployment = executor.deployment;
    await r.svc.close();
    r = await serve(admin); // a new executor: it knows the job only through reconcile
    assert.equal(executor.deployment, deployment, "the store keeps its deployment id");
    const j = await ended(id);
    assert.deepEqual([j.state, j.attempt, j.exitCode], ["succeeded", 1, 0]);
    assert.equal((await slurmJobsOf(id, 1)).length, 1, "submitted once, not again");
    assert.match(readFileSync(log(id), "utf8"), /started\nfinished/);
  });

  const acct = await cli.accounting({ since: t0 }).then(
    () => null,
    (e: Error) => e.message,
  );
  if (acct !== null && process.env.GJ_REQUIRE_SLURM === "1")
    throw new Error(`GJ_REQUIRE_SLURM=1 but sacct fails: ${acct}`);
  const since = new Date(t0 - 1000).toISOString();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  const reconcile = async (body: Record<string, unknown> = {}): Promise<any> => {
    const res = await api("POST", "/v1/usage/reconcile", { since, ...body });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json;
  };
  await t.test(
    "usage reconciles with sacct; a skewed record is reported and corrected",
    { skip: acct === null ? false : `no Slurm accounting (${acct})` },
    async () => {
      // Every run above ended (the requeued job's two attempts too). slurmdbd takes the
      // end records a moment after squeue shows them: wait until nothing is one-sided.
      const first = await until("sacct to know every run", async () => {
        const rep = await reconcile();
        return rep.onlyInGongjang.length === 0 && rep.onlyInSlurm.length === 0 ? rep : undefined;
      });
      // 2 + 1 jobs, cancel, node failure (attempts 1 and 2), restart = 6 runs
      assert.equal(first.matched + first.mismatched.length, 6, JSON.stringify(first));
      // Small differences only: a cancelled job ends in sacct when scancel is accepted,
      // while gongjang closes its run once squeue shows the end (its steps' KillWait later).
      for (const m of first.mismatched) {
        assert.equal(m.gongjang.devices, m.slurm.devices, JSON.stringify(m));
        assert.ok(Math.abs(m.deltaDeviceHours) < 0.01, JSON.stringify(m));
      }
      // Skew the first job's record: 1 h earlier start, as if it had waited in Slurm's queue.
      const db = r.svc.ctx.store.db;
      const [row] = await db.selectFrom("usage").selectAll().orderBy("id").limit(1).execute();
      await db
        .updateTable("usage")
        .set({ started_at: Number(row.started_at) - 3_600_000 })
        .where("id", "=", row.id)
        .execute();
      const skewed = await reconcile();
      const m = skewed.mismatched.find(
        (x: { job: number; attempt: number }) => x.job === row.job_id && x.attempt === row.attempt,
      );
      assert.ok(m !== undefined, JSON.stringify(skewed));
      assert.ok(Math.abs(m.deltaStartSeconds - 3600) <= 5, JSON.stringify(m));
      // devices × −1 h (give or take the few seconds both sides may differ by)
      assert.ok(Math.abs(m.deltaDeviceHours + m.gongjang.devices) < 0.01, JSON.stringify(m));
      assert.equal(skewed.corrected, 0, "a dry run changes nothing");

      const applied = await reconcile({ apply: true });
      assert.ok(applied.corrected >= 1);
      const [fixed] = await db.selectFrom("usage").selectAll().where("id", "=", row.id).execute();
      assert.equal(Number(fixed.started_at), Date.parse(m.slurm.startedAt));
      assert.equal(Number(fixed.ended_at), Date.parse(m.slurm.endedAt));
      const audit = (await api("GET", "/v1/audit?action=usage.reconcile")).json;
      assert.ok(
        audit.items.some(
          (a: { target: string }) => a.target === `usage/${row.job_id}.${row.attempt}`,
        ),
        JSON.stringify(audit),
      );
      const after = await reconcile();
      assert.equal(after.mismatched.length, 0, JSON.stringify(after.mismatched));
      assert.equal(after.matched, 6);
    },
  );
});
