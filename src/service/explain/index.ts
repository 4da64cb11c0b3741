/**
 * "Why does my job wait?" explainJob() answers from a scheduler Snapshot alone (no
 * store access, no clock): one line per constraint, with numbers, for each device type
 * the job accepts; where it stands in line; and the last cycle's own reason when that
 * says more. Running jobs say where they run, finished ones why they ended.
 * formatExplain() prints the answer as plain text for the CLI.
 */
import { GongjangError } from "../../core/errors.ts";
import type { PendingWorkload } from "../../core/schedule/types.ts";
import { queueIndex } from "../../core/tenancy/tree.ts";
import type { JobRow } from "../../store/jobs.ts";
import { workloadOf } from "../jobs/workload.ts";
import type { Snapshot } from "../scheduler/snapshot.ts";
import { cycleLine, FIFO, type OrderPolicy, orderLine } from "./order.ts";
import { pendingLines } from "./pending.ts";
import { endedLine, runningLines } from "./running.ts";
import { Constraint, type ExplainLine, type Explanation, line } from "./types.ts";

export type { OrderPolicy } from "./order.ts";
export * from "./types.ts";

export interface ExplainOptions {
  /** The job's current row (callers read it fresh); default: the snapshot's row. */
  readonly row?: JobRow;
  /** The scheduler policy, for the queue order and its attempt budget; default FIFO. */
  readonly policy?: OrderPolicy;
}

/**
 * Explains job `jobId` over `snap`. Throws GJ_ERR_NOT_FOUND when neither `o.row` nor
 * the snapshot has it (the snapshot holds pending and active jobs only, so finished
 * jobs need `o.row`). Reads the snapshot without changing it.
 */
export function explainJob(
  snap: Snapshot,
  jobId: number | string,
  o: ExplainOptions = {},
): Explanation {
  const id = String(jobId);
  const row = o.row ?? snap.rows.get(id);
  if (row === undefined) throw new GongjangError("GJ_ERR_NOT_FOUND", `no job ${id}`);
  const asOf = new Date(snap.now * 1000).toISOString();
  const base = { jobId: row.id, queue: row.queue, state: row.state, asOf };
  const w = workloadOf(row);
  switch (row.state) {
    case "pending":
      return { ...base, ...explainPending(snap, row, o.policy ?? FIFO) };
    case "running":
    case "stopping": {
      const lines = runningLines(snap.state, snap.tree, snap.nodeIndex, row, w);
      // a stopping job's second line says why it stops
      return { ...base, summary: lines[row.state === "stopping" ? 1 : 0].text, lines };
    }
    default: {
      const ended = endedLine(row);
      return { ...base, summary: ended.text, lines: [ended] };
    }
  }
}

function explainPending(
  snap: Snapshot,
  row: JobRow,
  policy: OrderPolicy,
): { summary: string; lines: ExplainLine[] } {
  const id = String(row.id);
  const entry = findEntry(snap, row, id);
  if (entry === null) {
    const gone = line(
      Constraint.Quota,
      true,
      null,
      `queue ${row.queue} is no longer in the tenancy: the job waits until an admin restores it`,
      { queue: row.queue },
    );
    return { summary: `waits: ${gone.text}`, lines: [gone] };
  }
  const typed = pendingLines(snap, entry);
  const types = [...new Set(typed.map((l) => l.deviceType))];
  const blockedTypes = types.filter((t) => typed.some((l) => l.deviceType === t && l.blocking));
  const blocked = blockedTypes.length === types.length;
  const lines = [...typed, orderLine(snap, entry, policy)];
  const cycle = cycleLine(row.reason, blocked);
  if (cycle !== null) lines.push(cycle);
  return { summary: summarize(typed, types, blocked, lines), lines };
}

/** The snapshot's pending entry for the row, or one built from the row when the snapshot lacks it. */
function findEntry(snap: Snapshot, row: JobRow, id: string): PendingWorkload | null {
  const queue = queueIndex(snap.tree, row.queue);
  if (queue < 0) return null;
  const known = snap.pending[queue]?.find((e) => e.w.id === id);
  return known ?? { w: workloadOf(row), queue, attained: row.attained };
}

function summarize(
  typed: readonly ExplainLine[],
  types: readonly (string | null)[],
  blocked: boolean,
  lines: readonly ExplainLine[],
): string {
  const kinds = (t: string | null) => [
    ...new Set(typed.filter((l) => l.deviceType === t && l.blocking).map((l) => l.constraint)),
  ];
  const others = lines.filter((l) => !typed.includes(l) && l.blocking).map((l) => l.constraint);
  if (blocked) {
    const first = typed.find((l) => l.blocking)!;
    const why =
      types.length === 1
        ? `waits on ${kinds(types[0]).join(", ")}: ${first.text}`
        : `waits on every accepted device type: ${types.map((t) => `${t ?? "any"} (${kinds(t).join(", ")})`).join("; ")}`;
    return others.length > 0 ? `${why}; also ${[...new Set(others)].join(", ")}` : why;
  }
  if (others.length > 0) return `waits on ${[...new Set(others)].join(", ")}`;
  return "nothing blocks it in this snapshot: it should start at the next cycle";
}

/** Plain text, one line per constraint, each tagged `[blocks]` or `[note]`. */
export function formatExplain(e: Explanation): string {
  const head = `job ${e.jobId} (${e.queue}) ${e.state}: ${e.summary}`;
  const body = e.lines.map((l) => {
    const type =
      l.deviceType !== null && !l.text.includes(l.deviceType) ? ` [${l.deviceType}]` : "";
    return `  ${l.blocking ? "[blocks]" : "[note]  "} ${l.constraint}${type}: ${l.text}`;
  });
  return [head, ...body, `  (as of ${e.asOf})`].join("\n");
}
