// Jobs through the API on every store backend: submit, schedule, run to completion,
// idempotent repeats, cancel (also while the executor is still starting the job), and
// coded errors for bad bodies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SimExecutor } from "../../src/service/executors/sim/index.ts";
import type { ExecJob } from "../../src/service/executors/types.ts";
import { backends, testService } from "../support/service.ts";

const body = { queue: "hyundai/llm", devices: 8, members: 2, duration: 600 };

for (const backend of backends()) {
  test(`a submitted job is placed, runs and succeeds (${backend})`, async (t) => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const sub = await svc.call("POST", "/v1/jobs", { token: svc.admin, body });
    assert.equal(sub.status, 201, sub.text);
    assert.equal(sub.json.state, "pending");
    await svc.ctx.loop.tickNow();
    const running = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    assert.equal(running.json.state, "running");
    // 2 members × 8 devices, one node each
    assert.equal(running.json.placement.length, 2);
    assert.equal(running.json.placement[0].devices.length, 8);
    now += 601_000; // past its 600 s duration
    await svc.ctx.loop.tickNow();
    const done = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    assert.equal(done.json.state, "succeeded");
    assert.equal(done.json.exitCode, 0);
    const events = await svc.call("GET", `/v1/jobs/${sub.json.id}/events`, { token: svc.admin });
    assert.deepEqual(
      events.json.items.map((e: { kind: string }) => e.kind),
      ["submitted", "started", "succeeded"],
    );
  });

  test(`Idempotency-Key: a repeat returns the original, another body is a 409 (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const headers = { "idempotency-key": "k-1" };
    const a = await svc.call("POST", "/v1/jobs", { token: svc.admin, body, headers });
    const b = await svc.call("POST", "/v1/jobs", { token: svc.admin, body: { ...body }, headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 200);
    assert.equal(b.json.id, a.json.id);
    const c = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: { ...body, devices: 4 },
      headers,
    });
    assert.equal(c.status, 409);
    assert.equal(c.json.error.code, "GJ_ERR_IDEMPOTENCY_CONFLICT");
    const list = await svc.call("GET", "/v1/jobs", { token: svc.admin });
    assert.equal(list.json.items.length, 1);
  });

  test(`bad bodies get coded errors that name the field (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const cases: [unknown, number, string, string][] = [
      [{ ...body, devices: 80 }, 400, "GJ_ERR_REQUEST_INVALID", "body.devices"],
      [{ ...body, color: "red" }, 400, "GJ_ERR_REQUEST_INVALID", "body"],
      [{ ...body, queue: "hyundai/nope" }, 404, "GJ_ERR_QUEUE_UNKNOWN", "queue"],
      [{ ...body, queue: "hyundai" }, 404, "GJ_ERR_QUEUE_UNKNOWN", "queue"],
      // 300 members × 8 devices of one type: the demo fleet has at most 288 of any type
      [{ ...body, members: 300 }, 422, "GJ_ERR_JOB_UNPLACEABLE", "members"],
      [{ ...body, residency: "mars" }, 422, "GJ_ERR_JOB_UNPLACEABLE", "residency"],
      [{ ...body, deviceTypes: ["tpu-v9"] }, 400, "GJ_ERR_REQUEST_INVALID", "deviceTypes[0]"],
      ["{not json", 400, "GJ_ERR_REQUEST_INVALID", "body"],
      // JSON.parse("1e400") is Infinity and ajv coerces "Infinity": neither may pass
      ['{"queue":"hyundai/llm","duration":1e400}', 400, "GJ_ERR_REQUEST_INVALID", "body.duration"],
      [{ ...body, priority: "-Infinity" }, 400, "GJ_ERR_REQUEST_INVALID", "body.priority"],
    ];
    for (const [b, status, code, path] of cases) {
      const res = await svc.call("POST", "/v1/jobs", {
        token: svc.admin,
        body: b,
        headers: typeof b === "string" ? { "content-type": "application/json" } : {},
      });
      assert.equal(res.status, status, `${JSON.stringify(b)} → ${res.text}`);
      assert.equal(res.json.error.code, code);
      assert.ok(
        res.json.error.path?.startsWith(path),
        `${res.json.error.path} should start with ${path}`,
      );
      assert.doesNotMatch(res.text, /at .*\.ts:\d+/, "no stack traces in responses");
    }
    const none = await svc.call("GET", "/v1/jobs", { token: svc.admin });
    assert.equal(none.json.items.length, 0, "nothing stored for refused bodies");
  });

  test(`cancel: a running job stops, then ends cancelled (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const sub = await svc.call("POST", "/v1/jobs", { token: svc.admin, body });
    await svc.ctx.loop.tickNow();
    const c = await svc.call("POST", `/v1/jobs/${sub.json.id}/cancel`, { token: svc.admin });
    assert.equal(c.status, 200);
    assert.equal(c.json.state, "stopping");
    await svc.ctx.loop.tickNow();
    const after = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    assert.equal(after.json.state, "cancelled");
    const again = await svc.call("POST", `/v1/jobs/${sub.json.id}/cancel`, { token: svc.admin });
    assert.equal(again.json.error.code, "GJ_ERR_JOB_FINISHED");
  });
}

/** A sim executor whose start() waits until the test opens the gate (a slow sbatch). */
class SlowStart extends SimExecutor {
  entered!: () => void;
  readonly starting = new Promise<void>((r) => {
    this.entered = r;
  });
  open!: () => void;
  private readonly gate = new Promise<void>((r) => {
    this.open = r;
  });
  override async start(job: ExecJob) {
    this.entered();
    await this.gate;
    return super.start(job);
  }
}

test("a cancel that comes while the executor is still starting the job is not lost", async (t) => {
  const executor = new SlowStart();
  const svc = await testService("sqlite", { executor });
  t.after(() => svc.close());
  const sub = await svc.call("POST", "/v1/jobs", { token: svc.admin, body });
  const ticked = svc.ctx.loop.tickNow();
  await executor.starting; // the store says running; the executor does not know it yet
  const cancelled = svc.call("POST", `/v1/jobs/${sub.json.id}/cancel`, { token: svc.admin });
  // Let the cancel reach the store (and the executor, had it not to wait) before the
  // start ends.
  const state = async () =>
    (await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin })).json.state;
  while ((await state()) !== "stopping") await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  executor.open();
  await ticked;
  assert.equal((await cancelled).json.state, "stopping");
  await svc.ctx.loop.tickNow();
  const after = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
  assert.equal(after.json.state, "cancelled", "the executor got the cancel after the start");
});
