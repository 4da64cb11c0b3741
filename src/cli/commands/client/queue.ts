/**
 * `gongjang queue`: pending and running jobs as a table, like squeue. Pages through
 * GET /v1/jobs (nextCursor) until --limit rows; without --state or --all it asks for
 * the waiting and device-holding states only.
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction, positiveInt } from "../../client/command.ts";
import {
  type Col,
  deviceSummary,
  duration,
  secondsSince,
  table,
  truncate,
} from "../../client/format.ts";
import type { ApiClient, Query } from "../../client/http.ts";
import { jsonText } from "../../client/io.ts";
import type { Forecast, Job, Page } from "../../client/types.ts";
import { eta } from "./forecast.ts";

/** What `queue` shows unless told otherwise: jobs that wait or hold devices. */
const LIVE_STATES = ["running", "stopping", "pending"] as const;
const STATES = ["pending", "running", "stopping", "succeeded", "failed", "cancelled"] as const;
/** The API's largest page. */
const MAX_PAGE = 500;
const REASON_WIDTH = 48;

interface QueueOptions {
  readonly tenant?: string;
  readonly queue?: string;
  readonly state?: string;
  readonly user?: string;
  readonly all?: boolean;
  readonly limit: string;
}

/** Adds `queue` to `program`. */
export function registerQueue(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("queue")
    .description("list pending and running jobs (like squeue)")
    .option("--tenant <tenant>", "only this tenant's jobs")
    .option("--queue <path>", "only jobs of this leaf queue, e.g. hyundai/llm")
    .option("--user <name>", "only jobs submitted by this user (the token's name)")
    .option("--state <state>", `only this state: ${STATES.join(", ")}`)
    .option("--all", "every state, finished jobs too")
    .option("--limit <n>", "at most this many jobs", "100");
  clientAction<QueueOptions, []>(cmd, env, async ({ api, io, opts, now }) => {
    const limit = positiveInt(opts.limit, "--limit");
    if (opts.state !== undefined && !(STATES as readonly string[]).includes(opts.state))
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--state: expected one of ${STATES.join(", ")}, got "${opts.state}"`,
        { path: "--state" },
      );
    const states: (string | undefined)[] =
      opts.state !== undefined ? [opts.state] : opts.all ? [undefined] : [...LIVE_STATES];
    const filter = { tenant: opts.tenant, queue: opts.queue, user: opts.user };
    const jobs: Job[] = [];
    let more = false;
    for (const state of states) {
      const got = await listJobs(api, { ...filter, state }, limit - jobs.length);
      jobs.push(...got.items);
      more ||= got.more;
      if (jobs.length >= limit) break;
    }
    const sorted = sortForQueue(jobs);
    if (opts.json) {
      io.out(jsonText({ items: sorted, truncated: more }));
      return;
    }
    io.out(
      sorted.length === 0 ? "no jobs\n" : queueTable(sorted, now, await forecasts(api, sorted)),
    );
    if (more) io.out(`(first ${limit} shown; raise --limit for more)\n`);
  });
}

/**
 * Up to `limit` jobs matching `query`, following nextCursor. `more` is true when the
 * server has further pages.
 */
export async function listJobs(
  api: ApiClient,
  query: Query,
  limit: number,
): Promise<{ items: Job[]; more: boolean }> {
  const items: Job[] = [];
  let cursor: number | string | null = null;
  while (items.length < limit) {
    const page: Page<Job> = await api.get<Page<Job>>("/v1/jobs", {
      ...query,
      limit: Math.min(MAX_PAGE, limit - items.length),
      ...(cursor !== null && { cursor }),
    });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null || page.items.length === 0) return { items, more: false };
  }
  return { items, more: true };
}

/**
 * Forecasts of the pending jobs among `jobs`, by id, in batches of the API's largest;
 * empty when the server has none (an older server: the ETA column stays "-").
 */
export async function forecasts(
  api: ApiClient,
  jobs: readonly Job[],
): Promise<Map<number, Forecast>> {
  const ids = jobs.filter((j) => j.state === "pending").map((j) => j.id);
  const out = new Map<number, Forecast>();
  try {
    for (let i = 0; i < ids.length; i += MAX_PAGE) {
      const batch = ids.slice(i, i + MAX_PAGE).join(",");
      const got = await api.get<{ items: Forecast[] }>("/v1/forecasts", { ids: batch });
      for (const f of got.items) out.set(f.jobId, f);
    }
  } catch {
    return new Map();
  }
  return out;
}

const RANK: Readonly<Record<string, number>> = { running: 0, stopping: 1, pending: 2 };

/** Running jobs first, then pending ones, then the rest; each oldest first. */
export function sortForQueue(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => (RANK[a.state] ?? 3) - (RANK[b.state] ?? 3) || a.id - b.id);
}

/** How long a job has waited (pending), has run (running), or ran (ended). */
export function waitedOrRan(job: Job, nowMs: number): string {
  if (job.state === "pending") return duration(secondsSince(job.submittedAt, nowMs));
  if (job.startedAt === null) return "-";
  const end = job.endedAt === null ? nowMs : Date.parse(job.endedAt);
  return duration((end - Date.parse(job.startedAt)) / 1000);
}

/** The queue table; ETA is a pending job's forecast P50 (see forecast.ts), else "-". */
export function queueTable(
  jobs: readonly Job[],
  nowMs: number,
  etas: ReadonlyMap<number, Forecast> = new Map(),
): string {
  const cols: Col<Job>[] = [
    { title: "ID", cell: (j) => String(j.id), right: true },
    { title: "NAME", cell: (j) => truncate(j.name, 24) },
    { title: "QUEUE", cell: (j) => j.queue },
    { title: "USER", cell: (j) => truncate(j.user, 16) },
    { title: "STATE", cell: (j) => j.state },
    { title: "DEVICES", cell: (j) => deviceSummary(j.spec, j.deviceType) },
    { title: "WAITED/RAN", cell: (j) => waitedOrRan(j, nowMs), right: true },
    { title: "ETA", cell: (j) => eta(etas.get(j.id), nowMs) },
    { title: "REASON", cell: (j) => truncate(j.reason ?? "-", REASON_WIDTH) },
  ];
  return table(cols, jobs);
}
