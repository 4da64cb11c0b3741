// The agent hub's state machine, driven directly with an injected clock and scripted
// agents (no HTTP, no child process): sessions, liveness, assignments, reports, cancel.
// test/integration/agent.test.ts runs the same paths end to end with a real agent;
// hub-restart.test.ts covers re-registration and reconcile after a service restart.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Agent,
  brief,
  devices,
  exec,
  execs,
  FLEET,
  GPUS,
  keys,
  ONLY,
  run,
  running,
  setup,
} from "../../../test/support/agent/hub.ts";
import { AgentHub } from "./hub.ts";
import type { AgentDevice } from "./protocol.ts";

test("register refuses an unknown node, a node agents do not serve, and the wrong devices", () => {
  const { hub } = setup();
  const cases: [string, AgentDevice[], string, string][] = [
    ["nope", devices("nope"), "GJ_ERR_NOT_FOUND", "body.node"],
    ["cpu-c", [], "GJ_ERR_AGENT_MISMATCH", "body.node"],
    ["gpu-a", devices("gpu-a", 1), "GJ_ERR_AGENT_MISMATCH", "body.devices"], // the fleet says 2
  ];
  for (const [node, devs, code, path] of cases)
    assert.throws(() => hub.register({ node, devices: devs, runs: [] }), {
      code,
      location: { path },
    });
  assert.deepEqual([hub.agents(), hub.takeNodeEvents()], [[], []], "a refusal changes nothing");
  // A hub built without `serves` (a service without the agent executor) serves nothing.
  const bare = new AgentHub({ fleet: FLEET, heartbeatMs: 2_000 });
  assert.equal(bare.timeoutMs, 6_000, "default timeout: 3 heartbeats");
  assert.throws(() => new Agent(bare, "gpu-a").register(), { code: "GJ_ERR_AGENT_MISMATCH" });
});

test("register opens a session, maps device indices to UUIDs and reports the node up", () => {
  const { hub, clock } = setup();
  clock.t = 500;
  const { session, ...reply } = new Agent(hub, "gpu-a").register();
  assert.equal(typeof session, "string");
  assert.deepEqual(reply, {
    heartbeatMs: 1_000,
    timeoutMs: 3_000,
    devices: ["GPU-gpu-a-0", "GPU-gpu-a-1"],
  });
  assert.deepEqual(hub.takeNodeEvents(), [
    { node: "gpu-a", state: "up", reason: "agent registered (2 devices)" },
  ]);
  assert.deepEqual(hub.takeNodeEvents(), [], "taken once");
  const [{ agent }] = hub.agents();
  assert.deepEqual(
    [agent.node, agent.session, agent.registeredAt, agent.lastSeen],
    ["gpu-a", session, 500, 500],
  );
});

test("heartbeats keep a node up; silence past the timeout marks it down exactly once", async () => {
  const {
    hub,
    ex,
    clock,
    agents: [a],
  } = setup(ONLY("gpu-a"), "gpu-a");
  await ex.poll(); // first check at t=0
  clock.t = 2_500;
  await a.beat();
  clock.t = 5_500; // 5500 − 2500 = 3000 ≤ timeout: still up
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), []);
  clock.t = 5_501; // 3001 > 3000
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), [
    { node: "gpu-a", state: "down", reason: "agent silent for 3 s (timeout 3 s)" },
  ]);
  clock.t = 20_000;
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), [], "a down node is not reported down again");
  assert.deepEqual(hub.agents(), [], "its session is dropped");
  await assert.rejects(a.beat(), {
    code: "GJ_ERR_AGENT_SESSION",
    location: { path: "body.session" },
  });
});

test("a down node comes back up when its agent registers again", async () => {
  const {
    hub,
    ex,
    clock,
    agents: [a],
  } = setup(ONLY("gpu-a"), "gpu-a");
  const old = a.session;
  clock.t = 3_001;
  await ex.poll();
  clock.t = 4_000;
  a.register();
  assert.deepEqual(
    hub.takeNodeEvents().map((e) => e.state),
    ["down", "up"],
  );
  assert.notEqual(a.session, old, "a new session");
  assert.deepEqual((await a.beat()).run, []);
  clock.t = 7_000; // 7000 − 4000 = 3000 since the new session was last seen: up
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), []);
  const stale = { node: "gpu-a", session: old, seq: 9, ack: 0, gpus: [], runs: [] };
  await assert.rejects(hub.heartbeat(stale), { code: "GJ_ERR_AGENT_SESSION" });
});

test("a node never registered is down timeoutMs after the first check, not construction", async () => {
  const { hub, ex, clock } = setup(ONLY("gpu-b"));
  clock.t = 10_000; // a slow start-up must not eat the agents' time to register
  await ex.poll();
  clock.t = 13_000;
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), []);
  clock.t = 13_001;
  await ex.poll();
  assert.deepEqual(hub.takeNodeEvents(), [
    { node: "gpu-b", state: "down", reason: "no agent registered in 3 s" },
  ]);
});

test("assignments go to each member's node only, with its devices and environment", async () => {
  const {
    hub,
    ex,
    clock,
    agents: [a, b],
  } = setup(GPUS, "gpu-a", "gpu-b");
  clock.t = 100;
  assert.deepEqual(await ex.start(exec("g", "gpu-a:1", "gpu-b:0")), {
    jobId: "g",
    attempt: 1,
    state: "running",
    at: 100,
  });
  await ex.start({ ...exec("s", "gpu-b:0,1"), command: "train.sh", env: { X: "1" } });
  const env = { GJ_JOB_ID: "g", GJ_ATTEMPT: "1", GJ_GANG_SIZE: "2", GJ_TENANT: "t", GJ_QUEUE: "q" };
  const ra = await a.beat();
  assert.equal(ra.seq, 1, "the reply echoes the seq");
  assert.deepEqual(ra.run, [
    {
      key: "g.1.0",
      command: "sleep 60",
      env: { ...env, GJ_MEMBER: "0" },
      devices: ["GPU-gpu-a-1"],
    },
  ]);
  const [g1, s0] = (await b.beat()).run;
  assert.deepEqual([g1.key, g1.env.GJ_MEMBER, g1.devices], ["g.1.1", "1", ["GPU-gpu-b-0"]]);
  assert.deepEqual(
    [s0.key, s0.command, s0.env.X],
    ["s.1.0", "train.sh", "1"],
    "the job's own env too",
  );
  assert.deepEqual(s0.devices, ["GPU-gpu-b-0", "GPU-gpu-b-1"]);
  assert.deepEqual(
    [...hub.tracked()],
    [
      ["g.1", ["g.1.0", "g.1.1"]],
      ["s.1", ["s.1.0"]],
    ],
  );
});

test("reports surface through the executor's poll: running, then the exit code", async () => {
  const {
    hub,
    ex,
    clock,
    agents: [a],
  } = setup(GPUS, "gpu-a");
  await execs(ex, exec("ok", "gpu-a:0"), exec("bad", "gpu-a:0"), exec("killed", "gpu-a:1"));
  const all = ["ok.1.0", "bad.1.0", "killed.1.0"];
  assert.deepEqual(keys(await a.beat()), all);
  const r1 = await a.beat(running(...all));
  assert.deepEqual([keys(r1), r1.ack], [all, []], "level-triggered: the reply lists them again");
  assert.deepEqual(await ex.poll(), [], "running is not news");
  clock.t = 2_000;
  const r2 = await a.beat([
    run("ok.1.0", "succeeded", { exitCode: 0 }),
    run("bad.1.0", "failed", { exitCode: 3 }),
    run("killed.1.0", "failed", { exitCode: null, signal: "SIGKILL" }),
  ]);
  assert.deepEqual(r2.ack, all, "ended runs are acked");
  const out = await ex.poll();
  assert.deepEqual(brief(out), [
    "ok:succeeded exit 0 (1 run(s) on gpu-a)",
    "bad:failed exit 3 (run bad.1.0 on gpu-a exited 3)",
    "killed:failed exit 137 (run killed.1.0 on gpu-a killed by SIGKILL)", // 128 + SIGKILL (9)
  ]);
  assert.deepEqual(
    out.map((s) => [s.at, s.handle]),
    [
      [2_000, "gpu-a/ok.1.0"],
      [2_000, "gpu-a/bad.1.0"],
      [2_000, "gpu-a/killed.1.0"],
    ],
  );
  assert.deepEqual([await ex.poll(), hub.tracked().size], [[], 0], "reported once, then forgotten");
});

test("a failed member ends its gang and the agents cancel the others", async () => {
  const {
    hub,
    ex,
    agents: [a, b],
  } = setup(GPUS, "gpu-a", "gpu-b");
  await ex.start(exec("g", "gpu-a:0", "gpu-b:0"));
  await a.beat();
  await b.beat();
  await b.beat([run("g.1.1", "failed", { exitCode: 1 })]);
  assert.deepEqual(brief(await ex.poll()), ["g:failed exit 1 (run g.1.1 on gpu-b exited 1)"]);
  const ra = await a.beat(running("g.1.0"));
  assert.deepEqual([ra.run, ra.cancel], [[], ["g.1.0"]]);
  await a.beat([run("g.1.0", "cancelled")]);
  assert.deepEqual([await ex.poll(), hub.tracked().size], [[], 0], "the gang ended once");
});

test("runs are lost when their node goes down, and when placed on a down node", async () => {
  const {
    hub,
    ex,
    clock,
    agents: [a],
  } = setup(ONLY("gpu-a"), "gpu-a");
  await ex.start(exec("j1", "gpu-a:0"));
  await a.beat();
  await a.beat(running("j1.1.0"));
  clock.t = 3_001;
  assert.deepEqual(brief(await ex.poll()), [
    "j1:lost (node gpu-a down: agent silent for 3 s (timeout 3 s))",
  ]);
  assert.deepEqual(
    hub.takeNodeEvents().map((e) => `${e.node}:${e.state}`),
    ["gpu-a:down"],
  );
  await ex.start(exec("j2", "gpu-a:0"));
  assert.deepEqual(brief(await ex.poll()), ["j2:lost (node gpu-a is down (no agent))"]);
});

test("cancel: an undelivered run ends at once, a delivered one is stopped by its agent", async () => {
  const {
    ex,
    agents: [a],
  } = setup(GPUS, "gpu-a");
  await execs(ex, exec("j1", "gpu-a:0"), exec("j2", "gpu-a:1"));
  await a.beat();
  await ex.start(exec("j3", "gpu-a:0"));
  await ex.cancel("j3", 1);
  assert.deepEqual(brief(await ex.poll()), ["j3:cancelled (1 run(s) on gpu-a)"], "nothing to stop");
  await ex.cancel("j1", 1);
  await ex.cancel("j1", 1); // idempotent
  await ex.cancel("nope", 1); // unknown: a no-op
  const r = await a.beat(running("j1.1.0", "j2.1.0"));
  assert.deepEqual([keys(r), r.cancel], [["j2.1.0"], ["j1.1.0"]], "j3 never reached the agent");
  assert.deepEqual(await ex.poll(), [], "cancelled only once the agent says so");
  await a.beat([run("j1.1.0", "cancelled", { signal: "SIGTERM" }), run("j2.1.0", "running")]);
  assert.deepEqual(brief(await ex.poll()), ["j1:cancelled (1 run(s) on gpu-a)"]);
});

/** Whether `p` has settled once pending callbacks ran (a held long poll has not). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

test("a long poll is woken by new work and released by close()", { timeout: 10_000 }, async () => {
  const {
    hub,
    ex,
    agents: [a],
  } = setup(GPUS, "gpu-a");
  const woken = a.beat([], { waitMs: 30_000 }); // nothing to do: the reply waits
  assert.equal(await settled(woken), false);
  await ex.start(exec("j1", "gpu-a:0"));
  assert.equal(await settled(woken), true, "woken at once, not after waitMs");
  assert.deepEqual(keys(await woken), ["j1.1.0"]);
  const held = a.beat(running("j1.1.0"), { waitMs: 30_000 });
  assert.equal(await settled(held), false);
  hub.close();
  assert.equal(await settled(held), true, "released by close()");
  const r = await held;
  assert.deepEqual([keys(r), r.cancel], [["j1.1.0"], []]);
});

test("a long poll waits one heartbeat at most, so a connected agent is never timed out", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const {
    agents: [a],
  } = setup(GPUS, "gpu-a");
  const held = a.beat([], { waitMs: 30_000 }); // asks for longer than the 3 s timeout
  assert.equal(await settled(held), false);
  t.mock.timers.tick(999);
  assert.equal(await settled(held), false);
  t.mock.timers.tick(1); // the 1 s heartbeat period
  assert.equal(await settled(held), true, "answered after one heartbeat, not 30 s");
});
