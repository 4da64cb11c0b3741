import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { buildClusterState, totalDevices } from "../core/model/cluster.ts";
import { fleetNodes } from "../core/model/fleet.ts";
import { loadFleetFile, parseFleetYaml } from "./schema.ts";

const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);

/** The details of the GongjangError that `fn` throws (fails if it throws anything else). */
function detailsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GongjangError, String(err));
    assert.equal(err.code, "GJ_ERR_FLEET_INVALID");
    return err.details;
  }
  assert.fail("expected GJ_ERR_FLEET_INVALID");
}

/** A minimal valid fleet with `node` as the only node entry (one line, line 6). */
const withNode = (node: string, extraTypes = ""): string =>
  [
    "name: t",
    `deviceTypes: [{ id: gpu, vendor: v, memoryGiB: 80, speed: 1 }${extraTypes}]`,
    "sites:",
    "  - id: s",
    "    racks: [{ id: r, domains: [{ id: d, nodes: [",
    `      ${node}`,
    "      ] }] }]",
  ].join("\n");

test("valid-small.yaml: expansion, unit conversion and CPU-only nodes", () => {
  const fleet = loadFleetFile(fixture("valid-small.yaml"));
  const nodes = [...fleetNodes(fleet)].map((n) => n.node);
  // 4 h100-a + 1 cpu-a + 2 rngd-a = 7 nodes
  assert.deepEqual(
    nodes.map((n) => n.id),
    ["h100-a-0", "h100-a-1", "h100-a-2", "h100-a-3", "cpu-a", "rngd-a-0", "rngd-a-1"],
  );
  // 112 cores × 1000 = 112,000 milli; 2048 GiB × 1024 = 2,097,152 MiB
  assert.deepEqual(nodes[0], {
    id: "h100-a-0",
    deviceType: "nvidia-h100-80g",
    devices: 8,
    cpuMilli: 112_000,
    memoryMiB: 2_097_152,
  });
  assert.deepEqual(nodes[4], {
    id: "cpu-a",
    deviceType: null,
    devices: 0,
    cpuMilli: 64_000,
    memoryMiB: 524_288,
  });
  // fractional cores: 48.5 × 1000 = 48,500
  assert.equal(nodes[5].cpuMilli, 48_500);
  // 4 × 8 + 0 + 2 × 8 = 48 devices
  assert.equal(totalDevices(buildClusterState(fleet)), 48);
  assert.deepEqual(fleet.sites[1].residency, ["kr", "kr-busan"]);
});

test("invalid-many-errors.yaml: every error at once, with file:line and path", () => {
  const file = fixture("invalid-many-errors.yaml");
  const details = detailsOf(() => loadFleetFile(file));
  const n = "sites[0].racks[0].domains[0].nodes";
  const m = "sites[1].racks[0].domains[1].nodes";
  assert.deepEqual(details, [
    `${file}:5 deviceTypes[1].id: duplicate device type id "nvidia-h100-80g" (first at deviceTypes[0], line 4)`,
    `${file}:15 ${n}[0].deviceType: unknown device type "nvidia-h200" (declared: nvidia-h100-80g)`,
    // a missing key is reported where its mapping starts, the typo where it is
    `${file}:19 ${n}[1].devices: required key is missing`,
    `${file}:21 ${n}[1].devcies: unknown key (did you mean "devices"?)`,
    `${file}:29 sites[1].racks[0].domains[0].nodes: expected array, got string`,
    `${file}:34 ${m}[0].devices: expected an integer >= 0, got -1`,
    `${file}:42 ${m}[1].count: expected an integer >= 1 and <= 1000000, got 0`,
  ]);
});

test("the error message counts the problems and names the file", () => {
  assert.throws(
    () => loadFleetFile(fixture("invalid-many-errors.yaml")),
    (e: unknown) =>
      e instanceof GongjangError &&
      /invalid-many-errors\.yaml: 7 errors in fleet file$/.test(e.message),
  );
});

// Each row: one bad node entry (always on line 6) → the one detail expected.
const P = "sites[0].racks[0].domains[0].nodes[0]";
const NODE_CASES: { name: string; node: string; detail: string }[] = [
  {
    name: "devices must be an integer",
    node: "{ id: a, deviceType: gpu, devices: 2.5, cpu: 8, memoryGiB: 64 }",
    detail: `t.yaml:6 ${P}.devices: expected an integer >= 0, got 2.5`,
  },
  {
    name: "devices > 0 needs a device type",
    node: "{ id: a, devices: 8, cpu: 8, memoryGiB: 64 }",
    detail: `t.yaml:6 ${P}.deviceType: required when devices > 0 (devices is 8)`,
  },
  {
    name: "cpu is checked to the milli-core",
    node: "{ id: a, devices: 0, cpu: 0.0001, memoryGiB: 64 }",
    detail: `t.yaml:6 ${P}.cpu: expected a multiple of 0.001 cores, got 0.0001`,
  },
  {
    name: "cpu must be a number",
    node: "{ id: a, devices: 0, cpu: lots, memoryGiB: 64 }",
    detail: `t.yaml:6 ${P}.cpu: expected number, got string`,
  },
  {
    name: "memory must be positive",
    node: "{ id: a, devices: 0, cpu: 8, memoryGiB: 0 }",
    detail: `t.yaml:6 ${P}.memoryGiB: expected a number > 0, got 0`,
  },
  {
    name: "ids are plain",
    node: "{ id: a/b, devices: 0, cpu: 8, memoryGiB: 64 }",
    detail: `t.yaml:6 ${P}.id: invalid id "a/b" (letters, digits, ".", "_", "-"; starts alphanumeric)`,
  },
  {
    name: "an unknown key far from any known one lists the keys",
    node: "{ id: a, devices: 0, cpu: 8, memoryGiB: 64, colour: red }",
    detail: `t.yaml:6 ${P}.colour: unknown key (expected one of: id, devices, cpu, memoryGiB, deviceType, count)`,
  },
  {
    name: "count expansion that collides with itself is caught",
    node: "{ id: a, devices: 0, cpu: 8, memoryGiB: 64, count: 2 }, { id: a-1, devices: 0, cpu: 8, memoryGiB: 64 }",
    detail: `t.yaml:6 sites[0].racks[0].domains[0].nodes[1].id: node id "a-1" is already used at ${P} (line 6)`,
  },
];

for (const c of NODE_CASES) {
  test(`node check: ${c.name}`, () => {
    assert.deepEqual(
      detailsOf(() => parseFleetYaml(withNode(c.node), "t.yaml")),
      [c.detail],
    );
  });
}

test("a node entry without count keeps its id; count: 1 still suffixes", () => {
  const yaml = withNode(
    "{ id: a, devices: 0, cpu: 8, memoryGiB: 64 }, { id: b, devices: 0, cpu: 8, memoryGiB: 64, count: 1 }",
  );
  const ids = [...fleetNodes(parseFleetYaml(yaml, "t.yaml"))].map((n) => n.node.id);
  assert.deepEqual(ids, ["a", "b-0"]);
});

test("numeric ids keep their digits as written", () => {
  const yaml = withNode("{ id: 007, devices: 0, cpu: 1, memoryGiB: 1 }");
  assert.equal([...fleetNodes(parseFleetYaml(yaml, "t.yaml"))][0].node.id, "007");
});

test("node ids are unique fleet-wide, across sites", () => {
  const yaml = [
    "name: t",
    "deviceTypes: []",
    "sites:",
    "  - { id: s1, racks: [{ id: r, domains: [{ id: d, nodes: [{ id: n, devices: 0, cpu: 1, memoryGiB: 1 }] }] }] }",
    "  - { id: s2, racks: [{ id: r, domains: [{ id: d, nodes: [{ id: n, devices: 0, cpu: 1, memoryGiB: 1 }] }] }] }",
  ].join("\n");
  // racks/domains may repeat ids in different sites (ClusterState keys them by site); nodes may not
  assert.deepEqual(
    detailsOf(() => parseFleetYaml(yaml, "t.yaml")),
    [
      't.yaml:5 sites[1].racks[0].domains[0].nodes[0].id: node id "n" is already used at sites[0].racks[0].domains[0].nodes[0] (line 4)',
    ],
  );
});

// Whole-document problems → expected details.
const DOC_CASES: { name: string; yaml: string; details: string[] }[] = [
  { name: "empty file", yaml: "", details: ["t.yaml:1 (root): expected object, got null"] },
  {
    name: "missing required keys are reported at the map's line",
    yaml: "name: t\n",
    details: [
      "t.yaml:1 deviceTypes: required key is missing",
      "t.yaml:1 sites: required key is missing",
    ],
  },
  {
    name: "duplicate keys name the first occurrence",
    yaml: "name: a\ndeviceTypes: []\nsites: []\nname: b\n",
    details: [
      "t.yaml:3 sites: expected at least one site",
      "t.yaml:4 name: duplicate key (first on line 1)",
    ],
  },
  {
    name: "device types need a positive speed",
    yaml: "name: t\ndeviceTypes:\n  - { id: x, vendor: v, memoryGiB: 8, speed: 0 }\nsites: []\n",
    details: [
      "t.yaml:3 deviceTypes[0].speed: expected a number > 0, got 0",
      "t.yaml:4 sites: expected at least one site",
    ],
  },
];

for (const c of DOC_CASES) {
  test(`document check: ${c.name}`, () => {
    assert.deepEqual(
      detailsOf(() => parseFleetYaml(c.yaml, "t.yaml")),
      c.details,
    );
  });
}

test("YAML syntax errors are GJ_ERR_FLEET_INVALID with their line", () => {
  // the unclosed flow map opened on line 3 is noticed at the end of input, line 4
  const details = detailsOf(() => parseFleetYaml("name: t\nsites: [\n  { id: a\n", "t.yaml"));
  assert.ok(details.length > 0);
  for (const d of details) assert.match(d, /^t\.yaml:4 \(yaml\): syntax error: /);
});

test("a missing file is GJ_ERR_FILE_NOT_FOUND", () => {
  assert.throws(
    () => loadFleetFile(fixture("no-such-fleet.yaml")),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_FILE_NOT_FOUND",
  );
});

test("the full example in docs/fleet-format.md is a valid fleet", () => {
  const doc = readFileSync(
    join(import.meta.dirname, "..", "..", "docs", "fleet-format.md"),
    "utf8",
  );
  const example = /```yaml\n([\s\S]*?)```/.exec(doc);
  assert.ok(example, "docs/fleet-format.md has a ```yaml block");
  const state = buildClusterState(parseFleetYaml(example[1], "docs/fleet-format.md"));
  // the counts the page states: 2 sites, 4 racks, 6 domains, 30 nodes
  assert.deepEqual(
    [state.siteIds.length, state.rackIds.length, state.domainIds.length, state.nodeCount],
    [2, 4, 6, 30],
  );
  // 8 × 8 H100 + 18 × 8 Vera Rubin + 2 × 8 ATOM = 64 + 144 + 16 = 224
  assert.equal(totalDevices(state), 224);
});

test("the error listing in docs/fleet-format.md is what the invalid fixture gives", () => {
  const doc = readFileSync(
    join(import.meta.dirname, "..", "..", "docs", "fleet-format.md"),
    "utf8",
  );
  const shown = [
    ...doc.matchAll(/^ {2}(src\/fleet\/fixtures\/invalid-many-errors\.yaml:.*)$/gm),
  ].map((m) => m[1]);
  const cwd = process.cwd();
  process.chdir(join(import.meta.dirname, "..", "..")); // the page shows a repository-relative path
  try {
    assert.deepEqual(
      shown,
      detailsOf(() => loadFleetFile("src/fleet/fixtures/invalid-many-errors.yaml")),
    );
  } finally {
    process.chdir(cwd);
  }
});
