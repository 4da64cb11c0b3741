// API tokens through the API on every store backend: who may mint which role for which
// tenant, the secret shown once and never listed or audited, and revocation taking
// effect at once (401) with an audit record.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backends, testService } from "../support/service.ts";

for (const backend of backends()) {
  test(`an admin mints a token that works, shown once; revoked, it gets 401 (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const res = await svc.call("POST", "/v1/tokens", {
      token: svc.admin,
      body: { name: "ci-bot", role: "member", tenant: "lg" },
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.json.token, /^gj_[0-9a-f]{12}_/);
    assert.deepEqual(
      [res.json.name, res.json.role, res.json.tenant, res.json.createdBy, res.json.revokedAt],
      ["ci-bot", "member", "lg", "admin", null],
    );
    const token = res.json.token as string;
    const secret = token.split("_").slice(2).join("_");
    const jobs = await svc.call("GET", "/v1/jobs", { token });
    assert.equal(jobs.status, 200, "the new token works");

    const list = await svc.call("GET", "/v1/tokens", { token: svc.admin });
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((x: { id: string }) => x.id === res.json.id));
    assert.ok(!list.text.includes(secret), "no secret in listings");
    assert.ok(!("token" in list.json.items[0]));

    const del = await svc.call("DELETE", `/v1/tokens/${res.json.id}`, { token: svc.admin });
    assert.equal(del.status, 200, del.text);
    assert.notEqual(del.json.revokedAt, null);
    const after = await svc.call("GET", "/v1/jobs", { token });
    assert.equal(after.status, 401);
    assert.equal(after.json.error.code, "GJ_ERR_UNAUTHENTICATED");
    const twice = await svc.call("DELETE", `/v1/tokens/${res.json.id}`, { token: svc.admin });
    assert.equal(twice.status, 409);
    const active = await svc.call("GET", "/v1/tokens", { token: svc.admin });
    assert.ok(!active.json.items.some((x: { id: string }) => x.id === res.json.id));
    const withRevoked = await svc.call("GET", "/v1/tokens?revoked=true", { token: svc.admin });
    assert.ok(withRevoked.json.items.some((x: { id: string }) => x.id === res.json.id));

    const audit = await svc.call("GET", "/v1/audit?action=token.*", { token: svc.admin });
    assert.ok(!audit.text.includes(secret), "no secret in the audit log");
    assert.deepEqual(
      audit.json.items.map((a: { action: string; target: string; tenant: string }) => [
        a.action,
        a.target,
        a.tenant,
      ]),
      [
        ["token.revoke", `token/${res.json.id}`, "lg"],
        ["token.create", `token/${res.json.id}`, "lg"],
      ],
    );
    assert.deepEqual(audit.json.items[1].after, { name: "ci-bot", role: "member", tenant: "lg" });
    assert.equal(audit.json.items[0].before.revokedAt, null);
    assert.notEqual(audit.json.items[0].after.revokedAt, null);
  });

  test(`a tenant-admin manages its own tenant's tokens only (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const ta = await svc.token("tenant-admin", "snu");
    const cases: [unknown, number, string][] = [
      [{ name: "m", role: "member", tenant: "snu" }, 201, ""],
      [{ name: "v", role: "viewer", tenant: "snu" }, 201, ""],
      [{ name: "a", role: "tenant-admin", tenant: "snu" }, 201, ""],
      [{ name: "x", role: "admin", tenant: null }, 403, "GJ_ERR_FORBIDDEN"],
      [{ name: "x", role: "program-admin", tenant: null }, 403, "GJ_ERR_FORBIDDEN"],
      [{ name: "x", role: "viewer", tenant: null }, 403, "GJ_ERR_FORBIDDEN"],
      [{ name: "x", role: "member", tenant: "lg" }, 404, "GJ_ERR_NOT_FOUND"],
      [{ name: "x", role: "root", tenant: "snu" }, 400, "GJ_ERR_REQUEST_INVALID"],
    ];
    for (const [body, status, code] of cases) {
      const res = await svc.call("POST", "/v1/tokens", { token: ta, body });
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${res.text}`);
      if (code !== "") assert.equal(res.json.error.code, code);
    }
    const mine = await svc.call("GET", "/v1/tokens", { token: ta });
    assert.equal(mine.status, 200);
    // its own token plus the three it made; never the admin's or other tenants'
    assert.equal(mine.json.items.length, 4);
    assert.ok(mine.json.items.every((x: { tenant: string }) => x.tenant === "snu"));
    const otherList = await svc.call("GET", "/v1/tokens?tenant=lg", { token: ta });
    assert.equal(otherList.status, 404);

    const all = await svc.call("GET", "/v1/tokens", { token: svc.admin });
    const adminId = all.json.items.find((x: { role: string }) => x.role === "admin").id;
    const lgMember = await svc.call("POST", "/v1/tokens", {
      token: svc.admin,
      body: { name: "lg-m", role: "member", tenant: "lg" },
    });
    for (const id of [adminId, lgMember.json.id, "000000000000"]) {
      const res = await svc.call("DELETE", `/v1/tokens/${id}`, { token: ta });
      assert.equal(res.status, 404, `revoke ${id}`);
    }
    const snuMember = mine.json.items.find((x: { role: string }) => x.role === "member");
    const ok = await svc.call("DELETE", `/v1/tokens/${snuMember.id}`, { token: ta });
    assert.equal(ok.status, 200, ok.text);
  });

  test(`members, viewers and program-admins may not manage tokens; bad bodies (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    for (const [role, tenant] of [
      ["member", "lg"],
      ["viewer", "lg"],
      ["program-admin", null],
    ] as const) {
      const token = await svc.token(role, tenant);
      const post = await svc.call("POST", "/v1/tokens", {
        token,
        body: { name: "x", role: "viewer", tenant: "lg" },
      });
      assert.equal(post.status, 403, `${role} POST`);
      const list = await svc.call("GET", "/v1/tokens", { token });
      assert.equal(list.status, 403, `${role} GET`);
    }
    const cases: [unknown, number, string][] = [
      [{ name: "x", role: "admin", tenant: "lg" }, 400, "body.tenant"],
      [{ name: "x", role: "member", tenant: null }, 400, "body.tenant"],
      [{ name: "x", role: "member", tenant: "nobody" }, 404, "body.tenant"],
      [{ name: "", role: "member", tenant: "lg" }, 400, "body.name"],
      [{ name: "x", role: "member" }, 400, "body"],
    ];
    for (const [body, status, path] of cases) {
      const res = await svc.call("POST", "/v1/tokens", { token: svc.admin, body });
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${res.text}`);
      assert.ok(res.json.error.path?.startsWith(path), `${res.json.error.path} vs ${path}`);
    }
    const viewer = await svc.call("POST", "/v1/tokens", {
      token: svc.admin,
      body: { name: "fleet-viewer", role: "viewer", tenant: null },
    });
    assert.equal(viewer.status, 201, "a fleet-wide viewer is allowed");
    const bad = await svc.call("GET", "/v1/jobs", { token: "gj_000000000000_nope" });
    assert.equal(bad.status, 401);
  });
}
