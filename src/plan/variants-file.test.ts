import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { loadScenarioSpec } from "../scenario/index.ts";
import { ChangeKind } from "./types.ts";
import { loadVariantsFile, parseVariantsYaml } from "./variants-file.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const base = loadScenarioSpec(join(FIXTURES, "small-scenario.yaml"));

function errorOf(fn: () => unknown): GongjangError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GongjangError, String(err));
    return err;
  }
  assert.fail("expected a GongjangError");
}

test("small-variants.yaml reads and applies", () => {
  const file = loadVariantsFile(join(FIXTURES, "small-variants.yaml"), base);
  assert.equal(file.description, "Test variants.");
  assert.deepEqual(
    file.variants.map((v) => [v.name, v.changes.map((c) => c.kind)]),
    [
      ["late", [ChangeKind.ShiftTranche]],
      ["more", [ChangeKind.AddDevices]],
      ["busy", [ChangeKind.ScaleDemand]],
    ],
  );
  // 6 h + 3 h = 9 h
  assert.equal(file.variants[0].spec.tranches[0].time, 9 * 3600);
  assert.deepEqual(file.variants[0].changes[0], {
    kind: ChangeKind.ShiftTranche,
    tranche: "h100-late",
    by: 3 * 3600,
  });
});

test("every problem of invalid-variants.yaml at its line and path, in one error", () => {
  const file = join(FIXTURES, "invalid-variants.yaml");
  const e = errorOf(() => loadVariantsFile(file, base));
  assert.equal(e.code, "GJ_ERR_VARIANT_INVALID");
  assert.equal(e.text, "13 errors in variants file");
  const at = (line: number, rest: string) => `${file}:${line} ${rest}`;
  assert.deepEqual(e.details, [
    at(
      2,
      'variants[0].name: "baseline" is the scenario unchanged and always runs; pick another name',
    ),
    at(7, 'variants[1].changes[0].shiftTrance: unknown key (did you mean "shiftTranche"?)'),
    at(
      10,
      'variants[2].changes[0].shiftTranche.tranche: unknown tranche "nope" (tranches: h100-late)',
    ),
    at(
      11,
      'variants[2].changes[1].addDevices.deviceType: unknown device type "nvidia-b200"; fleet demo-ai-factory has nvidia-vr-nvl144, nvidia-h100-80g, rebellions-atom, furiosa-rngd',
    ),
    at(
      12,
      'variants[2].changes[2].retireNodes.nodes[1]: unknown node "zz-99" in fleet demo-ai-factory',
    ),
    at(13, 'variants[2].changes[3].scaleDemand.queue: unknown queue "nobody" in the tenancy'),
    at(16, "variants[3].changes[0].removeDevices.devices: expected an integer >= 1, got 0"),
    at(
      17,
      "variants[3].changes[1].scaleDemand: give factor (a step), rate (compounding growth) or both",
    ),
    at(
      18,
      'variants[3].changes[2].setDeviceTypes.class: unknown workload class "training" (classes: batch, inference, simulation, interactive)',
    ),
    at(18, "variants[3].changes[2].setDeviceTypes.deviceTypes: expected at least one device type"),
    at(19, 'variants[4].name: duplicate variant name "typo" (first at variants[1].name, line 5)'),
    at(
      24,
      "variants[5].changes[0].removeDevices.devices: fleet demo-ai-factory has fewer than 800 furiosa-rngd devices left to remove",
    ),
    at(
      27,
      "variants[6].changes: after the changes, tenancy.queues: top-level queues are guaranteed 1047 nvidia-h100-80g in all, more than the fleet's 128",
    ),
  ]);
});

test("shapes: table of small files and the first problem each reports", () => {
  const cases: [string, string][] = [
    ["variants: {}", "<f>:1 variants: expected array, got object"],
    ["variants: []", "<f>:1 variants: expected at least one variant"],
    ["nope: 1", "<f>:1 nope: unknown key (expected one of: variants, description)"],
    [
      "variants:\n  - name: a\n    changes: []",
      "<f>:3 variants[0].changes: expected at least one change",
    ],
    [
      "variants:\n  - name: a\n    changes:\n      - { shiftTranche: { tranche: h100-late, by: 1d }, addDevices: { deviceType: x, devices: 1 } }",
      "<f>:4 variants[0].changes[0]: expected exactly one change, one of: shiftTranche, addDevices, removeDevices, retireNodes, scaleDemand, setGuarantee, setDeviceTypes",
    ],
    [
      "variants:\n  - name: a\n    changes:\n      - shiftTranche: { tranche: h100-late, by: soon }",
      '<f>:4 variants[0].changes[0].shiftTranche.by: expected seconds or a duration such as "6h" or "1d12h", got "soon"',
    ],
    [
      "variants:\n  - name: a\n    changes:\n      - shiftTranche: { tranche: h100-late, by: -x }",
      '<f>:4 variants[0].changes[0].shiftTranche.by: expected seconds or a duration such as "30d" or "-7d", got "-x"',
    ],
    ["variants: [\n", "<f>:"],
  ];
  for (const [text, first] of cases) {
    const e = errorOf(() => parseVariantsYaml(text, "<f>", base));
    assert.equal(e.code, "GJ_ERR_VARIANT_INVALID", text);
    assert.ok(e.details[0].startsWith(first), `${text}\n→ ${e.details[0]}`);
  }
});

test("a negative shift moves a tranche earlier, never before 0", () => {
  const text =
    "variants:\n  - name: early\n    changes:\n      - shiftTranche: { tranche: h100-late, by: -2h }\n" +
    "  - name: very-early\n    changes:\n      - shiftTranche: { tranche: h100-late, by: -1d }";
  const [early, veryEarly] = parseVariantsYaml(text, "<f>", base).variants;
  assert.equal(early.spec.tranches[0].time, 4 * 3600); // 6 h − 2 h
  assert.equal(veryEarly.spec.tranches[0].time, 0); // 6 h − 24 h, clamped
});

test("a missing variants file is GJ_ERR_FILE_NOT_FOUND", () => {
  assert.equal(
    errorOf(() => loadVariantsFile("/nope/variants.yaml", base)).code,
    "GJ_ERR_FILE_NOT_FOUND",
  );
});
