/**
 * What "explain" answers: a job's state, a one-line summary, and one line per
 * constraint with the numbers behind it. The API sends this shape as JSON and the CLI
 * prints it with formatExplain().
 */

/** The constraint a line is about. */
export const Constraint = {
  /** The queue's (or an ancestor's) guarantee and borrowing limit. */
  Quota: "quota",
  /** Idle capacity the queue could borrow from the rest of the tree. */
  Cohort: "cohort",
  /** Free devices of an accepted type on schedulable nodes. */
  Capacity: "capacity",
  /** Cordoned, draining or down nodes, whose devices do not count. */
  NodeState: "node-state",
  /** Sites the job's data residency allows. */
  Residency: "residency",
  /** All members inside one domain, rack or site. */
  Topology: "topology",
  /** Enough devices free in total, but not enough on single nodes. */
  Fragmentation: "fragmentation",
  /** Pending jobs tried before it. */
  QueueOrder: "queue-order",
  /** Preempted work still exiting, or the job's exposure to being preempted. */
  Preemption: "preemption",
  /** The last cycle's own reason, verbatim (backfill reservation, strict order, …). */
  Cycle: "cycle",
  /** Where a running job runs. */
  Placement: "placement",
  /** Why a finished job ended. */
  Ended: "ended",
} as const;
export type Constraint = (typeof Constraint)[keyof typeof Constraint];

/** One constraint, in plain words, with the numbers it was computed from. */
export interface ExplainLine {
  readonly constraint: Constraint;
  /** True when this constraint alone keeps the job from starting now. */
  readonly blocking: boolean;
  /** The accepted device type the line is about; null when it concerns every type. */
  readonly deviceType: string | null;
  readonly text: string;
  /** Device counts (whole devices, not milli), and ids such as the largest block's scope. */
  readonly numbers: Readonly<Record<string, number | string>>;
}

export interface Explanation {
  readonly jobId: number;
  readonly queue: string;
  /** The job's state: pending, running, stopping, succeeded, failed or cancelled. */
  readonly state: string;
  readonly summary: string;
  readonly lines: readonly ExplainLine[];
  /** When the snapshot the lines were computed from was taken (ISO 8601). */
  readonly asOf: string;
}

/** Builds a line; `numbers` of non-finite values (unlimited) become "unlimited". */
export function line(
  constraint: Constraint,
  blocking: boolean,
  deviceType: string | null,
  text: string,
  numbers: Record<string, number | string> = {},
): ExplainLine {
  const clean: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(numbers))
    clean[k] = typeof v === "number" && !Number.isFinite(v) ? "unlimited" : v;
  return { constraint, blocking, deviceType, text, numbers: clean };
}

/** Milli-devices as devices, rounded to 3 decimals. */
export function devices(milli: number): number {
  return Number.isFinite(milli) ? Math.round(milli) / 1000 : milli;
}

/** A device count for text: "8", "0.25", or "unlimited". */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "unlimited";
  return String(Math.round(n * 1000) / 1000);
}

/** "1 job" / "3 jobs". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Every constraint name, for schemas. */
export const CONSTRAINTS: readonly Constraint[] = Object.values(Constraint);
