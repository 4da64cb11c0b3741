// `serve --executor` choices: the node patterns of --agent-nodes, and which executor
// (and agent hub) each choice builds, with the coded errors for bad arguments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fleet } from "../../../test/support/builders.ts";
import { AgentExecutor } from "./agent/index.ts";
import { RoutedExecutor } from "./router.ts";
import { buildExecutor, nodeMatcher } from "./select.ts";
import { SimExecutor } from "./sim/index.ts";
import { SlurmCli } from "./slurm/cli.ts";
import { SlurmExecutor } from "./slurm/executor.ts";
import type { ExecJob } from "./types.ts";

const FLEET = fleet()
  .node("gpu-1", "h100", 8)
  .node("gpu-10", "h100", 8)
  .node("cpu-1", null, 0)
  .build();

test("nodeMatcher: exact names and `prefix*` patterns; none means every node", () => {
  const cases: [readonly string[] | undefined, string, boolean][] = [
    [undefined, "anything", true],
    [[], "anything", true],
    [["gpu-1"], "gpu-1", true],
    [["gpu-1"], "gpu-10", false], // exact means exact, not a prefix
    [["gpu-*"], "gpu-10", true],
    [["gpu-*"], "cpu-1", false],
    [["gpu-*"], "gpu-", true], // the empty rest matches too
    [["cpu-1", "gpu-1*"], "gpu-10", true],
    [["cpu-1", "gpu-1*"], "cpu-1", true],
    [["cpu-1", "gpu-1*"], "gpu-2", false],
    [["*"], "anything", true],
    // Only a trailing `*` is a wildcard; elsewhere it is part of the name.
    [["g*-1"], "gpu-1", false],
    [["g*-1"], "g*-1", true],
  ];
  for (const [patterns, node, want] of cases)
    assert.equal(nodeMatcher(patterns)(node), want, `${JSON.stringify(patterns)} on ${node}`);
});

test("buildExecutor: sim and slurm need no hub; slurm needs a log dir", () => {
  const sim = buildExecutor({ kind: "sim", fleet: FLEET, speedup: 10 });
  assert.ok(sim.executor instanceof SimExecutor);
  assert.equal(sim.agents, undefined);
  const slurm = buildExecutor({
    kind: "slurm",
    fleet: FLEET,
    slurmLogDir: "logs",
    slurmCli: new SlurmCli({ env: {} }),
  });
  assert.ok(slurm.executor instanceof SlurmExecutor);
  assert.equal(slurm.agents, undefined);
  assert.throws(() => buildExecutor({ kind: "slurm", fleet: FLEET }), {
    code: "GJ_ERR_ARGUMENT",
    location: { path: "--slurm-log-dir" },
  });
});

test("buildExecutor: an unknown kind is GJ_ERR_ARGUMENT naming the choices", () => {
  assert.throws(() => buildExecutor({ kind: "k8s", fleet: FLEET }), {
    code: "GJ_ERR_ARGUMENT",
    location: { path: "--executor" },
    text: '--executor: expected one of sim, slurm, agent, got "k8s"',
  });
});

test("buildExecutor: agent on every node is the agent executor alone, on one hub", () => {
  const { executor, agents } = buildExecutor({
    kind: "agent",
    fleet: FLEET,
    heartbeatMs: 2_000,
  });
  assert.ok(executor instanceof AgentExecutor);
  assert.ok(agents !== undefined);
  assert.equal(executor.hub, agents, "the /v1/agents routes and the executor share one hub");
  assert.deepEqual([agents.heartbeatMs, agents.timeoutMs], [2_000, 6_000], "timeout: 3 beats");
  assert.deepEqual(
    ["gpu-1", "cpu-1"].map((n) => agents.serves(n)),
    [true, true],
  );
  // An empty --agent-nodes list means every node too: no router.
  const empty = buildExecutor({ kind: "agent", fleet: FLEET, agentNodes: [] });
  assert.ok(empty.executor instanceof AgentExecutor);
});

test("buildExecutor: agent on some nodes routes the rest to the sim executor", async () => {
  const { executor, agents } = buildExecutor({
    kind: "agent",
    fleet: FLEET,
    agentNodes: ["gpu-1*"],
    heartbeatMs: 1_000,
    timeoutMs: 10_000,
  });
  assert.ok(executor instanceof RoutedExecutor);
  assert.equal(executor.name, "agent+sim");
  assert.ok(agents !== undefined);
  assert.deepEqual([agents.heartbeatMs, agents.timeoutMs], [1_000, 10_000]);
  assert.deepEqual(
    ["gpu-1", "gpu-10", "cpu-1"].map((n) => agents.serves(n)),
    [true, true, false],
  );
  const job = (jobId: string, node: string): ExecJob => ({
    jobId,
    attempt: 1,
    tenant: "t",
    queue: "q",
    duration: 1,
    startedAt: Date.now(),
    members: [{ node, devices: [], deviceMilli: 0, deviceType: null }],
  });
  // The agent route takes gpu work into the hub; cpu work never reaches it.
  assert.equal(executor.pick(job("g", "gpu-10")).name, "agent");
  assert.equal(executor.pick(job("c", "cpu-1")).name, "sim");
  await executor.start(job("g", "gpu-10"));
  await executor.start(job("c", "cpu-1"));
  assert.deepEqual([...agents.tracked().keys()], ["g.1"]);
  await executor.close();
});

test("buildExecutor: an --agent-nodes pattern that matches no node is refused, not ignored", () => {
  assert.throws(
    () => buildExecutor({ kind: "agent", fleet: FLEET, agentNodes: ["gpu-1", "gpu-9*"] }),
    {
      code: "GJ_ERR_ARGUMENT",
      location: { path: "--agent-nodes" },
      text: /"gpu-9\*" matches no node of the fleet/,
    },
  );
});
