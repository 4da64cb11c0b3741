import assert from "node:assert/strict";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import { parseJobFile, pathKeys } from "./job-file.ts";

const YAML = `# a comment
queue: hyundai/llm
devices: 8
deviceTypes:
  - nvidia-h100-80g
  - rebellions-atom
topology:
  level: domain
  required: true
duration: 600
`;

test("a YAML job file becomes the request body", () => {
  const f = parseJobFile(YAML, "job.yaml");
  assert.deepEqual(f.body, {
    queue: "hyundai/llm",
    devices: 8,
    deviceTypes: ["nvidia-h100-80g", "rebellions-atom"],
    topology: { level: "domain", required: true },
    duration: 600,
  });
});

test("JSON is read too", () => {
  const f = parseJobFile('{"queue": "snu/gsai", "duration": 60}', "job.json");
  assert.deepEqual(f.body, { queue: "snu/gsai", duration: 60 });
});

test("API error paths map to lines of the file", () => {
  const f = parseJobFile(YAML, "job.yaml");
  const cases: [string | undefined, number | undefined][] = [
    ["body.devices", 3], // schema errors: body.<field>
    ["deviceTypes[1]", 6], // admission errors: field[index]
    ["body.deviceTypes.1", 6],
    ["body.topology.level", 8],
    ["body.topology.nope", 8], // missing key: its parent's line
    ["body", undefined], // the whole body: no single line
    [undefined, undefined],
  ];
  for (const [path, line] of cases) assert.equal(f.lineOf(path), line, String(path));
});

test("pathKeys", () => {
  assert.deepEqual(pathKeys("body.a.b"), ["a", "b"]);
  assert.deepEqual(pathKeys("a[2].b"), ["a", 2, "b"]);
  assert.deepEqual(pathKeys("body"), []);
});

test("syntax errors and non-mappings carry file:line", () => {
  assert.throws(
    () => parseJobFile("queue: a\ndevices: [8\nduration: 1\n", "bad.yaml"),
    (e: unknown) =>
      e instanceof GongjangError &&
      e.code === "GJ_ERR_WORKLOAD_INVALID" &&
      e.location.file === "bad.yaml" &&
      typeof e.location.line === "number",
  );
  assert.throws(
    () => parseJobFile("- a\n- b\n", "list.yaml"),
    (e: unknown) => e instanceof GongjangError && /expected a mapping/.test(e.text),
  );
});
