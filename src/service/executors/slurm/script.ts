/**
 * Turns one gongjang execution (a placed gang) into one Slurm batch job.
 *
 * The allocation is the whole gang, so Slurm grants it all at once or not at all:
 * one task per member, laid out on exactly the placed nodes with
 * `--distribution=arbitrary` (SLURM_HOSTFILE lists each member's node), and
 * `--gpus-per-task` so a node hosting three members gets three members' GPUs. The
 * batch script then starts one `srun` step per member pinned to its node with its own
 * `--gres`, so each member sees only its GPUs in CUDA_VISIBLE_DEVICES. If any member
 * fails the script stops the others and exits with that member's status: a gang
 * lives and dies together. Why this shape and not a heterogeneous job: README.md.
 */
import type { ExecJob } from "../types.ts";

export interface SubmitOptions {
  /** Directory (on a filesystem the nodes share) for `${jobId}.${attempt}.log`. */
  readonly logDir: string;
  readonly partition?: string;
  readonly account?: string;
  /** Slurm GRES type for a gongjang device type (`nvidia-h100-80g` → `h100`); null: untyped. */
  readonly gresType?: (deviceType: string) => string | null;
  /** When set, `--time` = duration × this factor (rounded up to minutes); else no limit. */
  readonly timeLimitFactor?: number;
  /**
   * The store's deployment id (normally set through `Executor.attach`). It goes into
   * every job's comment, so deployments sharing one Slurm cluster (or a test run after
   * an earlier one, with the same job ids) never adopt or cancel each other's jobs.
   */
  readonly deployment?: string;
}

export interface Submission {
  readonly args: readonly string[];
  readonly script: string;
  /** Contents of SLURM_HOSTFILE: one line per member, its node. */
  readonly hostfile: string;
}

/** The key an execution carries in Slurm: `${jobId}.${attempt}`. */
export function execKey(jobId: string, attempt: number): string {
  return `${jobId}.${attempt}`;
}

/** Slurm `--comment` that marks a job as this deployment's and names its execution. */
export function commentOf(deployment: string, key: string): string {
  return `gongjang ${deployment} ${key}`;
}

/** The execution key a job's comment names, or null for a job that is not this deployment's. */
export function keyOfComment(comment: string, deployment: string): string | null {
  const prefix = `gongjang ${deployment} `;
  return comment.startsWith(prefix) ? comment.slice(prefix.length) : null;
}

/**
 * Default device type → GRES type: the model word of the id, i.e. the first word
 * after the vendor (`nvidia-h100-80g` → `h100`, `rebellions-atom` → `atom`).
 */
export function defaultGresType(deviceType: string): string | null {
  return deviceType.split("-")[1] ?? null;
}

/** Single-quotes `s` for POSIX shells. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Builds the sbatch arguments, batch script and hostfile for `job`. Members' device
 * counts come from `devices.length`; a fractional member (deviceMilli < 1000) asks for
 * a whole GPU, since Slurm cannot share one without MPS or shards configured.
 * Slurm picks the GPU indices on each node: gongjang's chosen indices are not forced.
 */
export function buildSubmission(job: ExecJob, opts: SubmitOptions): Submission {
  if (job.members.length === 0) throw new Error(`job ${job.jobId} has no members`);
  if (opts.deployment === undefined) throw new Error("the Slurm executor has no deployment id");
  const key = execKey(job.jobId, job.attempt);
  const gpus = Math.max(...job.members.map((m) => m.devices.length));
  const type = job.members.find((m) => m.deviceType !== null)?.deviceType ?? null;
  const gresType = type === null ? null : (opts.gresType ?? defaultGresType)(type);
  const typed = gresType === null ? `${gpus}` : `${gresType}:${gpus}`;
  const nodes = [...new Set(job.members.map((m) => m.node))];
  const args = [
    `--job-name=gj-${key}`,
    `--comment=${commentOf(opts.deployment, key)}`,
    // Node failure ends the job (NODE_FAIL → lost): gongjang, not Slurm, re-places it.
    "--no-requeue",
    `--ntasks=${job.members.length}`,
    `--nodes=${nodes.length}`,
    `--nodelist=${nodes.join(",")}`,
    "--distribution=arbitrary",
    `--output=${opts.logDir}/${key}.log`,
    ...(gpus > 0 ? [`--gpus-per-task=${typed}`] : []),
    ...(opts.partition === undefined ? [] : [`--partition=${opts.partition}`]),
    ...(opts.account === undefined ? [] : [`--account=${opts.account}`]),
    ...(opts.timeLimitFactor === undefined
      ? []
      : [`--time=${Math.max(1, Math.ceil((job.duration * opts.timeLimitFactor) / 60))}`]),
  ];
  return {
    args,
    script: batchScript(job, gresType, gpus),
    hostfile: `${job.members.map((m) => m.node).join("\n")}\n`,
  };
}

function batchScript(job: ExecJob, gresType: string | null, gpus: number): string {
  const command = job.command ?? `sleep ${Math.max(0, Math.round(job.duration))}`;
  const gres = gpus === 0 ? "" : ` --gres=gpu:${gresType === null ? "" : `${gresType}:`}${gpus}`;
  const env = Object.entries({
    ...job.env,
    GJ_JOB_ID: job.jobId,
    GJ_ATTEMPT: String(job.attempt),
    GJ_TENANT: job.tenant,
    GJ_QUEUE: job.queue,
    GJ_GANG_SIZE: String(job.members.length),
  })
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const steps = job.members.map(
    (m, i) =>
      `member ${i} --nodes=1 --ntasks=1 --exact --nodelist=${m.node}${gres} --export=ALL,GJ_MEMBER=${i} &`,
  );
  return [
    "#!/bin/bash",
    `# gongjang ${execKey(job.jobId, job.attempt)}: one srun step per gang member.`,
    ...env,
    `GJ_COMMAND=${shellQuote(command)}`,
    "# The first member to fail ends the gang: its status becomes the script's, and the",
    "# script exiting makes Slurm end the job's other steps.",
    'first="$(mktemp -u)"',
    'fail() { read -r status < "$first"; rm -f "$first"; exit "$status"; }',
    "trap fail USR1",
    "member() {",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
    '  srun "${@:2}" /bin/sh -c "$GJ_COMMAND"; local rc=$?',
    '  if [ "$rc" -ne 0 ] && (set -C; echo "$rc" > "$first") 2>/dev/null; then kill -USR1 $$; fi',
    "}",
    ...steps,
    "wait",
    '[ -f "$first" ] && fail',
    "exit 0",
    "",
  ].join("\n");
}
