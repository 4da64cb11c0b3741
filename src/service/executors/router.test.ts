// The RoutedExecutor's bookkeeping against two recording fakes: which route takes an
// execution, where cancels go (before and after it knows the owner), and that poll,
// reconcile, attach and close reach every route.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RoutedExecutor } from "./router.ts";
import type { ExecJob, ExecState, ExecStatus, Executor } from "./types.ts";

/** An executor that records its calls; poll() hands out what `queue` holds. */
class Recorder implements Executor {
  readonly name: string;
  readonly calls: string[] = [];
  queue: ExecStatus[] = [];
  constructor(name: string) {
    this.name = name;
  }
  async start(job: ExecJob): Promise<ExecStatus> {
    this.calls.push(`start ${job.jobId}.${job.attempt}`);
    return status(job.jobId, "running");
  }
  async cancel(jobId: string, attempt: number): Promise<void> {
    this.calls.push(`cancel ${jobId}.${attempt}`);
  }
  async poll(): Promise<readonly ExecStatus[]> {
    this.calls.push("poll");
    const out = this.queue;
    this.queue = [];
    return out;
  }
  async reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]> {
    this.calls.push(`reconcile ${expected.map((j) => j.jobId).join(",")}`);
    return expected.map((j) => status(j.jobId, "running"));
  }
  async close(): Promise<void> {
    this.calls.push("close");
  }
}

/** A Recorder that also takes the deployment id (as the Slurm executor does). */
class Attachable extends Recorder {
  attach(deployment: string): void {
    this.calls.push(`attach ${deployment}`);
  }
}

const status = (jobId: string, state: ExecState): ExecStatus => ({
  jobId,
  attempt: 1,
  state,
  at: 0,
});

/** An execution with one member per node. */
const exec = (jobId: string, ...nodes: string[]): ExecJob => ({
  jobId,
  attempt: 1,
  tenant: "t",
  queue: "q",
  duration: 60,
  startedAt: 0,
  members: nodes.map((node) => ({ node, devices: [0], deviceMilli: 1000, deviceType: null })),
});

/** Agents serve gpu-* nodes; everything else runs on the default route. */
function setup() {
  const agent = new Attachable("agent");
  const sim = new Recorder("sim");
  const router = new RoutedExecutor([
    { executor: agent, nodes: (n) => n.startsWith("gpu-") },
    { executor: sim },
  ]);
  return { agent, sim, router };
}

test("pick: all members on a route's nodes take that route, anything else the default", () => {
  const { agent, sim, router } = setup();
  const cases: [string, ExecJob, Executor][] = [
    ["one agent node", exec("a", "gpu-1"), agent],
    ["a gang all on agent nodes", exec("b", "gpu-1", "gpu-2"), agent],
    ["a gang straddling the kinds", exec("c", "gpu-1", "cpu-1"), sim],
    ["no agent node", exec("d", "cpu-1"), sim],
    // every() over no members is true; a job with nowhere to run must not go to agents.
    ["no members", exec("e"), sim],
  ];
  for (const [why, job, want] of cases) assert.equal(router.pick(job), want, why);
  assert.equal(router.name, "agent+sim");
});

test("pick: the first matching route wins, in the order given", () => {
  const [a, b, d] = [new Recorder("a"), new Recorder("b"), new Recorder("d")];
  const router = new RoutedExecutor([
    { executor: a, nodes: (n) => n === "x" },
    { executor: b, nodes: () => true },
    { executor: d },
  ]);
  assert.deepEqual([router.pick(exec("1", "x")), router.pick(exec("2", "y"))], [a, b]);
  assert.throws(() => new RoutedExecutor([]), /at least one route/);
});

test("start goes to the picked route, and cancel to its owner only", async () => {
  const { agent, sim, router } = setup();
  assert.equal((await router.start(exec("g", "gpu-1"))).state, "running");
  await router.start(exec("c", "cpu-1"));
  await router.cancel("g", 1);
  await router.cancel("c", 1);
  assert.deepEqual(agent.calls, ["start g.1", "cancel g.1"]);
  assert.deepEqual(sim.calls, ["start c.1", "cancel c.1"]);
});

test("cancel with no known owner (after a restart, before reconcile) goes to every route", async () => {
  const { agent, sim, router } = setup();
  await router.cancel("g", 3);
  assert.deepEqual([agent.calls, sim.calls], [["cancel g.3"], ["cancel g.3"]]);
});

test("poll merges every route and forgets the owners of ended executions", async () => {
  const { agent, sim, router } = setup();
  await router.start(exec("g", "gpu-1"));
  await router.start(exec("h", "gpu-2"));
  agent.queue = [status("g", "succeeded"), status("h", "running")];
  sim.queue = [status("c", "lost")];
  assert.deepEqual(
    (await router.poll()).map((s) => `${s.jobId}:${s.state}`),
    ["g:succeeded", "h:running", "c:lost"],
  );
  agent.calls.length = 0;
  // g ended: its owner is forgotten, so a late cancel fans out; h still runs on agents.
  await router.cancel("g", 1);
  await router.cancel("h", 1);
  assert.deepEqual(agent.calls, ["cancel g.1", "cancel h.1"]);
  assert.deepEqual(sim.calls, ["poll", "cancel g.1"]);
});

test("reconcile splits the expected executions per route and records their owners", async () => {
  const { agent, sim, router } = setup();
  const out = await router.reconcile([
    exec("g", "gpu-1"),
    exec("c", "cpu-1"),
    exec("m", "gpu-1", "cpu-1"),
    exec("h", "gpu-1", "gpu-2"),
  ]);
  assert.deepEqual(
    out.map((s) => s.jobId),
    ["g", "h", "c", "m"],
    "each route's answer, in route order",
  );
  assert.deepEqual(agent.calls, ["reconcile g,h"]);
  assert.deepEqual(sim.calls, ["reconcile c,m"]);
  await router.cancel("h", 1);
  await router.cancel("m", 1);
  assert.deepEqual(agent.calls.slice(1), ["cancel h.1"], "owners known after reconcile");
  assert.deepEqual(sim.calls.slice(1), ["cancel m.1"]);
});

test("reconcile asks every route, even with nothing expected on it", async () => {
  const { agent, sim, router } = setup();
  assert.deepEqual(await router.reconcile([]), []);
  // An empty list still matters: the route reports what it runs that nobody expects.
  assert.deepEqual([agent.calls, sim.calls], [["reconcile "], ["reconcile "]]);
});

test("attach reaches every route that takes it, and close closes all", async () => {
  const { agent, sim, router } = setup();
  const other = new Attachable("other");
  const three = new RoutedExecutor([
    { executor: agent, nodes: () => false },
    { executor: sim, nodes: () => false },
    { executor: other },
  ]);
  three.attach("dep-1"); // sim has no attach(): skipped, not an error
  await router.close();
  assert.deepEqual(agent.calls, ["attach dep-1", "close"]);
  assert.deepEqual(other.calls, ["attach dep-1"]);
  assert.deepEqual(sim.calls, ["close"]);
});
