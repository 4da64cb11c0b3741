// Tenants and queues through the API on every store backend: listing and reading with
// tenant scoping, usage and waiting jobs, creating tenants, and creating, changing and
// deleting queues with the whole tenancy checked, coded errors and audit records.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backends, testService } from "../support/service.ts";

const VR = "nvidia-vr-nvl144";
const H100 = "nvidia-h100-80g";

for (const backend of backends()) {
  test(`tenants: listed and read within the token's scope (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const all = await svc.call("GET", "/v1/tenants", { token: svc.admin });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(
      all.json.items.map((x: { id: string }) => x.id),
      ["hyundai", "kisti", "lg", "samsung", "snu", "startups"],
    );
    const member = await svc.token("member", "hyundai");
    const mine = await svc.call("GET", "/v1/tenants", { token: member });
    assert.deepEqual(
      mine.json.items.map((x: { id: string }) => x.id),
      ["hyundai"],
    );
    const other = await svc.call("GET", "/v1/tenants/samsung", { token: member });
    assert.equal(other.status, 404);
    assert.equal(other.json.error.code, "GJ_ERR_NOT_FOUND");
    const none = await svc.call("GET", "/v1/tenants/nobody", { token: svc.admin });
    assert.equal(none.status, 404);

    // One running 8-device job and one waiting job in hyundai/llm.
    const big = { queue: "hyundai/llm", devices: 8, deviceTypes: [H100], duration: 600 };
    await svc.call("POST", "/v1/jobs", { token: svc.admin, body: big });
    await svc.ctx.loop.tickNow();
    // 16 H100 nodes × 8; hyundai/llm may use 8 guaranteed + 16 borrowed = 24, so a 4 × 8 gang waits
    await svc.call("POST", "/v1/jobs", { token: svc.admin, body: { ...big, members: 4 } });
    const h = await svc.call("GET", "/v1/tenants/hyundai", { token: member });
    assert.equal(h.status, 200, h.text);
    assert.equal(h.json.displayName, "Hyundai Motor Group");
    assert.equal(h.json.usage[H100], 8);
    assert.equal(h.json.pending, 1);
    const llm = h.json.queues.find((q: { path: string }) => q.path === "hyundai/llm");
    assert.deepEqual(llm.types[H100], {
      guaranteed: 8,
      borrowLimit: 16,
      lendLimit: null,
      used: 8,
      borrowed: 0,
    });
    assert.deepEqual([llm.leaf, llm.pending, llm.running], [true, 1, 1]);
    assert.ok(llm.oldestWaitSeconds >= 0);
    const root = h.json.queues.find((q: { path: string }) => q.path === "hyundai");
    assert.deepEqual([root.leaf, root.weight, root.types[H100].used], [false, 3, 8]);
    // hyundai/robotics is implied by hyundai/robotics/sim
    const implied = h.json.queues.find((q: { path: string }) => q.path === "hyundai/robotics");
    assert.deepEqual([implied.stored, implied.types[VR].guaranteed], [false, 16]);
  });

  test(`queues: scoped listing (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const all = await svc.call("GET", "/v1/queues", { token: svc.admin });
    assert.equal(all.status, 200, all.text);
    // 16 demo queues, plus hyundai/robotics implied by hyundai/robotics/sim
    assert.equal(all.json.items.length, 17);
    const viewer = await svc.token("viewer", "kisti");
    const mine = await svc.call("GET", "/v1/queues", { token: viewer });
    assert.deepEqual(
      mine.json.items.map((q: { path: string }) => q.path),
      ["kisti", "kisti/climate"],
    );
    const other = await svc.call("GET", "/v1/queues?tenant=lg", { token: viewer });
    assert.equal(other.status, 404);
  });

  test(`create a tenant and its queues; change and delete them; audited (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const tenant = { id: "acme", displayName: "Acme Robotics", program: "startup" };
    const created = await svc.call("POST", "/v1/tenants", { token: svc.admin, body: tenant });
    assert.equal(created.status, 201, created.text);
    const again = await svc.call("POST", "/v1/tenants", { token: svc.admin, body: tenant });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "GJ_ERR_CONFLICT");
    const noProgram = await svc.call("POST", "/v1/tenants", {
      token: svc.admin,
      body: { ...tenant, id: "acme2", program: "nope" },
    });
    assert.deepEqual([noProgram.status, noProgram.json.error.path], [404, "body.program"]);

    // The fleet has 288 VR; the demo guarantees 272 of them, so 16 are left to give.
    const put = await svc.call("PUT", "/v1/queues/acme%2Fsim", {
      token: svc.admin,
      body: { weight: 2, quota: { [VR]: { guaranteed: 8, borrowLimit: 8 } } },
    });
    assert.equal(put.status, 201, put.text);
    assert.deepEqual(
      [put.json.path, put.json.tenant, put.json.weight, put.json.types[VR].guaranteed],
      ["acme/sim", "acme", 2, 8],
    );
    const job = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: { queue: "acme/sim", devices: 1, duration: 60 },
    });
    assert.equal(job.status, 201, job.text);
    // Only the weight changes; the quota stays.
    const upd = await svc.call("PUT", "/v1/queues/acme%2Fsim", {
      token: svc.admin,
      body: { weight: 5 },
    });
    assert.equal(upd.status, 200, upd.text);
    assert.deepEqual([upd.json.weight, upd.json.quota[VR].guaranteed], [5, 8]);

    const busy = await svc.call("DELETE", "/v1/queues/acme%2Fsim", { token: svc.admin });
    assert.equal(busy.status, 409, "a queue with a pending job stays");
    assert.equal(busy.json.error.code, "GJ_ERR_CONFLICT");
    // A leaf with jobs cannot become a parent either.
    const child = await svc.call("PUT", "/v1/queues/acme%2Fsim%2Fa", {
      token: svc.admin,
      body: {},
    });
    assert.equal(child.status, 409, child.text);
    await svc.call("POST", `/v1/jobs/${job.json.id}/cancel`, { token: svc.admin });
    // A submit kicks the loop, so the job may have started: its stop completes next tick.
    await svc.ctx.loop.tickNow();
    const parent = await svc.call("PUT", "/v1/queues/acme", { token: svc.admin, body: {} });
    assert.equal(parent.status, 201);
    const withChild = await svc.call("DELETE", "/v1/queues/acme", { token: svc.admin });
    assert.equal(withChild.status, 409, "a queue with child queues stays");
    const del = await svc.call("DELETE", "/v1/queues/acme%2Fsim", { token: svc.admin });
    assert.equal(del.status, 204, del.text);
    const gone = await svc.call("DELETE", "/v1/queues/acme%2Fsim", { token: svc.admin });
    assert.equal(gone.status, 404);

    const audit = await svc.call("GET", "/v1/audit?tenant=acme", { token: svc.admin });
    const rows = audit.json.items
      .filter((a: { action: string }) => a.action !== "job.submit" && a.action !== "job.cancel")
      .map((a: { action: string; target: string; before: unknown; after: unknown }) => [
        a.action,
        a.target,
        a.before,
        a.after,
      ]);
    const quota = { [VR]: { guaranteed: 8, borrowLimit: 8 } };
    assert.deepEqual(rows.reverse(), [
      ["tenant.create", "tenant/acme", null, { displayName: "Acme Robotics", program: "startup" }],
      ["queue.create", "queue/acme/sim", null, { weight: 2, quota }],
      ["queue.update", "queue/acme/sim", { weight: 2, quota }, { weight: 5, quota }],
      ["queue.create", "queue/acme", null, { weight: 1, quota: {} }],
      ["queue.delete", "queue/acme/sim", { weight: 5, quota }, null],
    ]);
  });

  test(`a bad quota is a coded 400 naming the field; roles are refused (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const cases: [string, unknown, number, string, string][] = [
      // children of hyundai (80 VR): robotics/sim 16 + llm 64 = 80, so 65 breaks the parent
      [
        "hyundai%2Fllm",
        { quota: { [VR]: { guaranteed: 65 } } },
        400,
        "GJ_ERR_TENANCY_INVALID",
        `body.quota.${VR}`,
      ],
      // ... and the parent may not drop below its children's 80
      [
        "hyundai",
        { quota: { [VR]: { guaranteed: 70 } } },
        400,
        "GJ_ERR_TENANCY_INVALID",
        `body.quota.${VR}`,
      ],
      [
        "hyundai%2Fllm",
        { quota: { "tpu-v9": { guaranteed: 1 } } },
        400,
        "GJ_ERR_TENANCY_INVALID",
        "body.quota.tpu-v9",
      ],
      [
        "hyundai%2Fllm",
        { quota: { [VR]: { guaranteed: -1 } } },
        400,
        "GJ_ERR_REQUEST_INVALID",
        "body.quota",
      ],
      ["hyundai%2Fllm", { weight: 0 }, 400, "GJ_ERR_REQUEST_INVALID", "body.weight"],
      ["Bad%20Path", {}, 400, "GJ_ERR_REQUEST_INVALID", "params.path"],
      ["nobody%2Fq", {}, 404, "GJ_ERR_NOT_FOUND", "path"],
    ];
    for (const [path, body, status, code, where] of cases) {
      const res = await svc.call("PUT", `/v1/queues/${path}`, { token: svc.admin, body });
      assert.equal(res.status, status, `${path} ${JSON.stringify(body)} → ${res.text}`);
      assert.equal(res.json.error.code, code);
      assert.ok(res.json.error.path?.startsWith(where), `${res.json.error.path} vs ${where}`);
    }
    const parentMsg = await svc.call("PUT", "/v1/queues/hyundai%2Fllm", {
      token: svc.admin,
      body: { quota: { [VR]: { guaranteed: 65 } } },
    });
    assert.match(parentMsg.json.error.message, /queue "hyundai": children of "hyundai"/);

    const tenantAdmin = await svc.token("tenant-admin", "hyundai");
    const refusals: [string, string, string, unknown, number][] = [
      [tenantAdmin, "PUT", "/v1/queues/hyundai%2Fllm", { weight: 2 }, 403],
      [tenantAdmin, "PUT", "/v1/queues/samsung%2Fserving", { weight: 2 }, 404],
      [tenantAdmin, "DELETE", "/v1/queues/hyundai%2Fllm", undefined, 403],
      [tenantAdmin, "POST", "/v1/tenants", { id: "x", displayName: "X" }, 403],
      [await svc.token("member", "lg"), "DELETE", "/v1/queues/lg%2Fexaone", undefined, 403],
    ];
    for (const [token, method, path, body, status] of refusals) {
      const res = await svc.call(method, path, { token, body });
      assert.equal(res.status, status, `${method} ${path} → ${res.text}`);
    }
    const unchanged = await svc.call("GET", "/v1/queues?tenant=hyundai", { token: svc.admin });
    const llm = unchanged.json.items.find((q: { path: string }) => q.path === "hyundai/llm");
    assert.deepEqual([llm.weight, llm.quota[VR].guaranteed], [1, 64]);
  });
}
