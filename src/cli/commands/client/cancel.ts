/**
 * `gongjang cancel ID [ID...]`: POST /v1/jobs/:id/cancel for each. A pending job ends
 * cancelled at once; a running one is stopping until its executor confirms. Every id
 * is tried; the exit code is that of the last failure.
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { ApiError } from "../../client/http.ts";
import { jsonText, reportError } from "../../client/io.ts";
import type { Job } from "../../client/types.ts";

/** A job id argument: a positive integer; GJ_ERR_ARGUMENT otherwise. */
export function jobId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `expected a job id (a positive integer), got "${value}"`,
      {
        path: "id",
      },
    );
  return n;
}

/** Adds `cancel` to `program`. */
export function registerCancel(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("cancel")
    .description("cancel jobs: pending ones at once, running ones after they stop")
    .argument("<id...>", "job ids");
  clientAction<object, [string[]]>(cmd, env, async ({ api, io, opts }, ids) => {
    const numbers = ids.map(jobId);
    const done: Job[] = [];
    for (const id of numbers) {
      try {
        const job = await api.post<Job>(`/v1/jobs/${id}/cancel`);
        done.push(job);
        if (!opts.json) io.out(cancelledText(job));
      } catch (err) {
        // One unknown or finished id must not keep the others from being cancelled.
        if (numbers.length === 1 || !(err instanceof ApiError)) throw err;
        reportError(io, err, `job ${id}`);
      }
    }
    if (opts.json) io.out(jsonText({ items: done }));
  });
}

/** "job 42 (llm-finetune): cancelled" or "…: stopping (cancelled once its executor confirms)". */
export function cancelledText(job: Job): string {
  const state =
    job.state === "stopping" ? "stopping (cancelled once its executor confirms)" : job.state;
  return `job ${job.id} (${job.name}): ${state}\n`;
}
