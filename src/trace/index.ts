/**
 * One entry point for every trace gongjang reads: `loadTrace` picks the adapter from
 * the file name and header (or takes the caller's word) and returns jobs plus what
 * it had to skip.
 */
import { GongjangError } from "../core/errors.ts";
import { type CsvTable, parseCsv, showHeader } from "./csv.ts";
import { genericFromTable, looksLikeJsonl, parseGenericJsonl } from "./generic/read.ts";
import { openbFromTable } from "./openb/index.ts";
import { readTraceText } from "./source.ts";
import { tiresiasFromTable } from "./tiresias/jobs.ts";
import type { FormatOption, ReadOptions, TraceFormat, TraceReadResult } from "./types.ts";

export { DEFAULT_TENANT, GENERIC_COLUMNS, type GenericColumn } from "./generic/columns.ts";
export { parseGenericCsv, parseGenericJsonl, readGenericTrace } from "./generic/read.ts";
export { writeGenericCsv, writeGenericJsonl } from "./generic/write.ts";
export { type InspectInput, inspectTrace, type TraceSummary } from "./inspect.ts";
export { parseOpenbPods, readOpenbPods } from "./openb/index.ts";
export { readTiresiasJobs, smallTiresiasFleet, tiresiasClusterFleet } from "./tiresias/index.ts";
export {
  FORMAT_OPTIONS,
  type FormatOption,
  MAX_ROW_ERRORS,
  type ReadOptions,
  type TraceFormat,
  type TraceReadResult,
} from "./types.ts";

/** Options of {@link loadTrace}: the format (default `auto`) and whether to skip bad rows. */
export interface LoadOptions extends ReadOptions {
  readonly format?: FormatOption;
}

/** A loaded trace: the jobs, the format they were read as, and what was skipped. */
export interface LoadedTrace extends TraceReadResult {
  readonly format: TraceFormat;
  readonly file: string;
}

/** Header columns that identify each CSV format under `auto`, checked in this order. */
const SIGNATURES: readonly {
  format: Exclude<TraceFormat, "generic-jsonl">;
  columns: readonly string[];
}[] = [
  { format: "generic-csv", columns: ["id", "submit_time"] },
  { format: "openb", columns: ["name", "num_gpu", "gpu_milli"] },
  { format: "tiresias", columns: ["job_id", "num_gpu", "submit_time"] },
];

/**
 * Reads the trace at `path`. With `format: "auto"` (the default) a `.jsonl`/`.ndjson`
 * name or a first line starting with `{` means generic JSONL; otherwise the CSV
 * header decides (see {@link detectCsvFormat}). `generic` picks CSV or JSONL the same
 * way. Throws GJ_ERR_FILE_NOT_FOUND, GJ_ERR_TRACE_EMPTY, GJ_ERR_TRACE_FORMAT (naming
 * the header it saw) or GJ_ERR_TRACE_ROW (the first bad row, unless `skipBadRows`).
 */
export function loadTrace(path: string, options: LoadOptions = {}): LoadedTrace {
  return parseTrace(readTraceText(path), path, options);
}

/** As {@link loadTrace}, for text in memory (an upload); `file` names it in messages. */
export function parseTrace(text: string, file: string, options: LoadOptions = {}): LoadedTrace {
  const wanted = options.format ?? "auto";
  if ((wanted === "auto" || wanted === "generic") && looksLikeJsonl(file, text)) {
    return { ...parseGenericJsonl(text, file, options), format: "generic-jsonl", file };
  }
  const table = parseCsv(text, file);
  const format = wanted === "auto" ? detectCsvFormat(table, file) : csvFormatOf(wanted);
  return { ...readTable(format, table, file, options), format, file };
}

/**
 * The CSV format whose signature columns the header holds: generic (`id`,
 * `submit_time`), openb (`name`, `num_gpu`, `gpu_milli`) or Tiresias (`job_id`,
 * `num_gpu`, `submit_time`). Throws GJ_ERR_TRACE_FORMAT naming the header otherwise,
 * with a hint when it is a Tiresias cluster spec rather than a job list.
 */
export function detectCsvFormat(
  table: CsvTable,
  file: string,
): Exclude<TraceFormat, "generic-jsonl"> {
  const has = new Set(table.header);
  const hit = SIGNATURES.find((s) => s.columns.every((c) => has.has(c)));
  if (hit !== undefined) return hit.format;
  const loc = { file, line: table.headerLine };
  if (has.has("num_switch")) {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      "this is a Tiresias cluster spec (a fleet), not a job trace",
      loc,
    );
  }
  const known = SIGNATURES.map((s) => `${s.format} (${s.columns.join(", ")})`).join("; ");
  throw new GongjangError(
    "GJ_ERR_TRACE_FORMAT",
    `unrecognised header "${showHeader(table.header)}"; expected the columns of ${known}`,
    loc,
  );
}

function csvFormatOf(wanted: Exclude<FormatOption, "auto">): Exclude<TraceFormat, "generic-jsonl"> {
  return wanted === "generic" ? "generic-csv" : wanted;
}

function readTable(
  format: Exclude<TraceFormat, "generic-jsonl">,
  table: CsvTable,
  file: string,
  options: ReadOptions,
): TraceReadResult {
  switch (format) {
    case "generic-csv":
      return genericFromTable(table, file, options);
    case "openb":
      return openbFromTable(table, file, options);
    case "tiresias":
      return tiresiasFromTable(table, file, options);
    default: {
      const never: never = format;
      throw new Error(`unhandled trace format ${String(never)}`);
    }
  }
}
