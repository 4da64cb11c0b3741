import assert from "node:assert/strict";
import { test } from "node:test";
import {
  deviceSummary,
  duration,
  fields,
  num,
  shortType,
  table,
  timestamp,
  truncate,
} from "./format.ts";

test("duration: squeue-like short forms", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [42.9, "42s"],
    [185, "3m05s"], // 3 × 60 + 5
    [7620, "2h07m"], // 2 × 3600 + 7 × 60
    [273600, "3d04h"], // 3 × 86400 + 4 × 3600
    [-5, "0s"], // clock skew
  ];
  for (const [s, want] of cases) assert.equal(duration(s), want, `${s}`);
});

test("shortType drops the vendor and a memory suffix", () => {
  assert.equal(shortType("nvidia-h100-80g"), "h100");
  assert.equal(shortType("nvidia-vr-nvl144"), "vr-nvl144");
  assert.equal(shortType("furiosa-rngd"), "rngd");
  assert.equal(shortType("tpu"), "tpu");
});

test("deviceSummary: members × devices and the type", () => {
  const cases: [Parameters<typeof deviceSummary>, string][] = [
    [[{ members: 2, devices: 8, deviceTypes: ["nvidia-h100-80g"] }], "2×8 h100"],
    [[{ devices: 4 }], "4 any"],
    [[{ devices: 1, deviceShare: 0.25, deviceTypes: ["nvidia-h100-80g"] }], "0.25 h100"],
    [[{ devices: 8, deviceTypes: ["nvidia-h100-80g", "rebellions-atom"] }], "8 h100|atom"],
    // running: the type it was placed on wins over the accepted list
    [
      [{ devices: 8, deviceTypes: ["nvidia-h100-80g", "rebellions-atom"] }, "rebellions-atom"],
      "8 atom",
    ],
    [[{ members: 3, devices: 0 }], "3×cpu"],
  ];
  for (const [args, want] of cases) assert.equal(deviceSummary(...args), want);
});

test("table: text left, numbers right, no trailing spaces", () => {
  const rows = [
    { id: 7, name: "a", reason: "" },
    { id: 12, name: "longer", reason: "x" },
  ];
  const out = table(
    [
      { title: "ID", cell: (r: (typeof rows)[number]) => String(r.id), right: true },
      { title: "NAME", cell: (r) => r.name },
      { title: "REASON", cell: (r) => r.reason },
    ],
    rows,
  );
  assert.equal(out, "ID  NAME    REASON\n 7  a\n12  longer  x\n");
});

test("truncate, timestamp, num, fields", () => {
  assert.equal(truncate("abcdef", 4), "abc…");
  assert.equal(truncate("abc", 4), "abc");
  assert.equal(timestamp("2026-11-23T09:05:00.123Z"), "2026-11-23 09:05:00Z");
  assert.equal(timestamp(null), "-");
  assert.equal(num(1234567.8), "1,234,568");
  assert.equal(num(0.25), "0.3");
  assert.equal(num(16), "16");
  assert.equal(
    fields([
      ["a", "1"],
      ["long", "2"],
    ]),
    "a:     1\nlong:  2\n",
  );
});
