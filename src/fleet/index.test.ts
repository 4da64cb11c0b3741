import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { BUILTIN_FLEETS, loadFleet } from "./index.ts";
import { summarizeFleet } from "./summary.ts";

const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);

// spec → [fleet name, nodes, devices]
const SPECS: [string, string, number, number][] = [
  ["openb", "openb", 1213, 6212],
  ["openb-all", "openb-all", 1523, 6212],
  ["demo-ai-factory", "demo-ai-factory", 80, 608], // 36 VR + 16 H100 + 16 ATOM + 8 RNGD + 4 CPU
  ["synthetic:37500x8", "synthetic:37500x8", 37_500, 300_000], // 37,500 × 8
  ["synthetic:3x2", "synthetic:3x2", 3, 6], // 3 × 2
  [fixture("valid-small.yaml"), "small", 7, 48], // 4 × 8 + 1 × 0 + 2 × 8
];

for (const [spec, name, nodes, devices] of SPECS) {
  test(`loadFleet(${JSON.stringify(spec.replace(import.meta.dirname, "."))})`, () => {
    const s = summarizeFleet(loadFleet(spec));
    assert.deepEqual([s.name, s.nodes, s.devices], [name, nodes, devices]);
  });
}

test("every listed built-in loads (synthetic with its example)", () => {
  for (const f of BUILTIN_FLEETS) {
    const spec = f.name.startsWith("synthetic:") ? "synthetic:4x8" : f.name;
    assert.ok(summarizeFleet(loadFleet(spec)).nodes > 0, f.name);
  }
});

// spec → expected error code
const ERRORS: [string, string][] = [
  ["openbb", "GJ_ERR_FLEET_UNKNOWN"], // a typo of a built-in name
  ["synthetic:lots", "GJ_ERR_FLEET_UNKNOWN"],
  ["synthetic:0x8", "GJ_ERR_FLEET_UNKNOWN"],
  ["missing/fleet.yaml", "GJ_ERR_FILE_NOT_FOUND"], // shaped like a path
  ["fleet.yml", "GJ_ERR_FILE_NOT_FOUND"],
  [fixture("invalid-many-errors.yaml"), "GJ_ERR_FLEET_INVALID"],
];

for (const [spec, code] of ERRORS) {
  test(`loadFleet(${JSON.stringify(spec.replace(import.meta.dirname, "."))}) throws ${code}`, () => {
    assert.throws(
      () => loadFleet(spec),
      (e: unknown) => e instanceof GongjangError && e.code === code,
    );
  });
}

test("an unknown name lists the valid ones", () => {
  assert.throws(
    () => loadFleet("openbb"),
    (e: unknown) =>
      e instanceof GongjangError &&
      e.message.includes("openb, openb-all, demo-ai-factory, synthetic:<nodes>x<devices>") &&
      e.details.length === BUILTIN_FLEETS.length,
  );
});
