import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { loadFleet } from "../fleet/index.ts";
import {
  checkTenancyAgainstFleet,
  loadTenancyDocument,
  loadTenancyFile,
  parseTenancyDocument,
  parseTenancyYaml,
} from "./tenancy-file.ts";

const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);
const demo = loadFleet("demo-ai-factory");

/** The GongjangError `fn` throws, checked for `code`. */
function errorOf(fn: () => unknown, code = "GJ_ERR_TENANCY_INVALID"): GongjangError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GongjangError, String(err));
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

test("valid-tenancy.yaml: queues, quotas, classes, QoS and durations", () => {
  const spec = loadTenancyFile(fixture("valid-tenancy.yaml"));
  assert.deepEqual(
    spec.queues.map((q) => q.path),
    ["hyundai", "hyundai/robotics/sim", "hyundai/llm", "samsung", "snu/gsai"],
  );
  assert.deepEqual(spec.queues[0], {
    path: "hyundai",
    weight: 3,
    quota: {
      "nvidia-vr-nvl144": { guaranteed: 96, borrowLimit: 64, lendLimit: 48 },
      "nvidia-h100-80g": { guaranteed: 32 },
    },
  });
  assert.deepEqual(spec.queues[4], { path: "snu/gsai" }); // a leaf with no quota: guarantee 0
  assert.equal(spec.reclaimGrace, 300);
  assert.equal(spec.halfLife, 7 * 86400); // "7d"
  assert.deepEqual(spec.qos, [
    { name: "interactive", priority: 50, maxRuntime: 14400 },
    { name: "batch", priority: 0 }, // priority defaults to 0, no run limit
  ]);
  assert.deepEqual(spec.priorityClasses?.[0], { name: "high", value: 100, preemptible: false });
  assert.deepEqual(spec.chargeWeights, { "nvidia-vr-nvl144": 3.5, "nvidia-h100-80g": 1 });
});

test("invalid-tenancy.yaml: every error at once, with file:line and path", () => {
  const file = fixture("invalid-tenancy.yaml");
  const err = errorOf(() => loadTenancyFile(file));
  const seg = '(segments: a-z, 0-9, "_", "-"; start a-z or 0-9)';
  assert.deepEqual(err.details, [
    `${file}:2 reclaimGrace: expected a number >= 0, got -5`,
    `${file}:3 halfLife: expected seconds or a duration such as "6h" or "1d12h", got "forever"`,
    `${file}:4 chargeWeight: unknown key (did you mean "chargeWeights"?)`,
    `${file}:6 priorityClasses[0].preemptible: expected boolean, got string`,
    `${file}:7 priorityClasses[1].name: duplicate priority class "high" (first at priorityClasses[0], line 6)`,
    `${file}:9 qos[0].maxRuntime: expected a number > 0, got 0`,
    `${file}:12 queues[0].weight: expected a number > 0, got 0`,
    `${file}:14 queues[0].quota.nvidia-vr-nvl144.borrowLimit: expected a number >= 0, got -1`,
    `${file}:15 queues[0].quota.nvidia-h100-80g.guaranteed: expected number, got string`,
    `${file}:16 queues[1].path: invalid queue path "hyundai//llm": an empty segment ${seg}`,
    `${file}:17 queues[2].path: invalid queue path "Samsung": segment "Samsung" ${seg}`,
    `${file}:18 queues[3].path: duplicate queue path "hyundai" (first at queues[0], line 11)`,
    `${file}:21 queues[4].quota.nvidia-h100-80g.guarantee: unknown key (did you mean "guaranteed"?)`,
    `${file}:21 queues[4].quota.nvidia-h100-80g.guaranteed: required key is missing`,
    `${file}:22 queues[5].path: required key is missing`,
  ]);
  assert.match(err.message, /invalid-tenancy\.yaml: 15 errors in tenancy file$/);
});

// One small document per row → the details expected (file "t.yaml").
const CASES: { name: string; yaml: string; details: string[] }[] = [
  { name: "empty file", yaml: "", details: ["t.yaml:1 (root): expected object, got null"] },
  {
    name: "queues is required",
    yaml: "halfLife: 1d\n",
    details: ["t.yaml:1 queues: required key is missing"],
  },
  {
    name: "a trailing slash is an empty segment",
    yaml: "queues:\n  - path: a/\n",
    details: [
      't.yaml:2 queues[0].path: invalid queue path "a/": an empty segment (segments: a-z, 0-9, "_", "-"; start a-z or 0-9)',
    ],
  },
  {
    name: "quota must be a mapping of device types",
    yaml: "queues:\n  - { path: a, quota: [1] }\n",
    details: ["t.yaml:2 queues[0].quota: expected object, got array"],
  },
  {
    name: "duplicate device types in one quota",
    yaml: "queues:\n  - path: a\n    quota:\n      x: { guaranteed: 1 }\n      x: { guaranteed: 2 }\n",
    details: ["t.yaml:5 queues[0].quota.x: duplicate key (first on line 4)"],
  },
  {
    name: "duplicate QoS names",
    yaml: "queues: []\nqos:\n  - { name: a }\n  - { name: a, priority: 1 }\n",
    details: ['t.yaml:4 qos[1].name: duplicate QoS "a" (first at qos[0], line 3)'],
  },
  {
    name: "charge weights are numbers >= 0",
    yaml: "queues: []\nchargeWeights: { a: -1, b: x }\n",
    details: [
      "t.yaml:2 chargeWeights.a: expected a number >= 0, got -1",
      "t.yaml:2 chargeWeights.b: expected number, got string",
    ],
  },
  {
    name: "YAML syntax errors keep their line",
    yaml: "queues:\n  - path: a\n   weight: [\n",
    details: [],
  },
];

for (const c of CASES) {
  test(`tenancy schema: ${c.name}`, () => {
    const err = errorOf(() => parseTenancyYaml(c.yaml, "t.yaml"));
    if (c.details.length === 0) assert.match(err.details[0], /^t\.yaml:\d+ \(yaml\): syntax error/);
    else assert.deepEqual(err.details, c.details);
  });
}

test("an empty queue list is an open tenancy", () => {
  assert.deepEqual(parseTenancyYaml("queues: []\n", "t.yaml"), { queues: [] });
});

test("a missing tenancy file is GJ_ERR_FILE_NOT_FOUND", () => {
  errorOf(() => loadTenancyFile(fixture("nope.yaml")), "GJ_ERR_FILE_NOT_FOUND");
});

test("checkTenancyAgainstFleet: the valid fixture compiles on the demo fleet", () => {
  const { spec, source } = loadTenancyDocument(fixture("valid-tenancy.yaml"));
  const tree = checkTenancyAgainstFleet(spec, demo, source);
  // root + hyundai, hyundai/robotics (implied), …/sim, hyundai/llm, samsung, snu (implied), snu/gsai
  assert.equal(tree.paths.length, 8);
});

// Fleet mismatches → details, at the line of the offending entry when known.
const FLEET_CASES: { name: string; yaml: string; details: string[] }[] = [
  {
    name: "quota on a device type the fleet lacks, and a charge weight too",
    yaml: [
      "queues:",
      "  - path: a",
      "    quota:",
      "      nvidia-h200: { guaranteed: 8 }",
      "chargeWeights: { tpu-v5: 1 }",
    ].join("\n"),
    details: [
      't.yaml:4 queues[0].quota.nvidia-h200: unknown device type "nvidia-h200"; fleet demo-ai-factory has nvidia-vr-nvl144, nvidia-h100-80g, rebellions-atom, furiosa-rngd',
      't.yaml:5 chargeWeights.tpu-v5: unknown device type "tpu-v5"; fleet demo-ai-factory has nvidia-vr-nvl144, nvidia-h100-80g, rebellions-atom, furiosa-rngd',
    ],
  },
  {
    name: "children guaranteed more than their parent (compileTenancy's check)",
    yaml: [
      "queues:",
      "  - { path: a, quota: { nvidia-h100-80g: { guaranteed: 16 } } }",
      "  - { path: a/x, quota: { nvidia-h100-80g: { guaranteed: 12 } } }",
      "  - { path: a/y, quota: { nvidia-h100-80g: { guaranteed: 8 } } }",
    ].join("\n"),
    // 12 + 8 = 20 > 16
    details: [
      't.yaml:2 queues[0].quota.nvidia-h100-80g: children of "a" are guaranteed 20 nvidia-h100-80g, more than its 16',
    ],
  },
  {
    name: "top-level guarantees above the fleet's devices",
    yaml: [
      "queues:",
      "  - { path: a, quota: { nvidia-h100-80g: { guaranteed: 100 } } }",
      "  - { path: b/x, quota: { nvidia-h100-80g: { guaranteed: 8 } } }",
      "  - { path: c, quota: { nvidia-h100-80g: { guaranteed: 28.5 } } }",
    ].join("\n"),
    // b is implied with its child's 8: 100 + 8 + 28.5 = 136.5 > 128
    details: [
      "t.yaml:2 queues: top-level queues are guaranteed 136.5 nvidia-h100-80g in all, more than the fleet's 128",
    ],
  },
];

for (const c of FLEET_CASES) {
  test(`checkTenancyAgainstFleet: ${c.name}`, () => {
    const { spec, source } = parseTenancyDocument(c.yaml, "t.yaml");
    assert.deepEqual(
      errorOf(() => checkTenancyAgainstFleet(spec, demo, source)).details,
      c.details,
    );
  });
}

test("checkTenancyAgainstFleet without a source still names the path", () => {
  const spec = { queues: [{ path: "a", quota: { x: { guaranteed: 1 } } }] };
  const err = errorOf(() => checkTenancyAgainstFleet(spec, demo));
  assert.match(err.details[0], /^\(tenancy\):1 queues\[0\]\.quota\.x: unknown device type "x"/);
});
