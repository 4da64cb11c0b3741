// Start-time forecasts through the API on the demo fleet and tenancy, on every store
// backend: 202 until a computation has seen the job, then P10/P50/P90 and the reason
// (the background forecaster is refreshed by hand; its runs go to a worker thread),
// the real start once it runs, and the batch form with tenant scoping; the calibration
// book kept in the store across a restart.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadBook } from "../../src/service/forecast/book.ts";
import { Forecaster, forecasterOf } from "../../src/service/forecast/index.ts";
import { writeSetting } from "../../src/store/settings.ts";
import { backends, type TestService, testService } from "../support/service.ts";

const H100 = "nvidia-h100-80g";

async function submit(svc: TestService, queue: string, devices = 8): Promise<number> {
  const res = await svc.call("POST", "/v1/jobs", {
    token: svc.admin,
    body: { queue, devices, deviceTypes: [H100], duration: 3600 },
  });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

for (const backend of backends()) {
  test(`forecast: computing, then a start behind the quota; started; batch (${backend})`, async (t) => {
    const now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    // hyundai/llm may hold 8 guaranteed + 16 borrowed = 24 H100: three jobs of 8 run.
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await submit(svc, "hyundai/llm"));
    await svc.ctx.loop.tickNow();
    const get = (id: number, token = svc.admin) =>
      svc.call("GET", `/v1/jobs/${id}/forecast`, { token });
    const waiting = ids[3];
    const first = await get(waiting);
    assert.equal(first.status, 202, first.text);
    assert.equal(first.json.status, "computing");

    await forecasterOf(svc.ctx).refresh();
    const res = await get(waiting);
    assert.equal(res.status, 200, res.text);
    // No history: a running job's remaining time is its 3,600 s estimate, and the
    // fourth starts when the first of the three ends, in every run: now + 1 h.
    const hour = new Date(now + 3_600_000).toISOString();
    assert.deepEqual(
      { ...res.json, reason: undefined },
      {
        jobId: waiting,
        status: "forecast",
        p10: hour,
        p50: hour,
        p90: hour,
        outcome: "scheduled",
        reason: undefined,
        computedAt: new Date(now).toISOString(),
        runs: 20,
        calibratedOn: 0, // no past forecast has resolved yet
      },
    );
    assert.match(res.json.reason, /^head of your queue; waits for 8 free nvidia-h100-80g; Quota/);
    // Operators see how old the served forecasts are, and what they say.
    const metrics = (await svc.call("GET", "/metrics")).text;
    assert.match(metrics, /^gongjang_forecast_seconds_count [12]$/m, "the 202's and this one");
    assert.match(
      metrics,
      new RegExp(`^gongjang_forecast_computed_timestamp_seconds ${now / 1000}$`, "m"),
    );
    assert.match(metrics, /^gongjang_forecast_jobs\{outcome="scheduled"\} 1$/m);
    assert.match(metrics, /^gongjang_forecast_calibrated_on 0$/m);
    assert.match(metrics, /^gongjang_forecast_failures_total 0$/m);

    const started = await get(ids[0]);
    assert.equal(started.json.status, "started");
    assert.equal(started.json.p50, new Date(now).toISOString());

    // A scoped viewer of another tenant sees none of hyundai's jobs, one by one or in a batch.
    const other = await svc.token("viewer", "snu");
    assert.equal((await get(waiting, other)).status, 404);
    const own = await submit(svc, "snu/gsai", 1);
    await forecasterOf(svc.ctx).refresh();
    const batch = await svc.call("GET", `/v1/forecasts?ids=${waiting},${own},999`, {
      token: other,
    });
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(
      batch.json.items.map((f: { jobId: number }) => f.jobId),
      [own],
    );
    // Nothing ahead of it and room free: it starts now (the submit's kick may already
    // have started it, which the forecast reports as started at its start time).
    assert.ok(["forecast", "started"].includes(batch.json.items[0].status), batch.text);
    assert.equal(batch.json.items[0].p50, new Date(now).toISOString());
    const all = await svc.call("GET", `/v1/forecasts?ids=${waiting},${own}`, { token: svc.admin });
    assert.equal(all.json.items.length, 2);
  });
}

for (const backend of backends()) {
  test(`forecast: the calibration book outlives a restart; a bad one is reported (${backend})`, async (t) => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    for (let i = 0; i < 4; i++) await submit(svc, "hyundai/llm");
    await svc.ctx.loop.tickNow();
    const { db } = svc.ctx.store;
    await forecasterOf(svc.ctx).refresh();
    assert.equal((await loadBook(db)).size, 1, "the waiting job's forecast is kept");

    // A restart an hour later: the new forecaster goes on from the stored book.
    now += 3_600_000;
    const restarted = new Forecaster(svc.ctx, { thread: false });
    await restarted.refresh();
    assert.equal((await loadBook(db)).size, 2, "the stored forecast and the new one");

    await writeSetting(
      db,
      "forecast-calibration",
      '{"version":1,"lower":"x","upper":0,"room":0,"recordedAt":null,"issued":[]}',
    );
    await assert.rejects(loadBook(db), (err: Error & { code?: string }) => {
      assert.equal(err.code, "GJ_ERR_FORECAST_BOOK");
      assert.match(
        err.message,
        /^GJ_ERR_FORECAST_BOOK: forecast-calibration\.lower: .*must be number/,
      );
      return true;
    });
    const errors: unknown[] = [];
    const fresh = new Forecaster(svc.ctx, { thread: false, onError: (e) => errors.push(e) });
    await fresh.refresh();
    assert.equal(errors.length, 1, "reported once");
    assert.equal((await loadBook(db)).size, 1, "a new book replaced it");
    assert.ok(fresh.get(4) !== undefined, "and forecasts are served");
  });
}

test("forecast: the timer rests after a computation as long as it took (restRatio)", async (t) => {
  const svc = await testService("sqlite", { clock: () => Date.parse("2026-11-23T00:00:00Z") });
  t.after(() => svc.close());
  // Each reading moves this clock 500 ms: a computation reads it as it begins and ends,
  // so it "takes" 500 ms, and with restRatio 2 the timer rests 1,000 ms after it.
  let ms = 0;
  const monotonic = () => (ms += 500);
  const f = new Forecaster(svc.ctx, { thread: false, monotonic, restRatio: 2 });
  await submit(svc, "hyundai/llm");
  assert.equal(await f.check(), true, "nothing computed yet");
  await submit(svc, "hyundai/llm");
  assert.equal(await f.check(), false, "500 ms after it ended: resting, though a job arrived");
  ms += 1000;
  assert.equal(await f.check(), true, "rested long enough: computes");
  assert.equal(await f.check(), false, "resting again");
  ms += 1000;
  assert.equal(await f.check(), false, "rested, but nothing changed");
});
