/**
 * `gongjang submit FILE [--idempotency-key K]`: sends a job file (YAML or JSON; "-"
 * reads stdin) as the body of POST /v1/jobs. A field the API refuses is shown at its
 * line in the file: `error GJ_ERR_REQUEST_INVALID: must be <= 64 (at job.yaml:5 devices)`.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { type ClientEnv, clientAction, LocatedError } from "../../client/command.ts";
import { deviceSummary } from "../../client/format.ts";
import { ApiError } from "../../client/http.ts";
import { jsonText } from "../../client/io.ts";
import { type JobFile, readJobFile } from "../../client/job-file.ts";
import type { Job } from "../../client/types.ts";

interface SubmitOptions {
  readonly idempotencyKey?: string;
}

/** Adds `submit` to `program`. */
export function registerSubmit(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("submit")
    .description("submit a job file (YAML or JSON, - for stdin); see examples/jobs/")
    .argument("<file>", "job file: the JobSpec of POST /v1/jobs")
    .option(
      "--idempotency-key <key>",
      "resubmitting with the same key returns the first job instead of a second one",
    );
  clientAction<SubmitOptions, [string]>(cmd, env, async ({ api, io, opts }, file) => {
    const job = readJobFile(file, () => readFileSync(0, "utf8"));
    const headers: Record<string, string> =
      opts.idempotencyKey === undefined ? {} : { "idempotency-key": opts.idempotencyKey };
    let answer: { status: number; json: Job };
    try {
      answer = await api.request<Job>("POST", "/v1/jobs", { body: job.body, headers });
    } catch (err) {
      throw located(err, job);
    }
    io.out(opts.json ? jsonText(answer.json) : submittedText(answer.json, answer.status === 200));
  });
}

/** The human confirmation of a submit; `repeat` when an idempotency key matched an earlier job. */
export function submittedText(job: Job, repeat: boolean): string {
  const what = deviceSummary(job.spec, job.deviceType);
  const head = repeat
    ? `job ${job.id} (${job.name}) was already submitted with this idempotency key; it is ${job.state}`
    : `submitted job ${job.id} (${job.name}): ${what} on ${job.queue}, ${job.state}`;
  return `${head}\n  follow it: gongjang status ${job.id}   why it waits: gongjang explain ${job.id}\n`;
}

/** Pins an API error about a body field to its line in the job file. */
function located(err: unknown, job: JobFile): unknown {
  if (!(err instanceof ApiError) || err.path === undefined) return err;
  const line = job.lineOf(err.path);
  if (line === undefined) return err;
  const field = err.path.replace(/^body\.?/, "");
  return new LocatedError(err, `${job.name}:${line}${field === "" ? "" : ` ${field}`}`);
}
