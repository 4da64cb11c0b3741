// Allocation programs through the API on every store backend, with a clock the test
// moves: request → approve → live quota → usage → 80% warning → 100% enforcement
// (refuse for the startup program, preemptible for the university one) → expiry;
// tenancy checks on approval; and who may do what.
import assert from "node:assert/strict";
import { test } from "node:test";
import { liveTenancy } from "../../src/service/tenancy/live.ts";
import { backends, type TestService, testService } from "../support/service.ts";

const H = 3_600_000;
const T0 = Date.parse("2026-11-23T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const H100 = "nvidia-h100-80g";
const VR = "nvidia-vr-nvl144";

/** The live guarantee of `queue` on `type`, in devices. */
async function guaranteed(svc: TestService, queue: string, type: string, now: number) {
  const spec = await liveTenancy(svc.ctx.store.db, now);
  return spec.queues.find((q) => q.path === queue)?.quota?.[type]?.guaranteed;
}

/** Audit actions on `target`, oldest first. */
async function auditOf(svc: TestService, target: string): Promise<string[]> {
  const rows = await svc.ctx.store.db
    .selectFrom("audit")
    .select("action")
    .where("target", "=", target)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.action);
}

const job = (queue: string, extra: Record<string, unknown> = {}) => ({
  queue,
  devices: 8,
  deviceTypes: [H100],
  duration: 86_400,
  ...extra,
});

for (const backend of backends()) {
  test(`startup program: request, approve, quota, 80% warning, 100% refuses, expiry (${backend})`, async (t) => {
    let now = T0;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const tenantAdmin = await svc.token("tenant-admin", "startups", "ceo@startups");
    const programAdmin = await svc.token("program-admin", null, "officer");

    const req = await svc.call("POST", "/v1/allocations", {
      token: tenantAdmin,
      body: {
        queue: "startups",
        deviceType: H100,
        guaranteed: 8,
        budgetHours: 10,
        startsAt: iso(T0),
        endsAt: iso(T0 + 48 * H),
        justification: "pre-training a 7B model",
      },
    });
    assert.equal(req.status, 201, req.text);
    const id = req.json.id;
    // the tenant's program is used when none is named
    assert.equal(req.json.program, "startup");
    assert.equal(req.json.state, "requested");
    assert.equal(await guaranteed(svc, "startups", H100, now), 8, "not live before approval");

    const ok = await svc.call("POST", `/v1/allocations/${id}/approve`, {
      token: programAdmin,
      body: { note: "fits the program" },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.state, "approved");
    assert.equal(ok.json.decidedBy, "officer");
    // 8 of the queue's own + 8 granted = 16
    assert.equal(await guaranteed(svc, "startups", H100, now), 16);

    const run = await svc.call("POST", "/v1/jobs", {
      token: tenantAdmin,
      body: job("startups/alpha"),
    });
    assert.equal(run.status, 201, run.text);
    await svc.ctx.loop.tickNow();
    now = T0 + H; // 8 GPUs × 1 h = 8 of 10 device-hours = 80%
    await svc.ctx.loop.tickNow();
    const warned = await svc.call("GET", `/v1/allocations/${id}`, { token: tenantAdmin });
    assert.equal(warned.json.budgetAlert, 80);
    assert.equal(warned.json.usedHours, 8);
    await svc.ctx.loop.tickNow(); // no second warning
    assert.deepEqual(await auditOf(svc, `allocation/${id}`), [
      "allocation.request",
      "allocation.approve",
      "allocation.budget-warning",
    ]);

    now = T0 + 1.25 * H; // 8 × 1.25 h = 10 of 10 = 100%
    await svc.ctx.loop.tickNow();
    const spent = await svc.call("GET", `/v1/allocations/${id}`, { token: tenantAdmin });
    assert.equal(spent.json.budgetAlert, 100);
    assert.equal(await guaranteed(svc, "startups", H100, now), 8, "an exhausted guarantee stops");
    const refused = await svc.call("POST", "/v1/jobs", {
      token: tenantAdmin,
      body: job("startups/beta"),
    });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.error.code, "GJ_ERR_BUDGET_EXHAUSTED");
    assert.match(refused.json.error.message, new RegExp(`allocation ${id} .*10 device-hours`));
    const anyType = await svc.call("POST", "/v1/jobs", {
      token: tenantAdmin,
      body: job("startups/beta", { deviceTypes: [] }),
    });
    assert.equal(anyType.status, 403, "a job that may land on H100 is refused too");
    const otherType = await svc.call("POST", "/v1/jobs", {
      token: tenantAdmin,
      body: job("startups/beta", { deviceTypes: ["rebellions-atom"], devices: 1 }),
    });
    assert.equal(otherType.status, 201, otherType.text);

    now = T0 + 48 * H; // the period is over
    await svc.ctx.loop.tickNow();
    const over = await svc.call("GET", `/v1/allocations/${id}`, { token: tenantAdmin });
    assert.equal(over.json.state, "expired");
    assert.deepEqual((await auditOf(svc, `allocation/${id}`)).slice(-2), [
      "allocation.budget-exhausted",
      "allocation.expire",
    ]);
    const after = await svc.call("POST", "/v1/jobs", {
      token: tenantAdmin,
      body: job("startups/beta"),
    });
    assert.equal(after.status, 201, "an expired allocation no longer refuses");
    const listed = await svc.call("GET", "/v1/allocations?state=expired", { token: tenantAdmin });
    assert.deepEqual(
      listed.json.items.map((a: { id: number }) => a.id),
      [id],
    );
  });

  test(`university program: a changed budget, then jobs queue as preemptible (${backend})`, async (t) => {
    let now = T0;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const snuAdmin = await svc.token("tenant-admin", "snu");
    const req = await svc.call("POST", "/v1/allocations", {
      token: snuAdmin,
      body: {
        queue: "snu",
        deviceType: H100,
        guaranteed: 8,
        budgetHours: 4,
        startsAt: iso(T0),
        endsAt: iso(T0 + 24 * H),
        justification: "robot learning course",
      },
    });
    assert.equal(req.status, 201, req.text);
    const id = req.json.id;
    const ok = await svc.call("POST", `/v1/allocations/${id}/approve`, {
      token: svc.admin,
      body: { budgetHours: 8, note: "doubled for the course" },
    });
    assert.equal(ok.json.budgetHours, 8);
    // 24 of the queue's own + 8 granted = 32
    assert.equal(await guaranteed(svc, "snu", H100, now), 32);

    const sub = await svc.call("POST", "/v1/jobs", {
      token: snuAdmin,
      body: job("snu/gsai", { preemptible: false }),
    });
    assert.equal(sub.json.spec.preemptible, false);
    await svc.ctx.loop.tickNow();
    now = T0 + H; // 8 GPUs × 1 h = 8 of 8 device-hours: straight to 100%
    await svc.ctx.loop.tickNow();
    assert.deepEqual(await auditOf(svc, `allocation/${id}`), [
      "allocation.request",
      "allocation.approve",
      "allocation.budget-warning",
      "allocation.budget-exhausted",
    ]);
    const exhausted = await svc.ctx.store.db
      .selectFrom("audit")
      .select("after")
      .where("action", "=", "allocation.budget-exhausted")
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(exhausted.after!), {
      budgetAlert: 100,
      enforcement: "preemptible",
      usedHours: 8,
      budgetHours: 8,
      percent: 100,
    });
    assert.equal(await guaranteed(svc, "snu", H100, now), 24);
    const forced = await svc.call("POST", "/v1/jobs", {
      token: snuAdmin,
      body: job("snu/robotics", { preemptible: false }),
    });
    assert.equal(forced.status, 201, forced.text);
    assert.equal(forced.json.spec.preemptible, true, "beyond the budget: preemptible");
    const elsewhere = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: job("hyundai/llm", { preemptible: false }),
    });
    assert.equal(elsewhere.json.spec.preemptible, false, "other tenants are untouched");
  });

  test(`approval keeps the tenancy valid; decided allocations stay decided (${backend})`, async (t) => {
    const now = T0;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const body = {
      queue: "snu/gsai",
      deviceType: VR,
      guaranteed: 16,
      startsAt: iso(T0),
      endsAt: iso(T0 + 24 * H),
      justification: "more NVL144",
    };
    const req = await svc.call("POST", "/v1/allocations", { token: svc.admin, body });
    assert.equal(req.status, 201, req.text);
    const id = req.json.id;
    // snu guarantees 24 VR; gsai 16 + 16 granted + robotics 8 = 40 > 24
    const over = await svc.call("POST", `/v1/allocations/${id}/approve`, { token: svc.admin });
    assert.equal(over.status, 409, over.text);
    assert.equal(over.json.error.code, "GJ_ERR_ALLOCATION_OVERCOMMIT");
    assert.equal(over.json.error.path, "body.guaranteed");
    assert.match(over.json.error.message, /children of "snu"/);
    // changed to a budget only: 16 + 0 + 8 = 24 ≤ 24, so it is approved
    const fits = await svc.call("POST", `/v1/allocations/${id}/approve`, {
      token: svc.admin,
      body: { guaranteed: 0, budgetHours: 100 },
    });
    assert.equal(fits.status, 200, fits.text);
    assert.equal(fits.json.guaranteed, 0);

    const req2 = await svc.call("POST", "/v1/allocations", { token: svc.admin, body });
    const rejected = await svc.call("POST", `/v1/allocations/${req2.json.id}/reject`, {
      token: svc.admin,
      body: { note: "no capacity this quarter" },
    });
    assert.equal(rejected.json.state, "rejected");
    assert.equal(rejected.json.decisionNote, "no capacity this quarter");
    const again = await svc.call("POST", `/v1/allocations/${req2.json.id}/approve`, {
      token: svc.admin,
    });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "GJ_ERR_ALLOCATION_STATE");

    const bad: [Record<string, unknown>, string][] = [
      [{ ...body, endsAt: iso(T0 - H) }, "body.endsAt"],
      [{ ...body, guaranteed: 0 }, "body.guaranteed"],
      [{ ...body, deviceType: "tpu-v9" }, "body.deviceType"],
      [{ ...body, program: "startup" }, "body.program"],
      [{ ...body, startsAt: "soon" }, "body.startsAt"],
    ];
    for (const [b, path] of bad) {
      const res = await svc.call("POST", "/v1/allocations", { token: svc.admin, body: b });
      assert.equal(res.status, 400, `${JSON.stringify(b)} → ${res.text}`);
      assert.equal(res.json.error.path, path);
    }
    const noQueue = await svc.call("POST", "/v1/allocations", {
      token: svc.admin,
      body: { ...body, queue: "snu/nope" },
    });
    assert.equal(noQueue.json.error.code, "GJ_ERR_QUEUE_UNKNOWN");
  });

  test(`roles: who may request, decide, see and create programs (${backend})`, async (t) => {
    const svc = await testService(backend, { clock: () => T0 });
    t.after(() => svc.close());
    const member = await svc.token("member", "startups");
    const tenantAdmin = await svc.token("tenant-admin", "startups");
    const otherAdmin = await svc.token("tenant-admin", "snu");
    const body = {
      queue: "startups",
      deviceType: H100,
      budgetHours: 5,
      startsAt: iso(T0),
      endsAt: iso(T0 + H),
      justification: "x",
    };
    const byMember = await svc.call("POST", "/v1/allocations", { token: member, body });
    assert.equal(byMember.status, 403);
    assert.equal(byMember.json.error.code, "GJ_ERR_FORBIDDEN");
    const crossTenant = await svc.call("POST", "/v1/allocations", { token: otherAdmin, body });
    assert.equal(crossTenant.status, 404);
    const req = await svc.call("POST", "/v1/allocations", { token: tenantAdmin, body });
    assert.equal(req.status, 201);
    const id = req.json.id;
    const selfApprove = await svc.call("POST", `/v1/allocations/${id}/approve`, {
      token: tenantAdmin,
    });
    assert.equal(selfApprove.status, 403);
    for (const [method, path] of [
      ["GET", `/v1/allocations/${id}`],
      ["POST", `/v1/allocations/${id}/approve`],
    ] as const) {
      const res = await svc.call(method, path, { token: otherAdmin });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    const theirs = await svc.call("GET", "/v1/allocations", { token: otherAdmin });
    assert.deepEqual(theirs.json.items, []);
    const peek = await svc.call("GET", "/v1/allocations?tenant=startups", { token: otherAdmin });
    assert.equal(peek.status, 404);
    const mine = await svc.call("GET", "/v1/allocations", { token: member });
    assert.equal(mine.json.items.length, 1);

    const programs = await svc.call("GET", "/v1/programs", { token: member });
    assert.deepEqual(
      programs.json.items.map(
        (p: { id: string; enforcement: string }) => `${p.id}:${p.enforcement}`,
      ),
      ["public-lab:preemptible", "startup:refuse", "university:preemptible"],
    );
    const program = { id: "defense", name: "Defense research", enforcement: "refuse" };
    const notAdmin = await svc.call("POST", "/v1/programs", { token: tenantAdmin, body: program });
    assert.equal(notAdmin.status, 403);
    const created = await svc.call("POST", "/v1/programs", { token: svc.admin, body: program });
    assert.equal(created.status, 201, created.text);
    const dup = await svc.call("POST", "/v1/programs", { token: svc.admin, body: program });
    assert.equal(dup.status, 409);
    assert.deepEqual(await auditOf(svc, "program/defense"), ["program.create"]);
  });
}
