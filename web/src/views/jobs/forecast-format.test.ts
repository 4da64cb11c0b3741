import assert from "node:assert/strict";
import { test } from "node:test";
import { formatClock, formatSpan } from "../../format.ts";
import { translator } from "../../i18n/index.ts";
import type { Forecast } from "../../types.ts";
import { etaText, startText } from "./forecast-format.ts";

const en = translator("en");
const ko = translator("ko");
const unit = (u: "d" | "h" | "min", n: number) => en(`unit.${u}`, { n });
const NOW = Date.parse("2026-11-23T10:00:00Z");
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

test("formatSpan rounds, drops zero parts, and keeps one or two units", () => {
  const cases: [number, 1 | 2, string][] = [
    [-30, 2, "0 min"],
    [29, 2, "0 min"],
    [45 * 60, 2, "45 min"],
    [59.6 * 60, 2, "1 h"], // rounds to 60 min
    [130 * 60, 2, "2 h 10 min"],
    [130 * 60, 1, "2 h"],
    [160 * 60, 1, "3 h"], // 2 h 40 min to the nearest hour
    [23.7 * 3600, 1, "1 d"], // 24 h
    [(3 * 24 + 4) * 3600 + 20 * 60, 2, "3 d 4 h"], // minutes dropped past a day
    [(3 * 24 + 4) * 3600, 1, "3 d"],
  ];
  for (const [s, parts, want] of cases) assert.equal(formatSpan(s, unit, parts), want, `${s}`);
  assert.equal(
    formatSpan(130 * 60, (u, n) => ko(`unit.${u}`, { n })),
    "2시간 10분",
  );
});

test("formatClock: HH:MM today, MM-DD HH:MM another day (local time)", () => {
  const p = (n: number) => String(n).padStart(2, "0");
  const later = new Date(NOW + 3 * 3600_000);
  const sameDay = later.getDate() === new Date(NOW).getDate();
  const hm = `${p(later.getHours())}:${p(later.getMinutes())}`;
  assert.equal(
    formatClock(later.toISOString(), NOW),
    sameDay ? hm : `${p(later.getMonth() + 1)}-${p(later.getDate())} ${hm}`,
  );
  const days = new Date(NOW + 3 * 86_400_000);
  assert.match(formatClock(days.toISOString(), NOW), /^\d\d-\d\d \d\d:\d\d$/);
});

test("startText: relative, then the clock; null is beyond the horizon", () => {
  assert.equal(startText(at(130), NOW, en), `in 2 h 10 min (${formatClock(at(130), NOW)})`);
  assert.equal(startText(at(-5), NOW, en), `now (${formatClock(at(-5), NOW)})`);
  assert.equal(startText(null, NOW, en), "beyond the horizon");
  assert.equal(startText(at(130), NOW, ko), `2시간 10분 후 (${formatClock(at(130), NOW)})`);
});

test("the ETA cell, as gongjang queue shows it", () => {
  const base: Forecast = {
    jobId: 1,
    status: "forecast",
    p10: at(60),
    p50: at(130),
    p90: at(300),
    outcome: "scheduled",
    reason: "behind 3 jobs of your queue",
    computedAt: at(0),
    runs: 20,
    calibratedOn: 0,
  };
  const none = { p10: null, p50: null, p90: null };
  const cases: [Forecast | undefined, string][] = [
    [base, "in 2 h"],
    [{ ...base, p50: at(-1) }, "now"],
    [{ ...base, ...none, outcome: "never" }, "never"],
    [{ ...base, p50: null, p90: null, outcome: "beyond-horizon" }, "beyond the horizon"],
    [{ ...base, ...none, status: "computing", outcome: null }, "—"],
    [{ ...base, status: "started", outcome: null }, "now"],
    [{ ...base, ...none, status: "ended", outcome: null }, ""],
    [undefined, ""],
  ];
  for (const [f, want] of cases) assert.equal(etaText(f, NOW, en), want, JSON.stringify(f));
  assert.equal(etaText(base, NOW, ko), "2시간 후");
});
