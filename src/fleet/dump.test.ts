import assert from "node:assert/strict";
import { test } from "node:test";
import { fleetYaml } from "./dump.ts";
import { loadFleet, parseFleetYaml } from "./index.ts";

test("fleetYaml writes what parseFleetYaml reads back to an equal fleet", () => {
  for (const name of ["demo-ai-factory", "synthetic:3x8"]) {
    const fleet = loadFleet(name);
    const text = fleetYaml(fleet, ["a comment"]);
    assert.ok(text.startsWith("# a comment\n"));
    assert.deepEqual(parseFleetYaml(text, `${name}.yaml`), fleet);
  }
});
