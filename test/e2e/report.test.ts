// The simulation reports in a real browser: a trace report (two policies on the golden
// fleet and the first 200 openb pods) and a multi-tenant scenario report (the demo AI
// factory, half a day at twice its load), each written to test-output/e2e/ and
// opened from a file:// URL in Debian's chromium. Every chart must have rendered (an
// SVG with drawn shapes), with no console errors and no request leaving the file.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { runScenarioSimulation } from "../../src/cli/commands/simulate-scenario.ts";
import type { Fleet } from "../../src/core/model/fleet.ts";
import type { Job } from "../../src/core/model/job.ts";
import { renderSimReport } from "../../src/sim/report/index.ts";
import { simulate } from "../../src/sim/world.ts";
import { browserSkip, launchChromium, SHOTS, watchErrors } from "./browser.ts";

const skip = browserSkip();
const GOLDEN = join(import.meta.dirname, "../golden");

function traceReport(): string {
  const fleet = JSON.parse(readFileSync(join(GOLDEN, "fleet.json"), "utf8")) as Fleet;
  const tenants = ["lab-a", "lab-b", "startup"];
  const jobs = (JSON.parse(readFileSync(join(GOLDEN, "openb-200.json"), "utf8")) as Job[]).map(
    (j, i) => ({
      ...j,
      tenant: tenants[i % tenants.length],
    }),
  );
  const results = (["bestfit", "fgd"] as const).map((policy) =>
    simulate({ fleet, jobs, policy, seed: 7, traceName: "openb_pod_list_default[0:200]" }),
  );
  return renderSimReport(results, {
    title: "trace report: bestfit vs fgd",
    subtitle: "golden fleet",
  });
}

/** What the page shows: per figure, whether its chart drew anything. */
async function charts(browser: Browser, file: string, shotName: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  const requests: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
  const figures = await page.$$eval("svg", (svgs) =>
    svgs
      .filter((s) => s.getBoundingClientRect().width > 100) // charts, not swatches
      .map((s) => ({
        label:
          s.closest("figure")?.getAttribute("aria-label") ??
          s.closest("section")?.querySelector("h2")?.textContent ??
          "?",
        shapes: s.querySelectorAll("path, rect, line, polyline, circle, text").length,
        width: s.getBoundingClientRect().width,
        height: s.getBoundingClientRect().height,
      })),
  );
  const headings = await page.$$eval("h2", (hs) => hs.map((h) => h.textContent ?? ""));
  const winners = await page.locator(".win").count();
  await page.screenshot({ path: join(SHOTS, `${shotName}.png`), fullPage: true });
  await page.close();
  return { figures, headings, winners, errors, requests };
}

test("simulation reports render every chart in chromium from file://", {
  skip,
  timeout: 180_000,
}, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const trace = join(SHOTS, "trace-report.html");
  writeFileSync(trace, traceReport());
  const scenarioDir = join(SHOTS, "scenario");
  await runScenarioSimulation(
    {
      scenario: "demo-ai-factory",
      seed: 3,
      days: "0.5",
      scale: "2",
      policy: "fifo,gongjang-default",
      out: scenarioDir,
    },
    () => {},
  );
  const browser = await launchChromium();
  t.after(() => browser.close());

  await t.test("trace report", async () => {
    const r = await charts(browser, trace, "report-trace");
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.requests, []);
    for (const h of [
      "Summary",
      "Allocation over time",
      "Fragmentation over time",
      "Job completion time CDF",
    ])
      assert.ok(
        r.headings.some((x) => x.startsWith(h)),
        `${h} in ${r.headings.join(" | ")}`,
      );
    assert.ok(
      r.headings.some((x) => x.includes("Jain")),
      "Jain's index",
    );
    assert.ok(r.figures.length >= 5, `${r.figures.length} charts`);
    for (const f of r.figures)
      assert.ok(f.shapes > 10 && f.height > 100, `empty chart: ${JSON.stringify(f)}`);
    assert.ok(r.winners > 0, "the winner per metric is highlighted");
  });

  await t.test("scenario (multi-tenant) report", async () => {
    const r = await charts(browser, join(scenarioDir, "report.html"), "report-scenario");
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.requests, []);
    for (const h of [
      "Summary",
      "Wait by tenant",
      "Share vs guarantee over time",
      "Allocation over time",
      "Fragmentation over time",
      "Job completion time CDF",
    ])
      assert.ok(r.headings.includes(h), `${h} in ${r.headings.join(" | ")}`);
    assert.ok(
      r.headings.some((x) => x.includes("Jain")),
      "Jain's index",
    );
    for (const caption of ["Fragmentation % over time per policy", "JCT CDF per policy"])
      assert.ok(
        r.figures.some((f) => f.label === caption),
        `${caption} in ${r.figures.map((f) => f.label).join(" | ")}`,
      );
    assert.ok(r.figures.length >= 6, `${r.figures.length} charts`);
    for (const f of r.figures)
      assert.ok(f.shapes > 10 && f.height > 100, `empty chart: ${JSON.stringify(f)}`);
    assert.ok(r.winners > 0, "the winner per metric is highlighted");
  });
});
