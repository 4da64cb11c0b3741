/**
 * Usage sums from the store. The overlap arithmetic runs in SQL, grouped, so a report
 * over 100k runs moves a few rows, not 100k; CASE and COALESCE (no LEAST/GREATEST,
 * which SQLite lacks) keep the one query valid on SQLite and Postgres:
 *
 *   Σ device_milli × (min(coalesce(ended_at, now), to, now) − max(started_at, from))
 *
 * over the runs that overlap the window (started before its end, and still open or
 * ended after its start). The result is then shaped by ./aggregate.ts.
 */
import { sql } from "kysely";
import type { Db } from "../../store/jobs.ts";
import {
  summarizeGroups,
  type UsageDimension,
  type UsageReport,
  type UsageTotals,
  type UsageWindow,
} from "./aggregate.ts";

/** Which runs to count; absent fields do not filter. */
export interface UsageFilter {
  readonly tenant?: string;
  /** A queue and its subtree ("snu" counts "snu/gsai"). */
  readonly queue?: string;
  readonly deviceType?: string;
}

const COLUMN = {
  tenant: "tenant",
  queue: "queue",
  user: "user",
  type: "device_type",
} as const satisfies Record<UsageDimension, string>;

/** Usage inside `w` matching `f`, grouped by `by`. */
export async function usageTotals(
  db: Db,
  w: UsageWindow,
  by: readonly UsageDimension[],
  f: UsageFilter = {},
): Promise<UsageTotals> {
  const end = Math.min(w.to, w.now);
  if (end <= w.from) return summarizeGroups([], by);
  const runEnd = sql<number>`coalesce(ended_at, ${w.now})`;
  const overlap = sql<number>`(case when ${runEnd} < ${end} then ${runEnd} else ${end} end) - (case when started_at > ${w.from} then started_at else ${w.from} end)`;
  const cols = by.map((d) => COLUMN[d]);
  let sel = db
    .selectFrom("usage")
    .select([
      sql<number>`sum(cast(device_milli as double precision) * (${overlap}))`.as("milli_ms"),
      sql<number>`count(*)`.as("runs"),
    ])
    .select(cols)
    .where("started_at", "<", end)
    .where((eb) =>
      eb.or([
        eb("ended_at", "is", null),
        eb.and([eb("ended_at", ">", w.from), eb("ended_at", ">", eb.ref("started_at"))]),
      ]),
    );
  if (cols.length > 0) sel = sel.groupBy(cols);
  if (f.tenant !== undefined) sel = sel.where("tenant", "=", f.tenant);
  if (f.deviceType !== undefined) sel = sel.where("device_type", "=", f.deviceType);
  if (f.queue !== undefined) {
    const q = f.queue;
    // Escape LIKE's wildcards: "_" is legal in queue names.
    const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    sel = sel
      .where("tenant", "=", q.split("/")[0])
      .where((eb) => eb.or([eb("queue", "=", q), sql<boolean>`queue like ${prefix} escape '\\'`]));
  }
  const rows = (await sel.execute()) as unknown as Record<string, string | number | null>[];
  const groups = rows
    .filter((r) => Number(r.runs) > 0)
    .map((r) => ({
      values: cols.map((c) => String(r[c])),
      milliMs: Number(r.milli_ms ?? 0),
      runs: Number(r.runs),
    }));
  return summarizeGroups(groups, by);
}

/** Device-hours that match `f` inside `w` (a budget's consumption). */
export async function deviceHoursUsed(db: Db, w: UsageWindow, f: UsageFilter): Promise<number> {
  return (await usageTotals(db, w, [], f)).total.deviceHours;
}

/** The full report for GET /v1/usage. */
export async function usageReport(
  db: Db,
  w: UsageWindow,
  by: readonly UsageDimension[],
  f: UsageFilter = {},
): Promise<UsageReport> {
  return {
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    asOf: new Date(w.now).toISOString(),
    by,
    unit: "device-hours",
    ...(await usageTotals(db, w, by, f)),
  };
}
