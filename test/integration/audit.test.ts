// The audit log through the API on every store backend: every mutation of fleet,
// tenancy and tokens leaves a record with before and after; filters and cursor pages;
// who may read which records.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backends, testService } from "../support/service.ts";

const T0 = Date.parse("2026-12-01T00:00:00Z");
const HOUR = 3_600_000;

for (const backend of backends()) {
  test(`every mutation is audited with who, what, when, before and after (${backend})`, async (t) => {
    let now = T0;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const ta = await svc.token("tenant-admin", "lg", "lg-admin");
    // One mutation per hour, each by the given token.
    const steps: [string, string, string, unknown, string][] = [
      [svc.admin, "POST", "/v1/tenants", { id: "acme", displayName: "Acme" }, "tenant.create"],
      [svc.admin, "PUT", "/v1/queues/acme", { weight: 2 }, "queue.create"],
      [svc.admin, "PUT", "/v1/queues/acme", { weight: 3 }, "queue.update"],
      [svc.admin, "DELETE", "/v1/queues/acme", undefined, "queue.delete"],
      [svc.admin, "POST", "/v1/fleet/nodes/atom-00/cordon", {}, "node.cordon"],
      [svc.admin, "POST", "/v1/fleet/nodes/atom-00/drain", {}, "node.drain"],
      [svc.admin, "POST", "/v1/fleet/nodes/atom-00/uncordon", {}, "node.uncordon"],
      [ta, "POST", "/v1/tokens", { name: "m", role: "member", tenant: "lg" }, "token.create"],
    ];
    for (const [token, method, path, body] of steps) {
      now += HOUR;
      const res = await svc.call(method, path, { token, body });
      assert.ok(res.status < 300, `${method} ${path} → ${res.text}`);
    }
    const all = await svc.call("GET", "/v1/audit?limit=500", { token: svc.admin });
    assert.equal(all.status, 200, all.text);
    const items = [...all.json.items].reverse();
    assert.deepEqual(
      items.map((a: { action: string }) => a.action),
      steps.map((s) => s[4]),
    );
    items.forEach((a: Record<string, unknown>, i: number) => {
      assert.equal(a.at, new Date(T0 + (i + 1) * HOUR).toISOString(), `${a.action} at`);
      assert.equal(a.actor, i === steps.length - 1 ? "lg-admin" : "admin");
      assert.ok("before" in a && "after" in a, `${a.action} has before and after`);
      assert.ok(a.before !== null || a.after !== null, `${a.action} changed something`);
    });

    // Filters: time window [from, to), actor, exact action, prefix, tenant.
    const filters: [string, string[]][] = [
      [
        `from=${new Date(T0 + 2 * HOUR).toISOString()}&to=${new Date(T0 + 4 * HOUR).toISOString()}`,
        ["queue.update", "queue.create"],
      ],
      ["actor=lg-admin", ["token.create"]],
      ["action=node.drain", ["node.drain"]],
      ["action=queue.*", ["queue.delete", "queue.update", "queue.create"]],
      ["tenant=acme", ["queue.delete", "queue.update", "queue.create", "tenant.create"]],
    ];
    for (const [q, actions] of filters) {
      const res = await svc.call("GET", `/v1/audit?${q}`, { token: svc.admin });
      assert.equal(res.status, 200, `${q} → ${res.text}`);
      assert.deepEqual(
        res.json.items.map((a: { action: string }) => a.action),
        actions,
        q,
      );
    }

    // Cursor pages of 3 walk the same records, newest first, without repeats.
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const res = await svc.call("GET", `/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`, {
        token: svc.admin,
      });
      seen.push(...res.json.items.map((a: { id: number }) => a.id));
      cursor = res.json.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(
      seen,
      all.json.items.map((a: { id: number }) => a.id),
    );
  });

  test(`who reads the audit log: admins all, tenant-admins their tenant, others not (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    await svc.call("POST", "/v1/fleet/nodes/cpu-00/cordon", { token: svc.admin });
    await svc.call("POST", "/v1/tokens", {
      token: svc.admin,
      body: { name: "a", role: "member", tenant: "lg" },
    });
    await svc.call("POST", "/v1/tokens", {
      token: svc.admin,
      body: { name: "b", role: "member", tenant: "snu" },
    });
    const programAdmin = await svc.token("program-admin", null);
    const pa = await svc.call("GET", "/v1/audit", { token: programAdmin });
    assert.equal(pa.status, 200);
    assert.equal(pa.json.items.length, 3);

    const lgAdmin = await svc.token("tenant-admin", "lg");
    const lg = await svc.call("GET", "/v1/audit", { token: lgAdmin });
    assert.equal(lg.status, 200);
    assert.deepEqual(
      lg.json.items.map((a: { tenant: string; action: string }) => [a.tenant, a.action]),
      [["lg", "token.create"]],
      "only its tenant's records; not the fleet-wide cordon",
    );
    const snu = await svc.call("GET", "/v1/audit?tenant=snu", { token: lgAdmin });
    assert.equal(snu.status, 404);
    assert.equal(snu.json.error.code, "GJ_ERR_NOT_FOUND");

    for (const [role, tenant] of [
      ["member", "lg"],
      ["viewer", "lg"],
      ["viewer", null],
    ] as const) {
      const res = await svc.call("GET", "/v1/audit", { token: await svc.token(role, tenant) });
      assert.equal(res.status, 403, `${role}@${tenant}`);
      assert.equal(res.json.error.code, "GJ_ERR_FORBIDDEN");
    }
    const bad = await svc.call("GET", "/v1/audit?from=yesterday", { token: svc.admin });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, "GJ_ERR_REQUEST_INVALID");
    const none = await svc.call("GET", "/v1/audit");
    assert.equal(none.status, 401);
  });
}
