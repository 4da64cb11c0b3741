/**
 * `gongjang explain ID`: why a job waits (or where it runs, or why it ended), from
 * GET /v1/jobs/:id/explain: the summary, then one line per constraint. Lines that
 * alone keep the job from starting are marked "✗".
 */
import type { Command } from "commander";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { jsonText } from "../../client/io.ts";
import type { Explanation } from "../../client/types.ts";
import { jobId } from "./cancel.ts";

/** Adds `explain` to `program`. */
export function registerExplain(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("explain")
    .description("why a job is pending: quota, capacity, topology, queue order, …")
    .argument("<id>", "job id");
  clientAction<object, [string]>(cmd, env, async ({ api, io, opts }, id) => {
    const e = await api.get<Explanation>(`/v1/jobs/${jobId(id)}/explain`);
    io.out(opts.json ? jsonText(e) : explainText(jobId(id), e));
  });
}

/**
 *   job 42 (pending): waits for 16 h100 devices; its queue is at its guarantee
 *     ✗ quota          hyundai/llm holds 16 of 16 guaranteed h100 and may borrow 0
 *     · capacity       24 h100 free on schedulable nodes
 */
export function explainText(id: number, e: Explanation): string {
  const width = Math.max(0, ...e.lines.map((l) => l.constraint.length));
  const lines = e.lines.map((l) => {
    const mark = l.blocking === true ? "✗" : "·";
    return `  ${mark} ${l.constraint.padEnd(width)}  ${l.text}`;
  });
  return `${[`job ${id} (${e.state}): ${e.summary}`, ...lines].join("\n")}\n`;
}
