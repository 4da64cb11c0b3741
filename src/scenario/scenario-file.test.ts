import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { BUILTIN_SCENARIOS, loadScenario } from "./index.ts";
import { loadScenarioFile, parseScenarioYaml } from "./scenario-file.ts";
import { parseDuration } from "./yaml-read.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string): string => join(FIXTURES, name);
/** A name for text parsed as if it were a file in fixtures/, so references resolve from there. */
const here = (name: string): string => join(FIXTURES, name);

function errorOf(fn: () => unknown): GongjangError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GongjangError, String(err));
    return err;
  }
  assert.fail("expected a GongjangError");
}

const D = 86400;

test("valid-scenario.yaml (the docs' example) loads", () => {
  const s = loadScenarioFile(fixture("valid-scenario.yaml"));
  assert.equal(s.name, "three-tenants");
  assert.equal(s.fleet.name, "demo-ai-factory");
  assert.equal(s.horizon, 3 * D);
  assert.deepEqual(s.tranches[0], {
    id: "vr2-second-half",
    time: D,
    nodes: [
      "vr2-09",
      "vr2-10",
      "vr2-11",
      "vr2-12",
      "vr2-13",
      "vr2-14",
      "vr2-15",
      "vr2-16",
      "vr2-17",
    ],
  });
  // 1d18h = 24 + 18 = 42 h; 2d6h = 54 h
  assert.deepEqual(s.maintenance[0], {
    id: "h100-pod0-firmware",
    nodes: ["h100-00", "h100-01", "h100-02", "h100-03"],
    drainStart: 42 * 3600,
    start: 2 * D,
    end: 54 * 3600,
  });
  assert.deepEqual(s.failures, { mtbf: 30 * D, repair: 4 * 3600 });
  assert.deepEqual(s.reservations[1], {
    id: "npu-eval",
    queue: "hyundai/llm",
    start: D,
    end: D + 6 * 3600,
    deviceType: "rebellions-atom",
    devices: 16,
  });
  assert.equal(s.tenancy.reclaimGrace, 300); // 5m
  // rate 300/day × 3 days ≈ 900 (Poisson: ± a few %)
  assert.ok(s.workloads.length > 800 && s.workloads.length < 1000, String(s.workloads.length));
  const queues = new Set(s.workloads.map((w) => w.queue));
  assert.deepEqual([...queues].sort(), [
    "hyundai/llm",
    "hyundai/robotics/sim",
    "kisti/climate",
    "snu/gsai",
  ]);
  // bindings: interactive = critical 100 + QoS interactive 50, limited to 4 h
  const notebook = s.workloads.find((w) => w.class === "interactive");
  assert.equal(notebook?.priority, 150);
  assert.equal(notebook?.maxRuntime, 4 * 3600);
  assert.equal(notebook?.preemptible, false);
  // hyundai/llm's services run on ATOM only
  const services = s.workloads.filter((w) => w.class === "inference");
  assert.ok(services.length > 0);
  for (const w of services) assert.deepEqual(w.deviceTypes, ["rebellions-atom"]);
});

test("options override the file: seed, days and scale", () => {
  const base = loadScenarioFile(fixture("valid-scenario.yaml"));
  const again = loadScenarioFile(fixture("valid-scenario.yaml"), { seed: 7 });
  assert.equal(JSON.stringify(again.workloads), JSON.stringify(base.workloads)); // the file's seed is 7
  const other = loadScenarioFile(fixture("valid-scenario.yaml"), { seed: 8 });
  assert.notEqual(JSON.stringify(other.workloads), JSON.stringify(base.workloads));
  const short = loadScenarioFile(fixture("valid-scenario.yaml"), { days: 1, scale: 2 });
  assert.equal(short.horizon, D);
  // 300/day × 2 × 1 day ≈ 600
  assert.ok(
    short.workloads.length > 520 && short.workloads.length < 680,
    String(short.workloads.length),
  );
  assert.ok(short.workloads.every((w) => w.submitTime < D));
});

test("invalid-scenario.yaml: schema and cross-check errors at once, by line", () => {
  const file = fixture("invalid-scenario.yaml");
  const err = errorOf(() => loadScenarioFile(file));
  assert.equal(err.code, "GJ_ERR_WORKLOAD_INVALID"); // several kinds of problem
  const types = "nvidia-vr-nvl144, nvidia-h100-80g, rebellions-atom, furiosa-rngd";
  const places = "pangyo, kr, kr-gyeonggi, gwangju, kr-gwangju";
  const duration = 'expected seconds or a duration such as "6h" or "1d12h"';
  assert.deepEqual(err.details, [
    `${file}:4 horizon: ${duration}, got "two weeks"`,
    `${file}:5 seed: expected an integer >= 0 and <= 4294967295, got 1.5`,
    `${file}:10 tenancy.queues[0].quota.nvidia-h200: unknown device type "nvidia-h200"; fleet demo-ai-factory has ${types}`,
    `${file}:13 tranches[0].nodes[1]: unknown node "vr9-99" in fleet demo-ai-factory`,
    `${file}:14 tranches[1].id: duplicate tranche id "t1" (first at tranches[0], line 13)`,
    `${file}:15 tranches[2].time: ${duration}, got "soon"`,
    // the fourth tranche is the third read; its index is the file's
    `${file}:16 tranches[3].nodes[0]: node "vr2-09" is already delivered by tranches[0]`,
    `${file}:18 maintenance[0].drainStart: 172800 is after start 86400`,
    `${file}:18 maintenance[0].end: 86400 is not after start 86400`,
    `${file}:19 failures.mtbf: expected a number > 0, got 0`,
    `${file}:21 reservations[0].queue: unknown queue "nobody" (tenancy queues: hyundai, hyundai/llm)`,
    `${file}:21 reservations[0].domain: unknown domain "pangyo/vr-09/nvl144"; domains are site/rack/domain, e.g. pangyo/vr-01/nvl144`,
    `${file}:22 reservations[1].devices: 500 rebellions-atom asked for; the fleet has 128`,
    `${file}:26 workload.classes.notebook: unknown key (expected one of: batch, inference, simulation, interactive)`,
    `${file}:27 workload.classes.interactive.priorityClass: unknown priority class "critical" (tenancy has none)`,
    `${file}:29 workload.tenants[0].queue: queue "hyundai" is not a leaf; submit to one of hyundai/llm`,
    `${file}:30 workload.tenants[1].queue: invalid queue path "Hyundai/LLM": segment "Hyundai" (segments: a-z, 0-9, "_", "-"; start a-z or 0-9)`,
    `${file}:31 workload.tenants[2].residency: unknown residency "kr-busan"; fleet demo-ai-factory has sites and labels ${places}`,
    `${file}:32 workload.tenants[3].share: expected a number > 0, got -2`,
  ]);
  assert.match(err.message, /invalid-scenario\.yaml: 19 errors in scenario file$/);
});

/** A minimal valid scenario with `extra` lines appended under the top level. */
const minimal = (lines: string[]): string =>
  [
    "name: t",
    "fleet: demo-ai-factory",
    "horizon: 1d",
    "tenancy:",
    "  queues:",
    "    - { path: a/x, quota: { nvidia-h100-80g: { guaranteed: 8 } } }",
    "workload:",
    "  rate: 50",
    "  tenants:",
    "    - { queue: a/x, share: 1, mix: { batch: 1 } }",
    ...lines,
  ].join("\n");

// One problem kind per row → the error's code and its details.
const CODE_CASES: { name: string; yaml: string; code: string; details: RegExp[] }[] = [
  {
    name: "only unknown queues: GJ_ERR_TENANT_UNKNOWN",
    yaml: minimal([
      "reservations:",
      "  - { id: r, queue: b, deviceType: nvidia-h100-80g, devices: 8, start: 1h, end: 2h }",
    ]),
    code: "GJ_ERR_TENANT_UNKNOWN",
    details: [
      /^t\.yaml:12 reservations\[0\]\.queue: unknown queue "b" \(tenancy queues: a, a\/x\)$/,
    ],
  },
  {
    name: "only tenancy problems: GJ_ERR_TENANCY_INVALID",
    yaml: minimal([]).replace("guaranteed: 8", "guaranteed: 800"),
    code: "GJ_ERR_TENANCY_INVALID",
    details: [/^t\.yaml:6 tenancy\.queues: top-level queues are guaranteed 800 nvidia-h100-80g/],
  },
  {
    name: "an unknown fleet keeps the fleet's code and lists the built-ins below",
    yaml: minimal([]).replace("fleet: demo-ai-factory", "fleet: demo-ai-factroy"),
    code: "GJ_ERR_FLEET_UNKNOWN",
    details: [/^t\.yaml:2 fleet: GJ_ERR_FLEET_UNKNOWN: unknown fleet/, /^ {2}openb /],
  },
  {
    name: "a missing tenancy file: GJ_ERR_FILE_NOT_FOUND",
    yaml: minimal([]).replace(/tenancy:\n(.*\n){2}/, "tenancy: nope.yaml\n"),
    code: "GJ_ERR_FILE_NOT_FOUND",
    details: [/^t\.yaml:4 tenancy: GJ_ERR_FILE_NOT_FOUND: .*nope\.yaml: tenancy file not found$/],
  },
  {
    name: "rate and load together",
    yaml: minimal(["  load: 0.5"]),
    code: "GJ_ERR_WORKLOAD_INVALID",
    details: [/^t\.yaml:8 workload\.rate: give exactly one of rate/],
  },
  {
    name: "a reservation needs a domain or a device type",
    yaml: minimal(["reservations:", "  - { id: r, queue: a, start: 1h, end: 2h }"]),
    code: "GJ_ERR_WORKLOAD_INVALID",
    details: [/^t\.yaml:12 reservations\[0\]: give either domain, or deviceType and devices$/],
  },
];

for (const c of CODE_CASES) {
  test(`scenario errors: ${c.name}`, () => {
    const err = errorOf(() => parseScenarioYaml(c.yaml, here("t.yaml")));
    assert.equal(err.code, c.code, err.details.join("\n"));
    const shown = err.details.map((d) => d.replace(`${FIXTURES}/`, ""));
    c.details.forEach((re, i) => {
      assert.match(shown[i] ?? "", re);
    });
  });
}

test("fleet and tenancy files are found relative to the scenario file", () => {
  const yaml = (fleet: string, tenancy: string[]) =>
    [
      "name: files",
      `fleet: ${fleet}`,
      "horizon: 6h",
      ...tenancy,
      "workload:",
      "  rate: 100",
      "  tenants:",
      "    - { queue: snu/gsai, share: 1, mix: { batch: 1, interactive: 1 } }",
    ].join("\n");
  const small = parseScenarioYaml(
    yaml("../../fleet/fixtures/valid-small.yaml", []),
    here("t.yaml"),
  );
  assert.equal(small.fleet.name, "small");
  assert.deepEqual(small.tenancy, { queues: [] }); // no tenancy: one open pool
  assert.ok(small.workloads.length > 0);
  const withFile = parseScenarioYaml(
    yaml("demo-ai-factory", ["tenancy: valid-tenancy.yaml"]),
    here("t.yaml"),
  );
  assert.equal(withFile.tenancy.queues.length, 5);
  assert.ok(withFile.workloads.every((w) => w.queue === "snu/gsai"));
});

test("a tenancy file's fleet mismatches point into the tenancy file", () => {
  const yaml = [
    "name: files",
    "fleet: ../../fleet/fixtures/valid-small.yaml", // no Vera Rubin here
    "horizon: 6h",
    "tenancy: valid-tenancy.yaml",
    "workload:",
    "  rate: 100",
    "  tenants:",
    "    - { queue: snu/gsai, share: 1, mix: { batch: 1 } }",
  ].join("\n");
  const err = errorOf(() => parseScenarioYaml(yaml, here("t.yaml")));
  assert.equal(err.code, "GJ_ERR_TENANCY_INVALID");
  assert.match(
    err.details[0],
    /valid-tenancy\.yaml:4 chargeWeights\.nvidia-vr-nvl144: unknown device type "nvidia-vr-nvl144"; fleet small has/,
  );
  assert.match(
    err.details[1],
    /valid-tenancy\.yaml:15 queues\[0\]\.quota\.nvidia-vr-nvl144: unknown/,
  );
});

// Duration strings → seconds (undefined: rejected).
const DURATIONS: [string, number | undefined][] = [
  ["90s", 90],
  ["45m", 2700],
  ["6h", 21600],
  ["14d", 14 * D],
  ["2w", 14 * D],
  ["1d12h", 36 * 3600],
  ["1.5h", 5400],
  ["4h30m", 16200],
  ["", undefined],
  ["6", undefined], // a bare number must be written as a YAML number
  ["6 h", undefined],
  ["1y", undefined],
  ["-1d", undefined],
];

for (const [text, seconds] of DURATIONS) {
  test(`parseDuration("${text}") = ${seconds}`, () => {
    assert.equal(parseDuration(text), seconds);
  });
}

test("loadScenario: built-in names, .yaml paths, and an unknown name listing the built-ins", () => {
  const err = errorOf(() => loadScenario("demo-ai-factroy"));
  assert.equal(err.code, "GJ_ERR_SCENARIO_UNKNOWN");
  assert.match(err.message, /built-in scenarios: demo-ai-factory$/);
  assert.equal(err.details.length, BUILTIN_SCENARIOS.length);
  assert.equal(errorOf(() => loadScenario("missing.yaml")).code, "GJ_ERR_FILE_NOT_FOUND");
  assert.equal(loadScenario(fixture("valid-scenario.yaml"), { days: 0.5 }).name, "three-tenants");
  assert.equal(
    errorOf(() => loadScenario("demo-ai-factory", { days: 0 })).code,
    "GJ_ERR_WORKLOAD_INVALID",
  );
});

test("docs/scenario-format.md's full example is valid-scenario.yaml, verbatim", () => {
  const doc = readFileSync(
    join(import.meta.dirname, "..", "..", "docs", "scenario-format.md"),
    "utf8",
  );
  const section = doc.slice(doc.indexOf("## Full example"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(block, readFileSync(fixture("valid-scenario.yaml"), "utf8"));
});
