/**
 * `gongjang usage [--from DATE] [--to DATE] [--by tenant,type] [--format table|csv|json]`:
 * device-hours from GET /v1/usage, like sreport. CSV is the server's own; the table is
 * drawn here from the JSON report. `usage reconcile` lives in ./usage-reconcile.ts.
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { type Col, table, timestamp } from "../../client/format.ts";
import { jsonText } from "../../client/io.ts";
import { parseList } from "../../options.ts";
import { registerUsageReconcile } from "./usage-reconcile.ts";

const DIMENSIONS = ["tenant", "queue", "user", "type"] as const;
const FORMATS = ["table", "csv", "json"] as const;

/** One row of GET /v1/usage: its dimension values, device-hours and runs. */
export interface UsageRow {
  readonly tenant?: string;
  readonly queue?: string;
  readonly user?: string;
  readonly type?: string;
  readonly deviceHours: number;
  readonly runs: number;
}

/** GET /v1/usage (format=json). */
export interface UsageReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly by: readonly string[];
  readonly rows: readonly UsageRow[];
  readonly total: { readonly deviceHours: number; readonly runs: number };
}

interface UsageOptions {
  readonly from?: string;
  readonly to?: string;
  readonly by: string;
  readonly format: string;
  readonly tenant?: string;
  readonly queue?: string;
  readonly type?: string;
}

/** Adds `usage` to `program`. */
export function registerUsage(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("usage")
    .description("device-hours per tenant, queue, user and/or device type over a period")
    .option(
      "--from <date>",
      "start, e.g. 2026-11-01 or 2026-11-01T09:00Z (default: 30 days before --to)",
    )
    .option("--to <date>", "end (default: now)")
    .option("--by <dims>", `group by, comma-separated: ${DIMENSIONS.join(", ")}`, "tenant")
    .option("--format <fmt>", `output: ${FORMATS.join(", ")}`, "table")
    .option("--tenant <tenant>", "only this tenant")
    .option("--queue <path>", "only this queue")
    .option("--type <deviceType>", "only this device type");
  clientAction<UsageOptions, []>(cmd, env, async ({ api, io, opts }) => {
    const format = opts.json ? "json" : opts.format;
    if (!(FORMATS as readonly string[]).includes(format))
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--format: expected table, csv or json, got "${format}"`,
        {
          path: "--format",
        },
      );
    const by = opts.by.trim() === "" ? [] : parseList(opts.by, "--by");
    for (const d of by)
      if (!(DIMENSIONS as readonly string[]).includes(d))
        throw new GongjangError(
          "GJ_ERR_ARGUMENT",
          `--by: expected ${DIMENSIONS.join(", ")}, got "${d}"`,
          {
            path: "--by",
          },
        );
    const query = {
      from: opts.from === undefined ? undefined : isoDate(opts.from, "--from"),
      to: opts.to === undefined ? undefined : isoDate(opts.to, "--to"),
      by: by.join(","),
      tenant: opts.tenant,
      queue: opts.queue,
      type: opts.type,
    };
    if (format === "csv") {
      const answer = await api.request<unknown>("GET", "/v1/usage", {
        query: { ...query, format: "csv" },
      });
      io.out(answer.text.endsWith("\n") ? answer.text : `${answer.text}\n`);
      return;
    }
    const report = await api.get<UsageReport>("/v1/usage", query);
    io.out(format === "json" ? jsonText(report) : usageText(report));
  });
  registerUsageReconcile(cmd, env);
}

/** A date or time as ISO 8601 (a bare date is midnight UTC); GJ_ERR_ARGUMENT when unreadable. */
export function isoDate(value: string, option: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `${option}: expected a date such as 2026-11-01 or 2026-11-01T09:00:00Z, got "${value}"`,
      { path: option },
    );
  return new Date(t).toISOString();
}

/** Device-hours with one decimal and thousands separators: 1,234.5. */
export function hours(h: number): string {
  return h.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** The report as a table with a TOTAL line. */
export function usageText(r: UsageReport): string {
  const dims = r.by.filter((d): d is (typeof DIMENSIONS)[number] =>
    (DIMENSIONS as readonly string[]).includes(d),
  );
  const head = `usage ${timestamp(r.from)} .. ${timestamp(r.to)} in device-hours (runs still going counted to ${timestamp(r.asOf)})\n`;
  if (r.rows.length === 0) return `${head}no usage in this period\n`;
  const total: UsageRow = { deviceHours: r.total.deviceHours, runs: r.total.runs };
  const cols: Col<UsageRow>[] = [
    ...dims.map((d, i) => ({
      title: (d === "type" ? "device type" : d).toUpperCase(),
      cell: (row: UsageRow) => (row === total ? (i === 0 ? "TOTAL" : "") : (row[d] ?? "-")),
    })),
    { title: "DEVICE-HOURS", cell: (row) => hours(row.deviceHours), right: true },
    { title: "RUNS", cell: (row) => String(row.runs), right: true },
  ];
  return `${head}${table(cols, dims.length === 0 ? [total] : [...r.rows, total])}`;
}
