/**
 * The short "why" beside a forecast: its place in its queue, what it waits for, and
 * what the scheduler's first cycle from the snapshot said (a core Status).
 */
import { withinQueue } from "../core/schedule/order.ts";
import type { OrderName } from "../core/schedule/types.ts";
import type { Status } from "../core/status.ts";
import { type Workload, workloadMilli } from "../core/workload/index.ts";

/** Longest scheduler reason quoted; the core's can list every filter's count. */
const MAX_STATUS = 160;

/**
 * Per workload, how many pending workloads of its own queue come before it in the
 * policy's within-queue order (FIFO, priority, SJF...).
 */
export function queuePositions(
  pending: readonly Workload[],
  order: OrderName,
): Map<Workload, number> {
  const compare = withinQueue(order, []);
  const byQueue = new Map<string, { w: Workload; queue: number; attained: number }[]>();
  for (const w of pending) {
    let l = byQueue.get(w.queue);
    if (!l) {
      l = [];
      byQueue.set(w.queue, l);
    }
    l.push({ w, queue: 0, attained: 0 });
  }
  const out = new Map<Workload, number>();
  for (const list of byQueue.values()) {
    list.sort(compare);
    list.forEach((e, i) => {
      out.set(e.w, i);
    });
  }
  return out;
}

/** "8 free devices (8 × 1, one domain preferred)": what it needs to start. */
export function need(w: Workload): string {
  const total = workloadMilli(w, w.minMembers) / 1000;
  const what = w.deviceTypes.length > 0 ? w.deviceTypes.join("/") : "devices";
  const shape =
    w.minMembers > 1 ? ` (${w.minMembers} × ${w.member.devices}${topology(w)})` : topology(w);
  if (total === 0) return `CPU and memory on one node${shape}`;
  return `${round(total)} free ${what}${shape}`;
}

function topology(w: Workload): string {
  if (w.topology)
    return `, ${w.topology.required ? "in" : "preferably in"} one ${w.topology.level}`;
  return w.minMembers > 1 ? ", preferably in one domain" : "";
}

/** The reason text for a workload that may start. */
export function waitReason(
  w: Workload,
  ahead: number,
  p50: number | null,
  status: Status | undefined,
  horizon: number,
): string {
  if (p50 === 0) return `starts now: room for ${need(w).replace(" free", "")} is free`;
  const parts = [
    ahead > 0 ? `behind ${ahead} job${ahead === 1 ? "" : "s"} of your queue` : "head of your queue",
    `waits for ${need(w)}`,
  ];
  if (status) {
    const text = `${status.plugin}: ${status.reason}`;
    parts.push(text.length > MAX_STATUS ? `${text.slice(0, MAX_STATUS - 1)}…` : text);
  }
  if (p50 === null)
    parts.push(`does not start within ${Math.round(horizon / 3600)} h in most runs`);
  return parts.join("; ");
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
