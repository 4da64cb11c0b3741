import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCommand } from "../../../test/support/cli.ts";
import { GongjangError } from "../../core/errors.ts";
import { registerFleet } from "./fleet.ts";

const VALID = join("src", "fleet", "fixtures", "valid-small.yaml");
const INVALID = join("src", "fleet", "fixtures", "invalid-many-errors.yaml");

const run = (...args: string[]) => runCommand(registerFleet, ...args);

test("fleet validate: a valid file prints its totals", async () => {
  // 7 nodes: 4 × 8 H100 + 2 × 8 RNGD + 1 CPU-only = 48 devices
  assert.equal(
    await run("fleet", "validate", VALID),
    "ok: small: 2 sites, 2 racks, 3 domains, 7 nodes, 48 devices (nvidia-h100-80g 32, furiosa-rngd 16)\n",
  );
});

test("fleet validate: an invalid file throws GJ_ERR_FLEET_INVALID with every problem", async () => {
  await assert.rejects(
    run("fleet", "validate", INVALID),
    (e: unknown) =>
      e instanceof GongjangError &&
      e.code === "GJ_ERR_FLEET_INVALID" &&
      e.details.length === 7 &&
      e.details.every((d) => d.startsWith(`${INVALID}:`)),
  );
});

test("fleet show: text summary by type and site", async () => {
  const out = await run("fleet", "show", "demo-ai-factory");
  assert.match(out, /^fleet demo-ai-factory: 2 sites, .* 80 nodes, 608 devices \(/);
  assert.match(out, /pangyo \[kr, kr-gyeonggi\]: .* 352 devices/); // 288 VR + 64 RNGD
  assert.match(out, /nvidia-vr-nvl144 +nvidia +144 GiB +3\.50 +36 +288/);
});

test("fleet show --json: machine-readable summary", async () => {
  const s = JSON.parse(await run("fleet", "show", "openb", "--json"));
  assert.deepEqual([s.name, s.sites, s.nodes, s.devices], ["openb", 1, 1213, 6212]);
  assert.equal(s.deviceTypes.length, 7);
});

test("fleet show: an unknown name is GJ_ERR_FLEET_UNKNOWN", async () => {
  await assert.rejects(
    run("fleet", "show", "openbb"),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_FLEET_UNKNOWN",
  );
});

// The real binary, end to end. main.ts imports every command; while some are still
// being written it cannot start, and these tests skip rather than fail.
const node = join(ROOT, "node_modules", ".bin", "node");
const cli = (...args: string[]) =>
  spawnSync(node, ["src/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8" });
const mainRuns = cli("--help").status === 0;
const skip = mainRuns ? false : "src/cli/main.ts does not start yet (other commands missing)";

test("gongjang fleet validate <valid>: exit 0", { skip }, () => {
  const r = cli("fleet", "validate", VALID);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok: small: /);
});

test("gongjang fleet validate <invalid>: exit 3, every problem on stderr", { skip }, () => {
  const r = cli("fleet", "validate", INVALID);
  assert.equal(r.status, 3);
  assert.match(
    r.stderr,
    /GJ_ERR_FLEET_INVALID: .*invalid-many-errors\.yaml: 7 errors in fleet file/,
  );
  assert.match(
    r.stderr,
    /invalid-many-errors\.yaml:29 sites\[1\]\.racks\[0\]\.domains\[0\]\.nodes: expected array, got string/,
  );
});
