/**
 * Queue orders. Each is a total order: the job id breaks the last tie, so the
 * order never depends on how the pending list happened to be built.
 */
import type { Request } from "../model/request.ts";
import type { SortPlugin } from "./types.ts";

function byId(a: Request, b: Request): number {
  return a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0;
}

/** First in, first out by submit time. */
export const fifo: SortPlugin = {
  name: "FIFO",
  compare: (a, b) => a.job.submitTime - b.job.submitTime || byId(a, b),
};

/** Shortest job first, by declared duration (unknown = Infinity, last). */
export const sjf: SortPlugin = {
  name: "SJF",
  compare: (a, b) => cmpNumber(a.job.duration, b.job.duration) || fifo.compare(a, b),
};

/** Highest priority first, FIFO within a priority. */
export const priority: SortPlugin = {
  name: "Priority",
  compare: (a, b) => b.job.priority - a.job.priority || fifo.compare(a, b),
};

function cmpNumber(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export const QUEUE_ORDERS = { fifo, sjf, priority } as const;
export type QueueOrderName = keyof typeof QUEUE_ORDERS;
