import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { ExecJob } from "../types.ts";
import { buildSubmission, defaultGresType, keyOfComment, shellQuote } from "./script.ts";

const gang: ExecJob = {
  jobId: "j-7",
  attempt: 2,
  tenant: "lab",
  queue: "lab/train",
  command: "python train.py --name 'it''s'",
  env: { WANDB_MODE: "offline", "bad-name": "x" },
  duration: 3600,
  startedAt: 0,
  members: [
    { node: "n1", devices: [0, 1], deviceMilli: 1000, deviceType: "nvidia-h100-80g" },
    { node: "n1", devices: [2, 3], deviceMilli: 1000, deviceType: "nvidia-h100-80g" },
    { node: "n2", devices: [0, 1], deviceMilli: 1000, deviceType: "nvidia-h100-80g" },
  ],
};

test("a gang is one job: a task per member on its node, GPUs per task", () => {
  const sub = buildSubmission(gang, {
    logDir: "/shared/logs",
    deployment: "d1",
    partition: "gpu",
    timeLimitFactor: 1.5,
  });
  assert.deepEqual(sub.args, [
    "--job-name=gj-j-7.2",
    "--comment=gongjang d1 j-7.2",
    "--no-requeue",
    "--ntasks=3",
    "--nodes=2",
    "--nodelist=n1,n2",
    "--distribution=arbitrary",
    "--output=/shared/logs/j-7.2.log",
    "--gpus-per-task=h100:2", // n1 hosts two members → 4 GPUs there, n2 → 2
    "--partition=gpu",
    "--time=90", // 3600 s × 1.5 = 90 min
  ]);
  assert.equal(sub.hostfile, "n1\nn1\nn2\n");
  assert.match(sub.script, /^#!\/bin\/bash\n/);
  assert.match(
    sub.script,
    /member 2 --nodes=1 --ntasks=1 --exact --nodelist=n2 --gres=gpu:h100:2 --export=ALL,GJ_MEMBER=2 &/,
  );
  assert.match(sub.script, /export WANDB_MODE='offline'\n/);
  assert.doesNotMatch(sub.script, /bad-name/); // not a shell variable name: dropped
});

test("the batch script runs every member and exits with the first failure", () => {
  const { script } = buildSubmission(gang, { logDir: "/tmp", deployment: "d1" });
  // Run the real script with a stand-in srun that drops its options and runs the command.
  const fakeSrun =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
    'srun() { local m; while [ "${1#--}" != "$1" ]; do case "$1" in --export=*) m="${1##*GJ_MEMBER=}";; esac; ' +
    'shift; done; GJ_MEMBER=$m "$@"; }\n';
  const body = script
    .replace("#!/bin/bash\n", fakeSrun)
    .replace(
      /GJ_COMMAND=.*\n/,
      `GJ_COMMAND='echo "m$GJ_MEMBER"; [ "$GJ_MEMBER" = 1 ] && exit 5; exit 0'\n`,
    );
  let status = 0;
  let out = "";
  try {
    out = execFileSync("bash", ["-c", body], { encoding: "utf8" });
  } catch (e) {
    status = (e as { status: number }).status;
    out = (e as { stdout: string }).stdout;
  }
  assert.equal(status, 5);
  assert.deepEqual(out.trim().split("\n").sort(), ["m0", "m1", "m2"]);
});

test("CPU-only work asks for no GPUs; a sim job without a command sleeps its duration", () => {
  const sub = buildSubmission(
    {
      ...gang,
      command: undefined,
      duration: 42,
      members: [{ node: "c1", devices: [], deviceMilli: 0, deviceType: null }],
    },
    { logDir: "/l", deployment: "d1" },
  );
  assert.ok(!sub.args.some((a) => a.startsWith("--gpus")));
  assert.doesNotMatch(sub.script, /--gres/);
  assert.match(sub.script, /GJ_COMMAND='sleep 42'/);
});

test("helpers", () => {
  assert.equal(defaultGresType("nvidia-h100-80g"), "h100");
  assert.equal(defaultGresType("rebellions-atom"), "atom");
  assert.equal(keyOfComment("gongjang d1 j-7.2", "d1"), "j-7.2");
  assert.equal(keyOfComment("gongjang d2 j-7.2", "d1"), null, "another deployment's job");
  assert.equal(keyOfComment("someone else's job", "d1"), null);
  assert.equal(
    execFileSync("sh", ["-c", `printf %s ${shellQuote("it's $HOME")}`], { encoding: "utf8" }),
    "it's $HOME",
  );
});
