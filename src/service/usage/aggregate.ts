/**
 * Accounting arithmetic (sacct/sreport-like), pure: a usage record is a run holding
 * `deviceMilli` thousandths of devices from `startedAt` to `endedAt` (null while it
 * goes on, counted up to `now`). Its device-hours in a window are
 *
 *   deviceMilli / 1000 × |[startedAt, endedAt ?? now] ∩ [from, min(to, now)]| in hours,
 *
 * summed per group of the requested dimensions. The store does this sum in SQL
 * (./query.ts); the definition, the grouping into rows, totals and CSV are here, pure.
 */
import { GongjangError } from "../../core/errors.ts";

/** What usage can be grouped by; `type` is the device type. */
export const USAGE_DIMENSIONS = ["tenant", "queue", "user", "type"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

const HOUR_MS = 3_600_000;

/** One run as the usage table stores it. */
export interface UsageRecord {
  readonly tenant: string;
  readonly queue: string;
  readonly user: string;
  readonly deviceType: string;
  readonly deviceMilli: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/** The period to account for, epoch ms; open runs count up to `now`. */
export interface UsageWindow {
  readonly from: number;
  readonly to: number;
  readonly now: number;
}

/** One group of the report: its dimension values, device-hours and runs. */
export interface UsageRow {
  readonly tenant?: string;
  readonly queue?: string;
  readonly user?: string;
  readonly type?: string;
  readonly deviceHours: number;
  /** Runs that overlap the window. */
  readonly runs: number;
}

export interface UsageTotals {
  readonly rows: readonly UsageRow[];
  readonly total: { readonly deviceHours: number; readonly runs: number };
}

/**
 * The answer of GET /v1/usage (format=json) and what `gongjang usage` prints: the
 * window as ISO times, the grouping, one row per group (sorted by its dimension
 * values) and the total over all rows.
 */
export interface UsageReport extends UsageTotals {
  readonly from: string;
  readonly to: string;
  /** The time open runs were counted up to. */
  readonly asOf: string;
  readonly by: readonly UsageDimension[];
  readonly unit: "device-hours";
}

/**
 * Milliseconds of [startedAt, endedAt ?? now] inside [from, min(to, now)]; 0 when
 * apart. Nothing after `now` counts, whatever a record says.
 */
export function overlapMs(startedAt: number, endedAt: number | null, w: UsageWindow): number {
  const end = Math.min(endedAt ?? w.now, w.to, w.now);
  const start = Math.max(startedAt, w.from);
  return Math.max(0, end - start);
}

const dimensionValue = (r: UsageRecord, d: UsageDimension): string => {
  switch (d) {
    case "tenant":
      return r.tenant;
    case "queue":
      return r.queue;
    case "user":
      return r.user;
    case "type":
      return r.deviceType;
    default: {
      const never: never = d;
      return never;
    }
  }
};

/** Rounds away float noise (a micro device-hour is 3.6 ms of one device). */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Partial sums of one group: device-milli × milliseconds, and runs. */
export interface UsageGroup {
  /** The group's values of `by`, in order. */
  readonly values: readonly string[];
  readonly milliMs: number;
  readonly runs: number;
}

/** Groups' sums in device-hours, sorted by their values, with the total. */
export function summarizeGroups(
  groups: readonly UsageGroup[],
  by: readonly UsageDimension[],
): UsageTotals {
  // device-milli × ms ÷ 1000 ÷ 3,600,000 = device-hours
  const hoursOf = (milliMs: number) => milliMs / 1000 / HOUR_MS;
  const rows = [...groups]
    .sort((a, b) => compareValues(a.values, b.values))
    .map((g) => ({
      ...Object.fromEntries(by.map((d, i) => [d, g.values[i]])),
      deviceHours: round6(hoursOf(g.milliMs)),
      runs: g.runs,
    }));
  const milliMs = groups.reduce((s, g) => s + g.milliMs, 0);
  const runs = groups.reduce((s, g) => s + g.runs, 0);
  return { rows, total: { deviceHours: round6(hoursOf(milliMs)), runs } };
}

/**
 * Sums the records' device-hours inside `w`, grouped by `by` (in that order; empty:
 * one row for everything). Records that do not overlap the window are skipped. The
 * store computes the same sums in SQL (./query.ts); this is the reference it is
 * tested against, and works on records in memory.
 */
export function aggregateUsage(
  records: Iterable<UsageRecord>,
  w: UsageWindow,
  by: readonly UsageDimension[],
): UsageTotals {
  const groups = new Map<string, { values: string[]; milliMs: number; runs: number }>();
  for (const r of records) {
    const ms = overlapMs(r.startedAt, r.endedAt, w);
    if (ms <= 0) continue;
    const values = by.map((d) => dimensionValue(r, d));
    const key = values.join("\u0000");
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { values, milliMs: r.deviceMilli * ms, runs: 1 });
    else {
      g.milliMs += r.deviceMilli * ms;
      g.runs++;
    }
  }
  return summarizeGroups([...groups.values()], by);
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * Parses `by` ("tenant,type"): known names, no repeats. Throws GJ_ERR_REQUEST_INVALID
 * at `path` otherwise. An empty string groups nothing (one row).
 */
export function parseDimensions(by: string, path = "querystring.by"): UsageDimension[] {
  const names = by
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const out: UsageDimension[] = [];
  for (const n of names) {
    if (!(USAGE_DIMENSIONS as readonly string[]).includes(n))
      throw new GongjangError(
        "GJ_ERR_REQUEST_INVALID",
        `unknown dimension "${n}"; group by any of ${USAGE_DIMENSIONS.join(", ")}`,
        { path },
      );
    if (out.includes(n as UsageDimension))
      throw new GongjangError("GJ_ERR_REQUEST_INVALID", `dimension "${n}" is repeated`, { path });
    out.push(n as UsageDimension);
  }
  return out;
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * The report as CSV, sreport-like: a header (the dimensions, then device_hours and
 * runs), one line per row, and a last line TOTAL with the dimensions left empty.
 */
export function usageCsv(report: Pick<UsageReport, "by" | "rows" | "total">): string {
  const header = [...report.by, "device_hours", "runs"];
  const lines = [header.join(",")];
  for (const r of report.rows)
    lines.push(
      [...report.by.map((d) => csvField(r[d] ?? "")), String(r.deviceHours), String(r.runs)].join(
        ",",
      ),
    );
  const pad = report.by.map((_, i) => (i === 0 ? "TOTAL" : ""));
  lines.push([...pad, String(report.total.deviceHours), String(report.total.runs)].join(","));
  return `${lines.join("\n")}\n`;
}
