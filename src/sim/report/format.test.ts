import assert from "node:assert/strict";
import { test } from "node:test";
import {
  durationUnit,
  formatCount,
  formatDuration,
  formatDurationTick,
  formatPercent,
  formatSig,
  MISSING,
} from "./format.ts";

test("formatDuration picks the largest unit that reads ≥ 1", () => {
  const cases: [number, string][] = [
    [0, "0 s"],
    [0.35, "350 ms"],
    [4.256, "4.26 s"],
    [42, "42.0 s"],
    [90, "1.50 min"], // 90 s / 60
    [750, "12.5 min"],
    [3600 * 3.2, "3.20 h"],
    [86400 * 1.5, "1.50 d"],
    [86400 * 245, "245 d"],
    [-120, "-2.00 min"],
    [Number.NaN, MISSING],
    [Number.POSITIVE_INFINITY, MISSING],
  ];
  for (const [s, want] of cases) assert.equal(formatDuration(s), want, `${s} s`);
});

test("durationUnit switches at 2 of the next unit", () => {
  const cases: [number, string][] = [
    [0, "s"],
    [120, "s"],
    [121, "min"],
    [7200, "min"], // 2 h
    [7201, "h"],
    [172800, "h"], // 2 d
    [172801, "d"],
    [Number.NaN, "s"],
  ];
  for (const [s, want] of cases) assert.equal(durationUnit(s).name, want, `${s} s`);
});

test("numbers format without locale", () => {
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(-1000), "-1,000");
  assert.equal(formatPercent(73.456), "73.5%");
  assert.equal(formatPercent(Number.NaN), MISSING);
  assert.equal(formatSig(0.0123), "0.012");
  assert.equal(formatSig(12.34), "12.3");
  assert.equal(formatSig(1234.5), "1235");
});

test("formatDurationTick drops padding zeros", () => {
  const cases: [number, string][] = [
    [0.01, "10 ms"],
    [10, "10 s"],
    [60, "1 min"],
    [5400, "1.5 h"], // 5400 / 3600
    [864000, "10 d"],
  ];
  for (const [s, want] of cases) assert.equal(formatDurationTick(s), want, `${s} s`);
});
