import assert from "node:assert/strict";
import { test } from "node:test";
import { GongjangError } from "../../../core/errors.ts";
import { hours, isoDate, type UsageReport, usageText } from "./usage.ts";

const report: UsageReport = {
  from: "2026-11-01T00:00:00.000Z",
  to: "2026-11-08T00:00:00.000Z",
  asOf: "2026-11-08T00:00:00.000Z",
  by: ["tenant", "type"],
  rows: [
    { tenant: "hyundai", type: "nvidia-h100-80g", deviceHours: 1234.56, runs: 3 },
    { tenant: "snu", type: "rebellions-atom", deviceHours: 0.25, runs: 1 },
  ],
  total: { deviceHours: 1234.81, runs: 4 },
};

test("usageText: a row per group and a TOTAL line", () => {
  assert.equal(
    usageText(report),
    [
      "usage 2026-11-01 00:00:00Z .. 2026-11-08 00:00:00Z in device-hours (runs still going counted to 2026-11-08 00:00:00Z)",
      "TENANT   DEVICE TYPE      DEVICE-HOURS  RUNS",
      "hyundai  nvidia-h100-80g       1,234.6     3",
      "snu      rebellions-atom           0.3     1",
      "TOTAL                          1,234.8     4",
      "",
    ].join("\n"),
  );
  assert.match(usageText({ ...report, rows: [] }), /\nno usage in this period\n$/);
  assert.match(usageText({ ...report, by: [] }), /DEVICE-HOURS {2}RUNS\n +1,234\.8 +4\n$/);
});

test("isoDate: dates and times to ISO; nonsense is a usage error", () => {
  assert.equal(isoDate("2026-11-01", "--from"), "2026-11-01T00:00:00.000Z");
  assert.equal(isoDate("2026-11-01T09:00Z", "--from"), "2026-11-01T09:00:00.000Z");
  assert.throws(
    () => isoDate("last tuesday", "--from"),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_ARGUMENT",
  );
  assert.equal(hours(0.04), "0.0");
});
