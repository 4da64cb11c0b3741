import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Command, CommanderError } from "commander";
import { GongjangError } from "../../core/errors.ts";
import type { SimResult } from "../../sim/result.ts";
import { registerSimulate } from "./simulate.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const TRACE = join(ROOT, "src", "trace", "tiresias", "fixtures", "60_job.csv");
const BASE = ["simulate", "--fleet", "demo-ai-factory", "--trace", TRACE];

/** Runs `gongjang <args>` in-process against `simulate` only; returns stdout and stderr. */
async function run(...args: string[]): Promise<{ out: string; err: string }> {
  let out = "";
  let err = "";
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSimulate(
    program,
    (text) => {
      out += text;
    },
    (text) => {
      err += text;
    },
  );
  await program.parseAsync(["node", "gongjang", ...args]);
  return { out, err };
}

test("simulate: one aligned row per policy", async () => {
  const { out } = await run(...BASE, "--policy", "fgd,bestfit");
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 3);
  assert.match(
    lines[0],
    /^policy +jobs +completed +rejected +JCT mean +JCT p95 +wait mean +wait p95 +makespan +alloc +frag +Jain$/,
  );
  assert.match(lines[1], /^fgd +60 +60 +0 /);
  assert.match(lines[2], /^bestfit +60 +60 +0 /);
  // Columns line up: every line is as long as the header.
  for (const l of lines) assert.equal(l.length, lines[0].length);
});

test("simulate --json: a SimResult per policy, same seed, byte-identical on re-run", async () => {
  const { out } = await run(...BASE, "--policy", "random,fgd,random", "--seed", "7", "--json");
  const results = JSON.parse(out) as SimResult[];
  // Duplicates run once; order is as given.
  assert.deepEqual(
    results.map((r) => [r.policy, r.seed, r.trace, r.metrics.jobs]),
    [
      ["random", 7, "60_job.csv", 60],
      ["fgd", 7, "60_job.csv", 60],
    ],
  );
  assert.equal((await run(...BASE, "--policy", "random,fgd", "--seed", "7", "--json")).out, out);
});

test("simulate --until stops the clock", async () => {
  const [r] = JSON.parse(
    (await run(...BASE, "--policy", "bestfit", "--until", "600", "--json")).out,
  ) as SimResult[];
  assert.ok(r.metrics.unfinished > 0);
  assert.ok(r.metrics.timeline.at(-1)!.t <= 600);
});

test("simulate --out writes <policy>.json and report.html", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gj-sim-"));
  const { out } = await run(...BASE, "--policy", "fgd,bestfit", "--out", dir);
  assert.match(out, /wrote fgd\.json, bestfit\.json and report\.html/);
  const fgd = JSON.parse(readFileSync(join(dir, "fgd.json"), "utf8")) as SimResult;
  assert.equal(fgd.policy, "fgd");
  assert.equal(fgd.seed, 42); // the default seed
  const html = readFileSync(join(dir, "report.html"), "utf8");
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /bestfit/);
});

test("table: bad options are coded errors, thrown before any run", async () => {
  const cases: [string[], string, RegExp][] = [
    [["--policy", "fgd,nope"], "GJ_ERR_POLICY_UNKNOWN", /unknown policy "nope"; known: random, /],
    [["--policy", "fgd,"], "GJ_ERR_ARGUMENT", /--policy: empty item/],
    [["--policy", "fgd", "--seed", "-1"], "GJ_ERR_ARGUMENT", /--seed/],
    [["--policy", "fgd", "--until", "soon"], "GJ_ERR_ARGUMENT", /--until/],
  ];
  for (const [args, code, message] of cases) {
    await assert.rejects(
      run(...BASE, ...args),
      (e: unknown) => e instanceof GongjangError && e.code === code && message.test(e.message),
      args.join(" "),
    );
  }
  await assert.rejects(run(...BASE, "--policy", "fgd", "--queue", "lifo"), CommanderError);
  // --fleet is required unless --scenario is given
  await assert.rejects(
    run("simulate", "--trace", TRACE, "--policy", "fgd"),
    (e: unknown) =>
      e instanceof GongjangError && e.code === "GJ_ERR_ARGUMENT" && /--fleet/.test(e.message),
  );
  await assert.rejects(
    run("simulate", "--scenario", "demo-ai-factory", "--policy", "fifo,nope"),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_POLICY_UNKNOWN",
  );
  await assert.rejects(
    run("simulate", "--scenario", "no-such-scenario"),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_SCENARIO_UNKNOWN",
  );
});

test("simulate: a missing trace file is GJ_ERR_FILE_NOT_FOUND", async () => {
  await assert.rejects(
    run(
      "simulate",
      "--fleet",
      "demo-ai-factory",
      "--trace",
      join(ROOT, "no-such.csv"),
      "--policy",
      "fgd",
    ),
    (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_FILE_NOT_FOUND",
  );
});

test("simulate --capacity: failed nodes requeue their jobs", async () => {
  const capacity = join(ROOT, "src", "cli", "fixtures", "capacity.csv");
  const { out } = await run(...BASE, "--policy", "firstfit", "--capacity", capacity, "--json");
  const [result] = JSON.parse(out) as SimResult[];
  // FirstFit fills vr1-00 first; it fails at 100 s, so its jobs restart elsewhere,
  // and it returns at 1,800 s: all 60 jobs still finish.
  assert.ok(result.metrics.restarts > 0, `restarts: ${result.metrics.restarts}`);
  assert.equal(result.metrics.completed, 60);
});
