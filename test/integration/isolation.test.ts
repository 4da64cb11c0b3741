// The tenant-isolation matrix: every route × every role × own vs other tenant, with
// the status each must get. Tenant-scoped tokens (tenant-admin, member, viewer of
// "snu") must never see or touch "samsung": another tenant's resources answer 404, as
// if they did not exist; a role without the right answers 403; no token answers 401.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ROLES, type Role } from "../../src/service/auth/roles.ts";
import { expected, Fixture, SCOPED, type Scope, TENANT } from "../support/isolation-cells.ts";
import { CELLS } from "../support/isolation-routes.ts";
import { backends, testService } from "../support/service.ts";

for (const backend of backends()) {
  test(`tenant isolation: every route × role × own/other tenant (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const f = new Fixture(svc);
    const tokens = new Map<Role, string>();
    for (const role of ROLES)
      tokens.set(role, await svc.token(role, SCOPED.includes(role) ? TENANT.own : null));
    const wrong: string[] = [];
    let checked = 0;
    for (const cell of CELLS) {
      const scopes: Scope[] = cell.perTenant ? ["own", "other"] : ["fleet"];
      for (const scope of scopes) {
        const tenant = scope === "other" ? TENANT.other : TENANT.own;
        for (const role of ROLES) {
          const target = await cell.prepare(f, tenant);
          const res = await svc.call(cell.method, target.path, {
            token: tokens.get(role),
            body: target.body,
          });
          const want = expected(role, cell, scope);
          checked++;
          if (res.status !== want)
            wrong.push(
              `${cell.route} [${scope}] as ${role}: got ${res.status}, want ${want} (${res.text.slice(0, 160)})`,
            );
          else if (res.status >= 400)
            assert.match(
              res.json?.error?.code ?? "",
              /^GJ_ERR_/,
              `${cell.route} as ${role}: coded error`,
            );
        }
        // No token, and a malformed token: 401 everywhere.
        const target = await cell.prepare(f, tenant);
        for (const token of [undefined, "gj_000000000000_nope"]) {
          const res = await svc.call(cell.method, target.path, { token, body: target.body });
          checked++;
          if (res.status !== 401)
            wrong.push(`${cell.route} [${scope}] with token ${token}: got ${res.status}, want 401`);
        }
      }
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${checked} cells wrong`);
    assert.ok(checked > 300, `checked ${checked} cells`);
  });
}
