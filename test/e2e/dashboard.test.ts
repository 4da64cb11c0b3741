// The dashboard end to end: a real service on a loopback port (SQLite, the demo fleet
// and tenancy, the sim executor), the built web/dist, and Debian's chromium through
// playwright-core. One browser, steps in order: log in, see the fleet map populated,
// submit a job from the form, watch it go pending then running (the test ticks the
// scheduler), read its explain text, cancel it; a viewer sees no cancel button and the
// API refuses the viewer anyway; switch ko/en. Screenshots go to test-output/e2e/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { type TestService, testService } from "../support/service.ts";
import { browserSkip, buildWebOnce, launchChromium, shot, watchErrors } from "./browser.ts";

const skip = browserSkip();
const VIEWPORT = { width: 1400, height: 900 };

/** Background load so that the map has busy, fractional and cordoned nodes. */
async function seedLoad(svc: TestService): Promise<void> {
  const jobs = [
    {
      queue: "hyundai/llm",
      name: "llm-pretrain",
      members: 2,
      devices: 8,
      deviceTypes: ["nvidia-vr-nvl144"],
    },
    {
      queue: "samsung/foundation",
      name: "foundation-7b",
      members: 2,
      devices: 8,
      deviceTypes: ["nvidia-h100-80g"],
    },
    {
      queue: "lg/exaone",
      name: "exaone-serve",
      devices: 4,
      deviceTypes: ["rebellions-atom"],
      class: "inference",
    },
    { queue: "kisti/climate", name: "climate-ens", devices: 2, deviceTypes: ["furiosa-rngd"] },
    ...[0, 1, 2].map((i) => ({
      queue: "startups/alpha",
      name: `notebook-${i}`,
      devices: 1,
      deviceShare: 0.25,
      deviceTypes: ["nvidia-h100-80g"],
      class: "interactive",
    })),
  ];
  for (const j of jobs) {
    const res = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: { duration: 36_000, ...j },
    });
    assert.equal(res.status, 201, res.text);
  }
  const cordon = await svc.call("POST", "/v1/fleet/nodes/h100-15/cordon", {
    token: svc.admin,
    body: { reason: "firmware update" },
  });
  assert.equal(cordon.status, 200, cordon.text);
  await svc.ctx.loop.tickNow();
}

async function login(
  page: Page,
  url: string,
  token: string,
  path = "/fleet?lang=en",
): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.waitForURL(/\/login/);
  await page.fill("input[name=token]", token);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("header nav");
}

/** Waits until the job page shows `states` (it polls every few seconds). */
async function waitForState(
  page: Page,
  states: readonly string[],
  svc?: TestService,
): Promise<string> {
  const until = Date.now() + 20_000;
  for (;;) {
    const state = await page.getAttribute("[data-state]", "data-state").catch(() => null);
    if (state !== null && states.includes(state)) return state;
    if (Date.now() > until) throw new Error(`job page stayed ${state}, wanted ${states.join("|")}`);
    if (svc !== undefined) await svc.ctx.loop.tickNow();
    await page.waitForTimeout(500);
  }
}

test("dashboard end to end in chromium", { skip, timeout: 240_000 }, async (t) => {
  const t0 = Date.now();
  await buildWebOnce();
  const reports = mkdtempSync(join(tmpdir(), "gj-reports-"));
  mkdirSync(join(reports, "demo"));
  writeFileSync(
    join(reports, "demo", "report.html"),
    "<!doctype html><title>demo: fgd vs best-fit</title><h1>demo report</h1><svg width='10' height='10'><rect width='10' height='10'/></svg>",
  );
  process.env.GONGJANG_REPORTS_DIR = reports;
  const svc = await testService("sqlite");
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await svc.close();
    rmSync(reports, { recursive: true, force: true });
  });
  await seedLoad(svc);
  browser = await launchChromium();
  const ctx = await browser.newContext({ viewport: VIEWPORT, locale: "en-US" });
  const page = await ctx.newPage();
  page.on("dialog", (d) => void d.accept());
  const errors = watchErrors(page);
  let jobId = 0;

  await t.test("a visitor without a token lands on the login page", async () => {
    await page.goto(`${svc.url}/fleet?lang=en`);
    await page.waitForURL(/\/login\?next=/);
    assert.match((await page.textContent("form.login h2")) ?? "", /Sign in/);
    await shot(page, "01-login");
  });

  await t.test("a wrong token is refused", async () => {
    await page.fill("input[name=token]", "gj_000000000000_nope");
    await page.click("form.login button[type=submit]");
    await page.waitForSelector("form.login .error");
    errors.length = 0; // the browser logs the refused request as an error
  });

  await t.test("log in and see the fleet map populated", async () => {
    await page.fill("input[name=token]", svc.admin);
    await page.click("form.login button[type=submit]");
    await page.waitForURL(/\/fleet/);
    await page.waitForSelector("[data-node]");
    const nodes = await page.locator("[data-node]").count();
    assert.equal(nodes, 80, "the demo fleet has 80 nodes");
    for (const cat of ["busy", "fractional", "cordoned", "free"])
      assert.ok((await page.locator(`[data-category=${cat}]`).count()) > 0, `a ${cat} node`);
    await page.hover("[data-node='vr1-00']");
    await page.waitForSelector("[data-detail='vr1-00']");
    await shot(page, "02-fleet");
  });

  await t.test("queues, usage and simulations render", async () => {
    await page.click("[data-nav=queues]");
    await page.waitForSelector("[data-queue='hyundai/llm']");
    await page.waitForSelector(".chart svg");
    await shot(page, "03-queues");
    await page.click("[data-nav=usage]");
    await page.waitForSelector(".usage-table tr.total");
    await shot(page, "04-usage");
    const download = page.waitForEvent("download");
    await page.click("[data-action=csv]");
    const csv = await (await download).path();
    assert.ok(csv);
    await page.click("[data-nav=simulations]");
    await page.click("[data-report='demo/report.html'] a");
    await page.waitForURL(/\/simulations\/demo\/report\.html/);
    const frame = page.frameLocator("iframe.report-frame");
    assert.equal(await frame.locator("h1").textContent(), "demo report");
    await shot(page, "05-simulation");
  });

  await t.test("submit a job from the form; it is pending, then running", async () => {
    // No H100 free: the job waits (and explain says why) until they are uncordoned.
    const h100s = Array.from({ length: 15 }, (_, i) => `h100-${String(i).padStart(2, "0")}`);
    for (const n of h100s)
      await svc.call("POST", `/v1/fleet/nodes/${n}/cordon`, { token: svc.admin, body: {} });
    await page.click("[data-nav=jobs]");
    await page.click("[data-action=open-submit]");
    await page.selectOption("select[name=queue]", "snu/gsai");
    await page.fill("input[name=name]", "e2e-finetune");
    await page.fill("input[name=devices]", "2");
    await page.selectOption("select[name=deviceType]", "nvidia-h100-80g");
    await shot(page, "06-submit");
    await page.click("form.submit-form button[type=submit]");
    await page.waitForURL(/\/jobs\/\d+/);
    jobId = Number(/\/jobs\/(\d+)/.exec(page.url())?.[1]);
    assert.equal(await waitForState(page, ["pending"]), "pending");
    await page.waitForSelector("[data-explain-summary]");
    assert.match((await page.textContent(".explain")) ?? "", /quota|capacity|cycle/);
    await shot(page, "07-job-pending");
    assert.match((await page.textContent(".explain li.blocking")) ?? "", /h100/);
    for (const n of h100s)
      await svc.call("POST", `/v1/fleet/nodes/${n}/uncordon`, { token: svc.admin, body: {} });
    assert.equal(await waitForState(page, ["running"], svc), "running");
    await page.waitForSelector(".node.marked");
    await shot(page, "08-job-running");
  });

  await t.test("the jobs table lists it and filters by state", async () => {
    await page.goto(`${svc.url}/jobs?state=running&lang=en`);
    await page.waitForSelector(`[data-job='${jobId}']`);
    await page.goto(`${svc.url}/jobs?state=pending&lang=en`);
    await page.waitForSelector(".jobs-table");
    assert.equal(await page.locator(`[data-job='${jobId}']`).count(), 0);
    await page.goto(`${svc.url}/jobs?lang=en`);
    await page.waitForSelector(`[data-job='${jobId}']`);
    await shot(page, "09-jobs");
  });

  await t.test("a viewer sees no cancel button, and the API refuses the viewer", async () => {
    const viewer = await svc.token("viewer", "snu");
    const vctx = await browser!.newContext({ viewport: VIEWPORT, locale: "en-US" });
    const vpage = await vctx.newPage();
    const verrors = watchErrors(vpage);
    await login(vpage, svc.url, viewer, `/jobs/${jobId}?lang=en`);
    await vpage.waitForURL(new RegExp(`/jobs/${jobId}`));
    await vpage.waitForSelector("[data-state]");
    assert.equal(await vpage.locator("[data-action=cancel]").count(), 0);
    assert.equal(await vpage.locator("[data-action=open-submit]").count(), 0);
    await shot(vpage, "10-viewer-job");
    const res = await fetch(`${svc.url}/v1/jobs/${jobId}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${viewer}` },
    });
    assert.equal(res.status, 403);
    assert.deepEqual(verrors, []);
    await vctx.close();
  });

  await t.test("cancel it", async () => {
    await page.goto(`${svc.url}/jobs/${jobId}?lang=en`);
    await page.click("[data-action=cancel]");
    await page.waitForSelector(".message");
    assert.equal(await waitForState(page, ["cancelled"], svc), "cancelled");
    assert.equal(await page.locator("[data-action=cancel]").count(), 0);
    await shot(page, "11-job-cancelled");
  });

  await t.test("switch between Korean and English", async () => {
    await page.goto(`${svc.url}/fleet?lang=en`);
    await page.waitForSelector("[data-node]");
    assert.equal(await page.textContent("[data-nav=fleet]"), "Fleet");
    await page.click("header .lang");
    await page.waitForURL(/lang=ko/);
    assert.equal(await page.textContent("[data-nav=fleet]"), "클러스터");
    assert.equal(await page.getAttribute("html", "lang"), "ko");
    await shot(page, "12-fleet-ko");
    await page.click("[data-nav=queues]");
    await page.waitForURL(/\/queues\?lang=ko/);
    await page.waitForSelector("[data-queue]");
    await shot(page, "13-queues-ko");
    await page.click("header .lang");
    await page.waitForURL(/lang=en/);
    assert.equal(await page.textContent("[data-nav=queues]"), "Queues & tenants");
    // Without ?lang the browser's language decides.
    const kctx = await browser!.newContext({ viewport: VIEWPORT, locale: "ko-KR" });
    const kpage = await kctx.newPage();
    await kpage.goto(`${svc.url}/login`);
    assert.equal(await kpage.textContent("form.login h2"), "API 토큰으로 로그인");
    await kctx.close();
  });

  await t.test("a lost session returns to the login page", async () => {
    await page.evaluate(() => sessionStorage.setItem("gongjang.token", "gj_000000000000_revoked"));
    await page.goto(`${svc.url}/usage?lang=en`);
    await page.waitForURL(/\/login\?next=%2Fusage/);
    errors.length = 0; // the refused whoami is logged
  });

  assert.deepEqual(errors, [], "no console errors");
  process.stderr.write(`dashboard e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
});
