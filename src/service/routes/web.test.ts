// The dashboard's routes: views answer index.html, /v1/whoami names the caller, and the
// simulation reports are listed and served read-only, never a file outside the reports
// directory (.., encoded .., absolute paths, symlinks out, non-HTML files).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { testService } from "../../../test/support/service.ts";
import { listReports, reportFile, titleOf, WEB_DIST } from "./web.ts";

function reportsFixture(): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), "gj-web-"));
  const root = join(base, "out");
  mkdirSync(join(root, "demo", "scenario"), { recursive: true });
  writeFileSync(
    join(root, "demo", "report.html"),
    "<!doctype html><title>fgd &amp; best-fit</title>",
  );
  writeFileSync(join(root, "demo", "scenario", "report.html"), "<p>no title</p>");
  writeFileSync(join(root, "demo", "fgd.json"), "{}");
  const outside = join(base, "secret.html");
  writeFileSync(outside, "<title>secret</title>");
  symlinkSync(outside, join(root, "link.html"));
  return { root, outside };
}

test("reportFile resolves only .html files inside the directory", async () => {
  const { root } = reportsFixture();
  assert.ok((await reportFile(root, "demo/report.html")).endsWith(join("demo", "report.html")));
  for (const bad of [
    "../secret.html",
    "demo/../../secret.html",
    "/etc/passwd.html",
    "demo//report.html",
    "./demo/report.html",
    "demo\\report.html",
    "demo/fgd.json",
    "link.html", // a symlink that leaves the directory
    "missing.html",
    "demo",
  ])
    await assert.rejects(reportFile(root, bad), { code: "GJ_ERR_NOT_FOUND" }, bad);
});

test("listReports: HTML files only (no symlinks), titles decoded, a missing directory lists nothing", async () => {
  const { root } = reportsFixture();
  const items = await listReports(root);
  assert.deepEqual(items.map((i) => i.path).sort(), [
    "demo/report.html",
    "demo/scenario/report.html",
  ]);
  assert.equal(items.find((i) => i.path === "demo/report.html")?.title, "fgd & best-fit");
  assert.equal(items.find((i) => i.path === "demo/scenario/report.html")?.title, "report.html");
  assert.deepEqual(await listReports(join(root, "nope")), []);
  assert.equal(titleOf("<title> a &lt;b&gt; </title>"), "a <b>");
});

test("routes: views, whoami, simulations over HTTP", async (t) => {
  const { root } = reportsFixture();
  process.env.GONGJANG_REPORTS_DIR = root;
  const svc = await testService("sqlite");
  t.after(() => svc.close());
  const viewer = await svc.token("viewer", "snu");

  const who = await svc.call("GET", "/v1/whoami", { token: viewer });
  assert.deepEqual(who.json, { name: "viewer@snu", role: "viewer", tenant: "snu" });
  assert.equal((await svc.call("GET", "/v1/whoami")).status, 401);

  const list = await svc.call("GET", "/v1/simulations", { token: viewer });
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 2);
  assert.equal((await svc.call("GET", "/v1/simulations")).status, 401);

  const ok = await svc.call("GET", "/v1/simulations/file/demo/report.html", { token: viewer });
  assert.equal(ok.status, 200);
  assert.match(String(ok.headers["content-type"]), /text\/html/);
  assert.match(ok.text, /fgd &amp; best-fit/);
  for (const bad of [
    "../secret.html",
    "..%2Fsecret.html",
    "demo/%2E%2E/%2E%2E/secret.html",
    "link.html",
    "demo/fgd.json",
  ]) {
    const res = await svc.call("GET", `/v1/simulations/file/${bad}`, { token: svc.admin });
    assert.equal(res.status, 404, bad);
    assert.doesNotMatch(res.text, /<title>secret/);
  }

  const built = existsSync(join(WEB_DIST, "index.html"));
  for (const path of ["/", "/fleet", "/jobs/12", "/simulations/demo/report.html", "/login"]) {
    const res = await svc.call("GET", path);
    assert.equal(res.status, built ? 200 : 503, path);
    assert.match(String(res.headers["content-type"]), /text\/html/);
  }
  // Unknown paths keep the API's coded 404.
  const none = await svc.call("GET", "/nope");
  assert.equal(none.status, 404);
  assert.equal(none.json.error.code, "GJ_ERR_NOT_FOUND");
  rmSync(join(root, ".."), { recursive: true, force: true });
});
