// The agent hub when agents and the service lose track of each other: runs an agent
// no longer has, a new session, and reconcile after a service restart (the hub starts
// empty; agents register again listing what they still run). See hub.ts's header.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Agent,
  brief,
  exec,
  execs,
  GPUS,
  keys,
  run,
  running,
  setup,
} from "../../../test/support/agent/hub.ts";

test("a delivered run the agent no longer has is lost, once it acted on the reply", async () => {
  const {
    ex,
    agents: [a],
  } = setup(GPUS, "gpu-a");
  await execs(ex, exec("x", "gpu-a:0"), exec("y", "gpu-a:0"), exec("z", "gpu-a:0"));
  await a.beat(); // reply 1 delivers x, y, z
  // Ack 0: the agent has not acted on reply 1 yet, so runs it does not list are not lost.
  assert.deepEqual(keys(await a.beat(running("y.1.0"), { ack: 0 })), ["x.1.0", "y.1.0", "z.1.0"]);
  assert.deepEqual(await ex.poll(), []);
  // Ack 2 ≥ 1: no x means the agent does not have it; z the agent lost itself (it restarted).
  await a.beat([run("y.1.0", "running"), run("z.1.0", "lost")]);
  assert.deepEqual(brief(await ex.poll()), [
    "x:lost (the agent on gpu-a does not run x.1.0)",
    "z:lost (the agent on gpu-a lost run z.1.0)",
  ]);
  a.register(); // a new session that does not list y
  assert.deepEqual(brief(await ex.poll()), [
    "y:lost (the agent on gpu-a registered again without run y.1.0)",
  ]);
});

test("reconcile after a restart re-adopts what agents run and cancels what nobody expects", async () => {
  const { ex, clock } = setup();
  const a = new Agent(ex.hub, "gpu-a");
  clock.t = 50;
  // The agent registers with the new service before the loop reconciles.
  a.register([
    ...running("j1.1.0", "stray.1.0"),
    run("j2.1.0", "succeeded", { exitCode: 0 }),
    run("old.1.0", "failed", { exitCode: 2 }),
  ]);
  const out = await ex.reconcile([
    exec("j1", "gpu-a:0"),
    exec("j2", "gpu-a:1"),
    exec("j3", "gpu-b:0"),
  ]);
  assert.deepEqual(brief(out), [
    "j1:running",
    "j3:running",
    "j2:succeeded exit 0 (1 run(s) on gpu-a)",
  ]);
  assert.deepEqual(
    out.map((s) => s.at),
    [50, 50, 50],
  );
  const r = await a.beat(running("j1.1.0", "stray.1.0"));
  assert.deepEqual([keys(r), r.cancel], [["j1.1.0"], ["stray.1.0"]], "the orphan is cancelled");
  assert.deepEqual((await a.beat(running("j1.1.0"))).cancel, [], "until the agent drops it");
  await a.beat([run("j1.1.0", "succeeded", { exitCode: 0 })]);
  assert.deepEqual(brief(await ex.poll()), ["j1:succeeded exit 0 (1 run(s) on gpu-a)"]);
});

test("reconcile before the agents register again: adopted on registration, else lost", async () => {
  const { hub, ex, clock } = setup();
  const out = await ex.reconcile([
    exec("j1", "gpu-a:0"),
    exec("j2", "gpu-a:1"),
    exec("j3", "gpu-b:0"),
  ]);
  assert.deepEqual(brief(out), ["j1:running", "j2:running", "j3:running"]);
  await ex.poll(); // first liveness check at t=0
  const a = new Agent(hub, "gpu-a");
  a.register(running("j1.1.0", "late.1.0"));
  // j2 is not listed: the hub cannot tell a start never delivered from a forgotten run,
  // so it hands it out; the agent's run-key memory keeps a key from starting twice.
  const r = await a.beat(running("j1.1.0", "late.1.0"));
  assert.deepEqual([keys(r), r.cancel], [["j1.1.0", "j2.1.0"], ["late.1.0"]]);
  await a.beat(running("j1.1.0")); // acted on reply 1, still no j2
  assert.deepEqual(brief(await ex.poll()), ["j2:lost (the agent on gpu-a does not run j2.1.0)"]);
  clock.t = 3_001; // gpu-b's agent never came back
  await a.beat(running("j1.1.0"));
  assert.deepEqual(brief(await ex.poll()), [
    "j3:lost (node gpu-b down: no agent registered in 3 s)",
  ]);
  assert.deepEqual(
    hub.agents().map((x) => x.runs.map((m) => `${m.key}:${m.state}`)),
    [["j1.1.0:running"]],
  );
});
