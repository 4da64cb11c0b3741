/**
 * `gongjang status`: without an id, the fleet (GET /v1/fleet) and the queues
 * (GET /v1/queues) at a glance; with an id, one job's details and its history
 * (GET /v1/jobs/:id and /v1/jobs/:id/events).
 */
import type { Command } from "commander";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import {
  deviceSummary,
  duration,
  fields,
  num,
  secondsSince,
  shortType,
  table,
  timestamp,
} from "../../client/format.ts";
import { ApiError } from "../../client/http.ts";
import { jsonText } from "../../client/io.ts";
import type { Job, JobEvent } from "../../client/types.ts";
import { jobId } from "./cancel.ts";

/** GET /v1/fleet, the parts shown here. */
export interface FleetView {
  readonly name: string;
  readonly nodes: Readonly<Record<string, number>> & { readonly total: number };
  readonly deviceTypes: readonly {
    readonly id: string;
    readonly total: number;
    readonly allocated: number;
    readonly free: number;
    readonly unschedulable: number;
  }[];
}

/** GET /v1/queues items, the parts shown here. */
export interface QueueView {
  readonly path: string;
  readonly leaf: boolean;
  readonly pending: number;
  readonly running: number;
  readonly oldestWaitSeconds: number | null;
  readonly types: Readonly<
    Record<string, { readonly guaranteed: number | null; readonly used: number }>
  >;
}

/** Adds `status` to `program`. */
export function registerStatus(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("status")
    .description("without ID: the fleet and queues at a glance; with ID: a job and its history")
    .argument("[id]", "job id");
  clientAction<object, [string | undefined]>(cmd, env, async ({ api, io, opts, now }, id) => {
    if (id !== undefined) {
      const n = jobId(id);
      const job = await api.get<Job>(`/v1/jobs/${n}`);
      const events = await api.get<{ items: JobEvent[] }>(`/v1/jobs/${n}/events`);
      io.out(opts.json ? jsonText({ job, events: events.items }) : jobText(job, events.items, now));
      return;
    }
    const fleet = await api.get<FleetView>("/v1/fleet");
    let queues: QueueView[] | undefined;
    try {
      const q = await api.get<QueueView[] | { items: QueueView[] }>("/v1/queues");
      queues = Array.isArray(q) ? q : q.items;
    } catch (err) {
      // An older server without the queues route still has a fleet to show.
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    io.out(opts.json ? jsonText({ fleet, queues: queues ?? null }) : overviewText(fleet, queues));
  });
}

/** The fleet's totals per device type, then one line per queue. */
export function overviewText(fleet: FleetView, queues: readonly QueueView[] | undefined): string {
  const n = fleet.nodes;
  const states = ["up", "cordoned", "draining", "down"]
    .filter((s) => s === "up" || (n[s] ?? 0) > 0)
    .map((s) => `${n[s] ?? 0} ${s}`);
  let out = `fleet ${fleet.name}: ${n.total} nodes (${states.join(", ")})\n\n`;
  out += table(
    [
      { title: "DEVICE TYPE", cell: (t) => t.id },
      { title: "TOTAL", cell: (t) => num(t.total), right: true },
      { title: "ALLOCATED", cell: (t) => num(t.allocated, 2), right: true },
      { title: "FREE", cell: (t) => num(t.free, 2), right: true },
      { title: "UNSCHEDULABLE", cell: (t) => num(t.unschedulable, 2), right: true },
      {
        title: "USE",
        cell: (t) => (t.total === 0 ? "-" : `${Math.round((100 * t.allocated) / t.total)}%`),
        right: true,
      },
    ],
    fleet.deviceTypes,
  );
  if (queues === undefined) return `${out}\n(this server has no GET /v1/queues)\n`;
  if (queues.length === 0) return `${out}\nno queues\n`;
  out += `\n${table(
    [
      { title: "QUEUE", cell: (q: QueueView) => q.path },
      { title: "PENDING", cell: (q) => String(q.pending), right: true },
      { title: "RUNNING", cell: (q) => String(q.running), right: true },
      {
        title: "OLDEST WAIT",
        cell: (q) => (q.oldestWaitSeconds === null ? "-" : duration(q.oldestWaitSeconds)),
        right: true,
      },
      { title: "USED/GUARANTEED", cell: (q) => quotaCell(q) },
    ],
    queues,
  )}`;
  return out;
}

/** "h100 16/24  vr-nvl144 8/40": per type with a guarantee or use; "-" when none. */
export function quotaCell(q: QueueView): string {
  const parts = Object.entries(q.types)
    .filter(([, t]) => t.used > 0 || (t.guaranteed ?? 0) > 0)
    .map(
      ([type, t]) =>
        `${shortType(type)} ${num(t.used, 2)}/${t.guaranteed === null ? "-" : num(t.guaranteed, 2)}`,
    );
  return parts.length === 0 ? "-" : parts.join("  ");
}

/** A job's fields, then its events as a table. */
export function jobText(job: Job, events: readonly JobEvent[], nowMs: number): string {
  const waited =
    job.startedAt === null || job.state === "pending"
      ? job.endedAt === null
        ? `waiting ${duration(secondsSince(job.submittedAt, nowMs))}`
        : "never started"
      : `waited ${duration((Date.parse(job.startedAt) - Date.parse(job.submittedAt)) / 1000)}`;
  const ran =
    job.startedAt === null || job.state === "pending"
      ? "-"
      : `${timestamp(job.startedAt)}  (${job.endedAt === null ? "running" : "ran"} ${duration(((job.endedAt === null ? nowMs : Date.parse(job.endedAt)) - Date.parse(job.startedAt)) / 1000)})`;
  let out = `job ${job.id} ${job.name}\n`;
  out += fields([
    ["state", `${job.state}${job.attempt > 1 ? ` (attempt ${job.attempt})` : ""}`],
    ["queue", `${job.queue}  (user ${job.user})`],
    ["devices", deviceSummary(job.spec, job.deviceType)],
    ["submitted", `${timestamp(job.submittedAt)}  (${waited})`],
    ["started", ran],
    ["ended", timestamp(job.endedAt)],
    ["placement", placementText(job.placement)],
    ["reason", job.reason ?? "-"],
    ["exit code", job.exitCode === null ? "-" : String(job.exitCode)],
  ]).replace(/^(?=.)/gm, "  ");
  if (events.length === 0) return `${out}\nno events\n`;
  out += `\n${table(
    [
      { title: "TIME", cell: (e: JobEvent) => timestamp(e.at) },
      { title: "EVENT", cell: (e) => e.kind },
      { title: "DETAIL", cell: (e) => detailText(e.detail) },
    ],
    events,
  )}`;
  return out;
}

/** "h100-00 [0-7], h100-01 [0-3] ×0.25"; "-" when not placed. */
export function placementText(placement: Job["placement"]): string {
  if (placement.length === 0) return "-";
  return placement
    .map(
      (m) =>
        `${m.node} [${ranges(m.devices)}]${m.deviceMilli < 1000 ? ` ×${m.deviceMilli / 1000}` : ""}`,
    )
    .join(", ");
}

/** [0,1,2,3,5] → "0-3,5". */
export function ranges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(",");
}

/** An event's detail as `key=value` pairs, objects as JSON. */
function detailText(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}
