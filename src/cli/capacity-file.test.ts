import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../core/errors.ts";
import { demoAiFactoryFleet } from "../fleet/builtin/demo-ai-factory.ts";
import { readCapacityEvents } from "./capacity-file.ts";

const fixtures = join(import.meta.dirname, "fixtures");

test("reads capacity changes in file order", () => {
  const events = readCapacityEvents(join(fixtures, "capacity.csv"), demoAiFactoryFleet());
  assert.deepEqual(events, [
    { time: 3600, node: "h100-00", kind: "join" },
    { time: 100, node: "vr1-00", kind: "fail" },
    { time: 200, node: "vr1-01", kind: "leave" },
    { time: 1800, node: "vr1-00", kind: "join" },
  ]);
});

test("an unknown node is named with file:line", () => {
  const file = join(fixtures, "capacity-bad-node.csv");
  assert.throws(
    () => readCapacityEvents(file, demoAiFactoryFleet()),
    (e: unknown) =>
      e instanceof GongjangError &&
      e.code === "GJ_ERR_TRACE_ROW" &&
      e.message.includes(`${file}:3: column node: no node "vr9-99"`),
  );
});
