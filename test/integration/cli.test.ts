// The client commands as a user runs them: the real CLI in a child process against a
// real service on a loopback port. The scheduler is driven by ctx.loop.tickNow().
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../support/cli.ts";
import { type TestService, testService } from "../support/service.ts";

const NODE = join(ROOT, "node_modules", ".bin", "node");
const MAIN = join(ROOT, "src", "cli", "main.ts");
const FINETUNE = join(ROOT, "examples", "jobs", "llm-finetune.yaml");
const NOTEBOOK = join(ROOT, "examples", "jobs", "notebook.yaml");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `gongjang ARGS` in `cwd` (a scratch directory, so no .gongjang/admin-token is
 * found unless a test puts one there). Asynchronous: the service answers from this
 * same process.
 */
function cli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<Run> {
  const clean = { ...process.env };
  delete clean.GONGJANG_SERVER;
  delete clean.GONGJANG_TOKEN;
  return new Promise((resolve) => {
    const child = execFile(
      NODE,
      [MAIN, ...args],
      { cwd, env: { ...clean, ...env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? "");
  });
}

async function setup(t: { after: (fn: () => Promise<void> | void) => void }) {
  const svc: TestService = await testService("sqlite");
  const dir = mkdtempSync(join(tmpdir(), "gj-cli-"));
  t.after(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const conn = ["--server", svc.url, "--token", svc.admin];
  return { svc, dir, run: (...args: string[]) => cli(dir, [...args, ...conn]) };
}

test("submit → queue → status → explain → cancel → usage → token create", async (t) => {
  const { svc, dir, run } = await setup(t);

  const a = await run("submit", FINETUNE);
  assert.equal(a.code, 0, a.stderr);
  assert.match(
    a.stdout,
    /^submitted job 1 \(llm-7b-finetune\): 2×8 h100 on hyundai\/llm, pending\n/,
  );
  // 16 × 8 H100 = all 128 in the fleet; with job 1 holding 16 it has to wait.
  const big = join(dir, "big.yaml");
  writeFileSync(
    big,
    "queue: hyundai/llm\nname: big-pretrain\nmembers: 16\ndevices: 8\ndeviceTypes: [nvidia-h100-80g]\nduration: 86400\n",
  );
  const b = await run("submit", big, "--idempotency-key", "big-1");
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /^submitted job 2 \(big-pretrain\)/);
  const again = await run("submit", big, "--idempotency-key", "big-1");
  assert.match(again.stdout, /^job 2 \(big-pretrain\) was already submitted/);
  await svc.ctx.loop.tickNow();

  const q = await run("queue");
  assert.equal(q.code, 0, q.stderr);
  const lines = q.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^ID +NAME +QUEUE +USER +STATE +DEVICES +WAITED\/RAN +ETA +REASON$/);
  assert.match(
    lines[1],
    /^ +1 +llm-7b-finetune +hyundai\/llm +\S+ +running +2×8 h100 +\d+s +- +-$/,
  );
  // ETA: "…" until the background forecaster has run, then a time.
  assert.match(
    lines[2],
    /^ +2 +big-pretrain +hyundai\/llm +\S+ +pending +16×8 h100 +\d+s +\S+ +\S/,
  );
  assert.equal(lines.length, 3);
  const qj = await run("queue", "--json", "--state", "pending");
  assert.deepEqual(
    JSON.parse(qj.stdout).items.map((j: { id: number }) => j.id),
    [2],
  );

  const s = await run("status", "1");
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^job 1 llm-7b-finetune\n/);
  assert.match(s.stdout, /state: +running/);
  assert.match(s.stdout, /placement: +h100-\d+ \[0-7\], h100-\d+ \[0-7\]/);
  assert.match(s.stdout, /submitted +user=admin\n.* started +attempt=1/s);

  const overview = await run("status");
  assert.equal(overview.code, 0, overview.stderr);
  assert.match(overview.stdout, /^fleet demo-ai-factory: \d+ nodes \(\d+ up\)/);
  assert.match(overview.stdout, /nvidia-h100-80g +128 +16 +112 /); // 2 × 8 of 128 held
  assert.match(overview.stdout, /hyundai\/llm +1 +1 /);

  const f = await run("forecast", "2");
  assert.equal(f.code, 0, f.stderr);
  // 128 H100 > hyundai/llm's 8 guaranteed + 16 borrowable: never, once computed.
  assert.match(f.stdout, /^job 2: (no forecast yet \(computing\)|never starts on this fleet\n)/);

  const e = await run("explain", "2");
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /^job 2 \(pending\): \S/);
  assert.ok(e.stdout.trimEnd().split("\n").length >= 2, e.stdout);

  const c = await run("cancel", "2");
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.stdout, "job 2 (big-pretrain): cancelled\n");
  const c2 = await run("cancel", "2");
  assert.equal(c2.code, 3);
  assert.match(c2.stderr, /^error GJ_ERR_JOB_FINISHED: job 2 already cancelled \(at id\)\n/);

  const day = 86_400_000;
  const u = await run(
    "usage",
    "--from",
    new Date(Date.now() - day).toISOString(),
    "--to",
    new Date(Date.now() + day).toISOString(),
    "--by",
    "tenant,type",
  );
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stdout, /^usage .* in device-hours/);
  assert.match(u.stdout, /TENANT +DEVICE TYPE +DEVICE-HOURS +RUNS/);
  assert.match(u.stdout, /hyundai +nvidia-h100-80g +\d[\d.,]* +1\n/);
  assert.match(u.stdout, /TOTAL +\d[\d.,]* +1\n$/);
  const csv = await run("usage", "--format", "csv", "--by", "tenant");
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout, /^tenant,/);

  const tok = await run(
    "token",
    "create",
    "--name",
    "alice",
    "--role",
    "member",
    "--tenant",
    "hyundai",
  );
  assert.equal(tok.code, 0, tok.stderr);
  const secret = /token: (gj_\S+)/.exec(tok.stdout)?.[1];
  assert.ok(secret !== undefined, tok.stdout);
  // The new token works, through the environment this time.
  const mine = await cli(dir, ["queue", "--all"], {
    GONGJANG_SERVER: svc.url,
    GONGJANG_TOKEN: secret,
  });
  assert.equal(mine.code, 0, mine.stderr);
  assert.match(mine.stdout, /llm-7b-finetune/);
  const list = await run("token", "list");
  assert.match(list.stdout, /alice +member +hyundai/);
});

test("a job file's mistakes point at file:line; - reads stdin", async (t) => {
  const { svc, dir, run } = await setup(t);
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "queue: hyundai/llm\ndevices: [8\nduration: 60\n");
  const syntax = await run("submit", bad);
  assert.equal(syntax.code, 3, syntax.stderr);
  assert.match(
    syntax.stderr,
    new RegExp(`^error GJ_ERR_WORKLOAD_INVALID: syntax error: .* \\(at ${bad}:\\d\\)`),
  );
  writeFileSync(bad, "queue: hyundai/llm\nname: x\ndevices: 80\nduration: 60\n");
  const schema = await run("submit", bad);
  assert.equal(schema.code, 3, schema.stderr);
  assert.match(
    schema.stderr,
    new RegExp(`^error GJ_ERR_REQUEST_INVALID: .* \\(at ${bad}:3 devices\\)\n`),
  );
  writeFileSync(bad, "queue: hyundai/llm\ndevices: 1\ndeviceTypes: [nvidia-h200]\nduration: 60\n");
  const admit = await run("submit", bad);
  assert.match(
    admit.stderr,
    new RegExp(
      `^error GJ_ERR_REQUEST_INVALID: unknown device type .* \\(at ${bad}:3 deviceTypes\\[0\\]\\)`,
    ),
  );
  // "-" reads the file from stdin; nothing refused, nothing to point at.
  const piped = await cli(
    dir,
    ["submit", "-", "--server", svc.url, "--token", svc.admin],
    {},
    readFileSync(NOTEBOOK, "utf8"),
  );
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(
    piped.stdout,
    /^submitted job 1 \(jupyter-kim\): 0\.25 h100 on snu\/gsai, pending\n/,
  );
  const missing = await run("submit", join(dir, "nope.yaml"));
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /^error GJ_ERR_FILE_NOT_FOUND: job file not found/);
});

test("token from .gongjang/admin-token, no token, bad token, unreachable server", async (t) => {
  const { svc, dir } = await setup(t);
  const none = await cli(dir, ["queue", "--server", svc.url]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^error GJ_ERR_UNAUTHENTICATED: .*\n {2}no token was given/);
  const wrong = await cli(dir, ["queue", "--server", svc.url, "--token", "gj_nope"]);
  assert.equal(wrong.code, 2);
  // A port nothing listens on: the service's, once it is closed.
  const closed = await testService("sqlite");
  const url = closed.url;
  await closed.close();
  const down = await cli(dir, ["status", "--server", url]);
  assert.equal(down.code, 5);
  assert.equal(
    down.stderr.split("\n")[0],
    `error GJ_ERR_SERVER_UNREACHABLE: cannot reach ${url} (ECONNREFUSED); is \`gongjang serve\` running there? Set --server or GONGJANG_SERVER`,
  );
  mkdirSync(join(dir, ".gongjang"));
  writeFileSync(join(dir, ".gongjang", "admin-token"), `${svc.admin}\n`);
  const fallback = await cli(dir, ["queue"], { GONGJANG_SERVER: svc.url });
  assert.equal(fallback.code, 0, fallback.stderr);
  assert.equal(fallback.stdout, "no jobs\n");
  assert.match(fallback.stderr, /^note: using the admin token from \.gongjang\/admin-token/);
});
