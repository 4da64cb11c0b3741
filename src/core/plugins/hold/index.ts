/**
 * Holds: nodes set aside for one queue (an advance reservation) or one workload (the
 * head job's EASY-backfill reservation). During [start, end) only the holder may use
 * them; before `start` others may, if their runtime estimate ends by then.
 */
import type { Request } from "../../model/request.ts";
import type { CycleContext, FilterPlugin } from "../types.ts";

export const name = "Hold";

export interface Hold {
  readonly id: string;
  /** A queue path: that queue and its subtree hold the nodes. */
  readonly queue?: string;
  /** A workload id: only that workload's members hold them. */
  readonly workload?: string;
  /** Several workload ids (room freed for each of them on a shared node): any of them holds. */
  readonly workloads?: ReadonlySet<string>;
  readonly start: number;
  readonly end: number;
}

export interface Holds {
  /** Per node: index into `list`, or -1. */
  readonly byNode: Int32Array;
  readonly list: readonly Hold[];
}

/** True when the request's job is the hold's owner. */
export function ownsHold(hold: Hold, req: Request): boolean {
  if (hold.workloads !== undefined) return hold.workloads.has(workloadOf(req));
  if (hold.workload !== undefined) return hold.workload === workloadOf(req);
  const q = hold.queue ?? "";
  const tenant = req.job.tenant;
  return tenant === q || startsWithThen(tenant, q, SLASH);
}

/**
 * What tells apart, under `holds` at `now`, two workloads whose requests fit the same
 * nodes: the workload id where a hold names it, the queue where a queue holds nodes, the
 * estimate while a hold is yet to start; "" for the rest (failure memos may then share
 * one answer between them).
 */
export function holdsKey(
  holds: Holds,
  now: number,
  id: string,
  queue: string,
  estimate: number,
): string {
  let terms = termsOf.get(holds);
  if (terms === undefined || terms.now !== now) {
    terms = { now, owners: new Set(), queues: false, future: false };
    for (const h of holds.list) {
      if (h.workload !== undefined) terms.owners.add(h.workload);
      for (const owner of h.workloads ?? []) terms.owners.add(owner);
      if (h.workload === undefined && h.workloads === undefined) terms.queues = true;
      if (now < h.start) terms.future = true;
    }
    termsOf.set(holds, terms);
  }
  let key = terms.owners.has(id) ? `|@${id}` : "";
  if (terms.queues) key += `|q${queue}`;
  if (terms.future) key += `|~${estimate}`;
  return key;
}
const termsOf = new WeakMap<
  Holds,
  { now: number; owners: Set<string>; queues: boolean; future: boolean }
>();

// The workload a request's job is a member of (its id is `${workload}#${k}`; "" for a
// plain job), kept for the last request: a scan asks it once per node visited.
let widOf: Request | null = null;
let wid = "";
function workloadOf(req: Request): string {
  if (req !== widOf) {
    const id = req.job.id;
    const cut = id.lastIndexOf("#");
    widOf = req;
    wid = cut > 0 ? id.slice(0, cut) : "";
  }
  return wid;
}

const SLASH = 47; // "/"

/**
 * `s.startsWith(prefix + sep)` without building the string: the filter runs for every
 * node a scan visits, and this was its main cost.
 */
function startsWithThen(s: string, prefix: string, sep: number): boolean {
  return s.length > prefix.length && s.charCodeAt(prefix.length) === sep && s.startsWith(prefix);
}

// A scan asks about one request and many nodes under the same few holds: remember the
// last answer (by identity, so it can never be stale for another request or hold).
let lastHold: Hold | null = null;
let lastReq: Request | null = null;
let lastOwns = false;
function owns(hold: Hold, req: Request): boolean {
  if (hold !== lastHold || req !== lastReq) {
    lastHold = hold;
    lastReq = req;
    lastOwns = ownsHold(hold, req);
  }
  return lastOwns;
}

/** 0 when `req` may use `node` now, else 1 (held for someone else). */
export function holdReason(ctx: CycleContext, req: Request, node: number): number {
  const holds = ctx.holds;
  if (!holds) return 0;
  const h = holds.byNode[node];
  if (h < 0) return 0;
  const hold = holds.list[h];
  if (ctx.now >= hold.end || owns(hold, req)) return 0;
  const job = req.job;
  if (ctx.now < hold.start && ctx.now + (job.estimate ?? job.duration) <= hold.start) return 0;
  return 1;
}

export function create(): FilterPlugin {
  return { name, reasons: ["free", "held by a reservation"], filter: holdReason };
}
