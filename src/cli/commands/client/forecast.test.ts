import assert from "node:assert/strict";
import { test } from "node:test";
import type { Forecast } from "../../client/types.ts";
import { eta, forecastText } from "./forecast.ts";

const NOW = Date.parse("2026-11-23T10:00:00Z");

function forecast(o: Partial<Forecast> = {}): Forecast {
  return {
    jobId: 42,
    status: "forecast",
    p10: "2026-11-23T11:05:00.000Z",
    p50: "2026-11-23T12:10:00.000Z",
    p90: "2026-11-23T15:30:00.000Z",
    outcome: "scheduled",
    reason: "behind 3 jobs of your queue; waits for 16 free devices",
    computedAt: "2026-11-23T10:00:00.000Z",
    runs: 20,
    calibratedOn: 0,
    ...o,
  };
}

test("forecastText: P50 first, then the band, the reason and where it came from", () => {
  assert.equal(
    forecastText(forecast(), NOW),
    [
      "job 42: starts in 2h10m (P50)", // 10:00 → 12:10
      "  P10  in 1h05m  2026-11-23T11:05:00.000Z",
      "  P50  in 2h10m  2026-11-23T12:10:00.000Z",
      "  P90  in 5h30m  2026-11-23T15:30:00.000Z",
      "  why  behind 3 jobs of your queue; waits for 16 free devices",
      "  from 20 runs computed 2026-11-23T10:00:00.000Z; band as simulated (no past forecasts yet)",
      "",
    ].join("\n"),
  );
  assert.match(
    forecastText(forecast({ calibratedOn: 412 }), NOW),
    /; band calibrated on 412 past forecasts\n$/,
  );
});

test("forecastText: never, computing and started say so", () => {
  const never = forecast({ outcome: "never", p10: null, p50: null, p90: null, reason: "x" });
  assert.match(forecastText(never, NOW), /^job 42: never starts on this fleet\n {2}P10 {2}-/);
  assert.match(forecastText(forecast({ status: "computing" }), NOW), /computing/);
  assert.equal(
    forecastText(forecast({ status: "started", p50: "2026-11-23T09:00:00.000Z" }), NOW),
    "job 42: started 2026-11-23T09:00:00.000Z\n",
  );
  assert.equal(eta(forecast({ p50: "2026-11-23T09:59:00Z" }), NOW), "now");
});
