/**
 * Readers for the generic trace format (docs/trace-format.md), as CSV with a header
 * row or as JSONL with one object per line. Both keep file order and report bad rows
 * by their physical line.
 */
import { extname } from "node:path";
import { GongjangError } from "../../core/errors.ts";
import { type CsvTable, columnIndex, parseCsv, showHeader } from "../csv.ts";
import { RowFault, show } from "../fields.ts";
import { RowCollector } from "../rows.ts";
import { readTraceText, stripBom } from "../source.ts";
import type { ReadOptions, TraceReadResult } from "../types.ts";
import {
  GENERIC_COLUMNS,
  GENERIC_NUMERIC,
  GENERIC_REQUIRED,
  type GenericColumn,
  genericJob,
} from "./columns.ts";

const KNOWN = new Set<string>(GENERIC_COLUMNS);
const OPTIONAL = GENERIC_COLUMNS.filter((c) => !GENERIC_REQUIRED.includes(c));

/**
 * Reads a generic trace file: JSONL when {@link looksLikeJsonl} says so, CSV otherwise.
 * Throws GJ_ERR_FILE_NOT_FOUND, GJ_ERR_TRACE_EMPTY, GJ_ERR_TRACE_FORMAT (bad header)
 * or GJ_ERR_TRACE_ROW (first bad row, unless `skipBadRows`).
 */
export function readGenericTrace(path: string, options: ReadOptions = {}): TraceReadResult {
  const text = readTraceText(path);
  return looksLikeJsonl(path, text)
    ? parseGenericJsonl(text, path, options)
    : parseGenericCsv(text, path, options);
}

/** True for a `.jsonl`/`.ndjson` name, or text whose first non-blank character is `{`. */
export function looksLikeJsonl(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === ".jsonl" || ext === ".ndjson" || stripBom(text).trimStart().startsWith("{");
}

/** Parses generic CSV `text`; `file` names it in messages. Contract as {@link readGenericTrace}. */
export function parseGenericCsv(
  text: string,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  return genericFromTable(parseCsv(text, file), file, options);
}

/**
 * Builds jobs from an already split CSV table. The header must name the required
 * columns and nothing outside the format: an unknown column is almost always a typo
 * (`device_mili`) that would otherwise silently fall back to a default.
 */
export function genericFromTable(
  table: CsvTable,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  const unknown = table.header.filter((h) => !KNOWN.has(h));
  if (unknown.length > 0) {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      `unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(", ")} in header "${showHeader(table.header)}"; ` +
        `the generic format has ${GENERIC_COLUMNS.join(", ")}`,
      { file, line: table.headerLine },
    );
  }
  const index = columnIndex(table, file, "generic", GENERIC_REQUIRED, OPTIONAL);
  const width = table.header.length;
  const rows = new RowCollector(file, options, "column");
  for (const { line, cells, problem } of table.rows) {
    if (problem !== undefined) rows.fault(line, new RowFault(undefined, problem));
    else if (cells.length !== width) {
      rows.fault(line, new RowFault(undefined, `expected ${width} fields, got ${cells.length}`));
    } else rows.add(line, () => genericJob((c) => (index[c] < 0 ? undefined : cells[index[c]])));
  }
  return rows.result();
}

/**
 * Parses generic JSONL `text`: one JSON object per line, blank lines ignored. Keys
 * are the CSV column names; unknown keys and numbers written as strings are row
 * faults. Contract as {@link readGenericTrace}.
 */
export function parseGenericJsonl(
  text: string,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  const rows = new RowCollector(file, options, "field");
  const lines = stripBom(text).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i];
    if (src.trim() === "") continue;
    rows.add(i + 1, () => genericJob(jsonRow(src)));
  }
  return rows.result();
}

/** Parses one line and checks its keys and number types; returns the column getter. */
function jsonRow(src: string): (c: GenericColumn) => unknown {
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (err) {
    throw new RowFault(undefined, `invalid JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RowFault(undefined, `expected a JSON object, got ${show(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN.has(key))
      throw new RowFault(key, `unknown field; the format has ${GENERIC_COLUMNS.join(", ")}`);
  }
  for (const key of GENERIC_NUMERIC) {
    if (typeof obj[key] === "string")
      throw new RowFault(key, `expected a JSON number, got ${show(obj[key])}`);
  }
  return (c) => (Object.hasOwn(obj, c) ? obj[c] : undefined);
}
