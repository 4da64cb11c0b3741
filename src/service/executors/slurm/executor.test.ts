// The executor's bookkeeping against a scripted Slurm (no cluster needed); the
// integration test runs the same paths against a real one.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExecJob } from "../types.ts";
import { SlurmCli, type Submitted } from "./cli.ts";
import { execStateOf, SlurmExecutor } from "./executor.ts";
import type { SlurmJob } from "./parse.ts";

class ScriptedSlurm extends SlurmCli {
  queue: SlurmJob[] = [];
  cancelled: string[] = [];
  submitted: { args: readonly string[]; env: Readonly<Record<string, string>> }[] = [];
  nextId = 100;
  refuse: string | null = null;
  override async submit(
    args: readonly string[],
    _script: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<Submitted> {
    if (this.refuse !== null) return { refused: this.refuse };
    this.submitted.push({ args, env });
    const id = String(this.nextId++);
    const comment = args.find((a) => a.startsWith("--comment="))?.slice("--comment=".length) ?? "";
    this.queue.push(sjob(id, "PENDING", { comment, reason: "Priority" }));
    return { id };
  }
  override async jobs(): Promise<SlurmJob[]> {
    return this.queue;
  }
  override async cancel(ids: readonly string[]): Promise<void> {
    this.cancelled.push(...ids);
  }
  set(id: string, state: string, over: Partial<SlurmJob> = {}): void {
    this.queue = this.queue.map((j) => (j.id === id ? { ...j, state, ...over } : j));
  }
}

function sjob(id: string, state: string, over: Partial<SlurmJob> = {}): SlurmJob {
  return {
    id,
    name: "",
    comment: "",
    state,
    reason: "None",
    nodes: "",
    exitCode: 0,
    signal: null,
    gresDetail: [],
    ...over,
  };
}

function job(jobId: string, attempt = 1): ExecJob {
  return {
    jobId,
    attempt,
    tenant: "t",
    queue: "q",
    command: "true",
    duration: 10,
    startedAt: 0,
    members: [{ node: "n1", devices: [0], deviceMilli: 1000, deviceType: "nvidia-h100-80g" }],
  };
}

const STATES: [string, Partial<SlurmJob>, string, number | undefined][] = [
  ["PENDING", {}, "running", undefined], // queued in Slurm: admitted as far as gongjang knows
  ["COMPLETING", {}, "running", undefined],
  ["COMPLETED", {}, "succeeded", 0],
  ["FAILED", { exitCode: 3 }, "failed", 3],
  ["TIMEOUT", { exitCode: null, signal: 9 }, "failed", 137], // 128 + SIGKILL
  ["OUT_OF_MEMORY", { exitCode: null, signal: null }, "failed", undefined],
  ["CANCELLED", { exitCode: null, signal: 15 }, "cancelled", undefined],
  ["NODE_FAIL", {}, "lost", undefined],
  ["PREEMPTED", {}, "lost", undefined],
];
for (const [state, over, want, exitCode] of STATES)
  test(`Slurm ${state} is ${want}`, () => {
    const s = execStateOf(sjob("1", state, over));
    assert.deepEqual([s.state, s.exitCode], [want, exitCode]);
  });

test("start submits once, passes the hostfile, and poll reports only changes", async () => {
  const slurm = new ScriptedSlurm();
  const ex = new SlurmExecutor({ cli: slurm, logDir: "/l", deployment: "d1", now: () => 7 });
  const s = await ex.start(job("a"));
  assert.deepEqual(s, {
    jobId: "a",
    attempt: 1,
    state: "running",
    at: 7,
    detail: "slurm job 100 submitted",
    handle: "100",
  });
  await ex.start(job("a")); // idempotent
  assert.equal(slurm.submitted.length, 1);
  assert.match(slurm.submitted[0].env.SLURM_HOSTFILE, /hostfile$/);

  assert.deepEqual(await ex.poll(), []); // PENDING → still running: no change
  slurm.set("100", "RUNNING");
  assert.deepEqual(await ex.poll(), []);
  slurm.set("100", "FAILED", { exitCode: 2 });
  const [end] = await ex.poll();
  assert.deepEqual([end.state, end.exitCode, end.handle], ["failed", 2, "100"]);
  assert.deepEqual(await ex.poll(), []); // reported once, then forgotten
});

test("a job that vanishes from squeue is lost; cancel goes to scancel", async () => {
  const slurm = new ScriptedSlurm();
  const ex = new SlurmExecutor({ cli: slurm, logDir: "/l", deployment: "d1" });
  await ex.start(job("a"));
  await ex.cancel("a", 1);
  await ex.cancel("unknown", 1);
  assert.deepEqual(slurm.cancelled, ["100"]);
  slurm.queue = [];
  const [s] = await ex.poll();
  assert.deepEqual([s.state, s.detail], ["lost", "slurm job 100 is gone from squeue"]);
});

test("a refused submission is a failed start, not tracked", async () => {
  const slurm = new ScriptedSlurm();
  slurm.refuse = "Requested node configuration is not available";
  const ex = new SlurmExecutor({ cli: slurm, logDir: "/l", deployment: "d1" });
  const s = await ex.start(job("a"));
  assert.deepEqual(
    [s.state, s.detail],
    ["failed", "sbatch refused: Requested node configuration is not available"],
  );
  assert.equal(ex.tracked().size, 0);
});

test("reconcile adopts by comment (newest wins), reports the rest, cancels live orphans", async () => {
  const slurm = new ScriptedSlurm();
  slurm.queue = [
    sjob("5", "CANCELLED", { comment: "gongjang d1 a.1" }), // an older submit of a.1
    sjob("6", "RUNNING", { comment: "gongjang d1 a.1" }),
    sjob("7", "COMPLETED", { comment: "gongjang d1 b.1" }),
    sjob("8", "RUNNING", { comment: "gongjang d1 orphan.3" }),
    sjob("9", "COMPLETED", { comment: "gongjang d1 old.1" }), // ended orphan: left alone
    sjob("10", "RUNNING", { comment: "someone else" }),
    sjob("11", "RUNNING", { comment: "gongjang d2 orphan.3" }), // another deployment's
  ];
  const ex = new SlurmExecutor({ cli: slurm, logDir: "/l", deployment: "d1" });
  const report = await ex.reconcile([job("a"), job("b"), job("c")]);
  assert.deepEqual(
    report.map((s) => [s.jobId, s.state, s.handle]),
    [
      ["a", "running", "6"],
      ["b", "succeeded", "7"],
      ["c", "lost", undefined],
    ],
  );
  assert.deepEqual(ex.tracked(), new Map([["a.1", "6"]]));
  assert.deepEqual(slurm.cancelled, ["8"]);
});
