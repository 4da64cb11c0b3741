/**
 * A thin client over Slurm's command-line tools: `sbatch --parsable`, `squeue --json`,
 * `scancel`, `sinfo --json`, `sacct --json`. The CLI rather than slurmrestd because it is what every
 * Slurm site has, needs no token setup, and its JSON in 22.05 is the same OpenAPI
 * v0.0.38 document slurmrestd serves (see README.md).
 *
 * Commands see a small, explicit environment (PATH, HOME, USER, LANG and SLURM_*), so
 * sbatch's default `--export=ALL` never hands the service's own secrets to a job.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { GongjangError } from "../../../core/errors.ts";
import { parseSinfoJson, parseSqueueJson, type SlurmJob, type SlurmNode } from "./parse.ts";
import { parseSacctJson, type SacctJob, sacctTime } from "./sacct.ts";

export interface SlurmCliOptions {
  /** Directory of the Slurm binaries; default: found on PATH. */
  readonly binDir?: string;
  /** Base environment; default this process's, reduced to what Slurm needs. */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Which jobs `accounting()` asks sacct for; times are epoch ms. */
export interface AccountingQuery {
  /** Jobs that were pending or running at or after this time (sacct -S). */
  readonly since?: number;
  /** … and at or before this one (sacct -E). */
  readonly until?: number;
  /** Only these Slurm job ids (sacct -j). */
  readonly ids?: readonly string[];
}

/** Result of a submission: an id, or Slurm's reason for refusing the job outright. */
export type Submitted = { readonly id: string } | { readonly refused: string };

const PASS_THROUGH = /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|SLURM_[A-Z_]+|MUNGE_[A-Z_]+)$/;

export class SlurmCli {
  readonly #opts: SlurmCliOptions;

  constructor(opts: SlurmCliOptions = {}) {
    this.#opts = opts;
  }

  /** The environment Slurm commands run with, plus `extra`. */
  env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const base = this.#opts.env ?? process.env;
    const kept = Object.entries(base).filter(([k, v]) => PASS_THROUGH.test(k) && v !== undefined);
    return { ...Object.fromEntries(kept), ...extra };
  }

  /**
   * Runs `sbatch --parsable args…` with `script` on stdin. Resolves with the job id, or
   * with `refused` when sbatch rejected the job itself ("Batch job submission failed"),
   * which retrying cannot fix. Rejects with GJ_ERR_SLURM_COMMAND for anything else
   * (sbatch missing, controller unreachable).
   */
  async submit(
    args: readonly string[],
    script: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<Submitted> {
    try {
      const out = await this.run("sbatch", ["--parsable", ...args], script, env);
      const id = out.trim().split(";")[0];
      if (!/^\d+$/.test(id))
        throw new GongjangError(
          "GJ_ERR_SLURM_OUTPUT",
          `sbatch printed no job id: ${out.slice(0, 120)}`,
          {
            file: "sbatch --parsable",
          },
        );
      return { id };
    } catch (e) {
      const m =
        e instanceof GongjangError ? /Batch job submission failed: (.*)/.exec(e.message) : null;
      if (m !== null) return { refused: m[1].trim() };
      throw e;
    }
  }

  /** Every job the controller still remembers (pending, running and ended within MinJobAge). */
  async jobs(): Promise<SlurmJob[]> {
    return parseSqueueJson(await this.run("squeue", ["--json", "--states=all"]));
  }

  /** Signals `ids` to end (scancel); ids that already ended are not an error. */
  async cancel(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run("scancel", [...ids]);
  }

  /**
   * Jobs from Slurm's accounting database (`sacct --json`; needs slurmdbd). With
   * neither window nor ids sacct's own default applies (since midnight). Reused job ids
   * (a cluster whose ids were reset) all come back (--duplicates): tell them apart by
   * comment. GJ_ERR_SLURM_COMMAND where accounting is disabled or slurmdbd is down.
   */
  async accounting(q: AccountingQuery = {}): Promise<SacctJob[]> {
    const args = ["--json", "--duplicates"];
    if (q.since !== undefined) args.push(`--starttime=${sacctTime(q.since)}`);
    if (q.until !== undefined) args.push(`--endtime=${sacctTime(q.until)}`);
    if (q.ids !== undefined) {
      if (q.ids.length === 0) return [];
      args.push(`--jobs=${q.ids.join(",")}`);
    }
    return parseSacctJson(await this.run("sacct", args));
  }

  /** Every node with its state, CPUs, memory, GRES and features. */
  async nodes(): Promise<SlurmNode[]> {
    return parseSinfoJson(await this.run("sinfo", ["--json"]));
  }

  /** Runs an arbitrary Slurm command (e.g. `scontrol update`) and resolves with stdout. */
  run(
    cmd: string,
    args: readonly string[],
    stdin?: string,
    extraEnv: Readonly<Record<string, string>> = {},
  ): Promise<string> {
    const bin = this.#opts.binDir === undefined ? cmd : join(this.#opts.binDir, cmd);
    const line = `${cmd} ${args.join(" ")}`.slice(0, 120);
    return new Promise((resolve, reject) => {
      const child = execFile(
        bin,
        args,
        { env: this.env(extraEnv), timeout: this.#opts.timeoutMs ?? 30_000, maxBuffer: 256 << 20 },
        (err, stdout, stderr) => {
          if (err === null) return resolve(stdout);
          const code = (err as NodeJS.ErrnoException).code;
          const why =
            code === "ENOENT"
              ? `${cmd} not found${this.#opts.binDir === undefined ? " on PATH" : ` in ${this.#opts.binDir}`}`
              : err.killed
                ? "timed out"
                : `exited with ${err.code ?? err.signal}: ${stderr.trim().split("\n").join("; ")}`;
          reject(new GongjangError("GJ_ERR_SLURM_COMMAND", why, { file: line }));
        },
      );
      child.stdin?.end(stdin ?? "");
    });
  }
}
