// The start-time forecast in the dashboard, end to end: a real service on a loopback port
// (SQLite, the demo fleet and tenancy, the sim executor), the built web/dist and Debian's
// chromium. A pending job's page says "computing…" until a computation has seen the job,
// then the P50 ("in 1 h (HH:MM)"), the P10–P90 range, the reason and what it rests on; a
// job that can never start says so; the jobs table has an ETA column from one batch call.
// The browser runs in Asia/Seoul so that the clock times are checked independently.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { forecasterOf } from "../../src/service/forecast/index.ts";
import { type TestService, testService } from "../support/service.ts";
import { browserSkip, buildWebOnce, launchChromium, shot, watchErrors } from "./browser.ts";

const skip = browserSkip();
const TZ = "Asia/Seoul";
const H100 = "nvidia-h100-80g";

/** "HH:MM" in TZ, as the dashboard writes a time on the same day. */
const hm = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: TZ,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
/** The dashboard's clock: "HH:MM", with "MM-DD " before it on another day. */
const clock = (iso: string) => `(\\d\\d-\\d\\d )?${hm(iso)}`;

async function submit(svc: TestService, name: string, members = 1): Promise<number> {
  const res = await svc.call("POST", "/v1/jobs", {
    token: svc.admin,
    body: { queue: "hyundai/llm", name, members, devices: 8, deviceTypes: [H100], duration: 3600 },
  });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

const text = async (page: Page, sel: string) => ((await page.textContent(sel)) ?? "").trim();

test("job forecast and ETA column in chromium", { skip, timeout: 180_000 }, async (t) => {
  await buildWebOnce();
  const svc = await testService("sqlite");
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await svc.close();
  });
  // hyundai/llm may hold 8 guaranteed + 16 borrowed = 24 H100: three jobs of 8 run and the
  // fourth waits for the first to end, 1 h (no history: each runs its 3,600 s estimate).
  // 4 members × 8 = 32 > 24: "over-quota" can never start.
  const running = await submit(svc, "pre-0");
  for (const i of [1, 2]) await submit(svc, `pre-${i}`);
  const waiting = await submit(svc, "waits");
  const never = await submit(svc, "over-quota", 4);
  await svc.ctx.loop.tickNow();
  const forecastOf = async (id: number) =>
    (await svc.call("GET", `/v1/jobs/${id}/forecast`, { token: svc.admin })).json;

  browser = await launchChromium();
  const ctx = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: "en-US",
    timezoneId: TZ,
  });
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  await t.test("a job no computation has seen yet: computing…", async () => {
    // The forecaster's own timer first looks after 30 s; the page's 202 starts one.
    await page.goto(`${svc.url}/jobs/${waiting}?lang=en`);
    await page.waitForURL(/\/login/);
    await page.fill("input[name=token]", svc.admin);
    await page.click("form.login button[type=submit]");
    await page.waitForSelector("[data-forecast=computing]");
    assert.equal(await text(page, ".forecast h2"), "Start forecast");
    assert.equal(await text(page, ".forecast .hint"), "computing…");
  });

  await t.test("after a computation: P50, range, reason and basis", async () => {
    await forecasterOf(svc.ctx).refresh();
    await page.waitForSelector("[data-forecast=scheduled]", { timeout: 15_000 });
    const f = await forecastOf(waiting);
    assert.equal(f.status, "forecast");
    // P10 = P50 = P90: every run has the first job end after its 3,600 s.
    const at = `in (1 h|59 min) \\(${clock(f.p50)}\\)`;
    assert.match(await text(page, "[data-forecast-p50]"), new RegExp(`^${at}$`));
    assert.match(await text(page, "[data-forecast-range]"), new RegExp(`^${at} – ${at}$`));
    assert.match(
      await text(page, "[data-forecast-reason]"),
      /^head of your queue; waits for 8 free nvidia-h100-80g; Quota: queue hyundai\/llm/,
    );
    assert.equal(await text(page, "[data-forecast-reason]"), f.reason);
    assert.match(
      await text(page, "[data-forecast-basis]"),
      new RegExp(
        `^from 20 Monte Carlo runs, computed ${clock(f.computedAt)}; band as simulated \\(no past forecasts to calibrate on yet\\)$`,
      ),
    );
    await shot(page, "forecast-01-job");
    await page.goto(`${svc.url}/jobs/${waiting}?lang=ko`);
    await page.waitForSelector("[data-forecast=scheduled]");
    assert.equal(await text(page, ".forecast h2"), "시작 시각 예측");
    assert.match(
      await text(page, "[data-forecast-p50]"),
      new RegExp(`^(1시간|59분) 후 \\(${clock(f.p50)}\\)$`),
    );
    assert.match(await text(page, "[data-forecast-basis]"), /^몬테카를로 20회 실행, /);
    await shot(page, "forecast-02-job-ko");
  });

  await t.test("a job that can never start says so, with the reason", async () => {
    await page.goto(`${svc.url}/jobs/${never}?lang=en`);
    await page.waitForSelector("[data-forecast=never]");
    assert.equal(
      await text(page, "[data-forecast-p50]"),
      "Never: it cannot start on this fleet, even an empty one",
    );
    assert.equal(await page.locator("[data-forecast-range]").count(), 0);
    assert.match(
      await text(page, "[data-forecast-reason]"),
      /^never fits, even on the empty fleet: queue hyundai\/llm would use 32 nvidia-h100-80g, over its guarantee \+ borrowing limit of 24/,
    );
    await shot(page, "forecast-03-never");
  });

  await t.test("a running job has no forecast section", async () => {
    await page.goto(`${svc.url}/jobs/${running}?lang=en`);
    await page.waitForSelector("[data-state=running]");
    assert.equal(await page.locator(".forecast").count(), 0);
  });

  await t.test("the jobs table's ETA column", async () => {
    await page.goto(`${svc.url}/jobs?lang=en`);
    await page.waitForSelector(`[data-job='${waiting}'] td.eta`);
    const headers = await page.locator(".jobs-table th").allTextContents();
    assert.ok(headers.includes("ETA"), headers.join("|"));
    assert.match(await text(page, `[data-job='${waiting}'] td.eta`), /^in (1 h|59 min)$/);
    assert.equal(await text(page, `[data-job='${never}'] td.eta`), "never");
    assert.equal(await page.locator(`[data-job='${running}'] td.eta`).count(), 0);
    const col = headers.indexOf("ETA");
    assert.equal(await text(page, `[data-job='${running}'] td >> nth=${col}`), "");
    await shot(page, "forecast-04-jobs");
    await page.goto(`${svc.url}/jobs?lang=ko`);
    await page.waitForSelector(`[data-job='${waiting}'] td.eta`);
    assert.match(await text(page, `[data-job='${waiting}'] td.eta`), /^(1시간|59분) 후$/);
    assert.equal(await text(page, `[data-job='${never}'] td.eta`), "시작 불가");
  });

  assert.deepEqual(errors, [], "no console errors");
});
