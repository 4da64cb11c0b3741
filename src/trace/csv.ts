/**
 * CSV as trace adapters need it: papaparse does the splitting (quotes, CRLF, a
 * missing final newline), and we add the physical line each row starts on, so a
 * message can say `trace.csv:17` even after quoted fields that span lines.
 */
import Papa from "papaparse";
import { GongjangError } from "../core/errors.ts";
import { stripBom } from "./source.ts";

/** One data row: its cells as written and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
  /** Set when papaparse could not split the row cleanly (e.g. an unclosed quote). */
  readonly problem?: string;
}

/** A parsed file: the header (cells trimmed) and the data rows, blank lines left out. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly headerLine: number;
  readonly rows: readonly CsvRow[];
}

/**
 * Splits comma-separated `text` into a header and rows. Lines holding only
 * whitespace are dropped but still counted, so line numbers stay physical
 * (the header is line 1 unless blank lines precede it).
 * Throws GJ_ERR_TRACE_EMPTY when no header row exists.
 */
export function parseCsv(raw: string, file: string): CsvTable {
  const text = stripBom(raw);
  // Count the breaks papaparse splits on; a file of bare CRs would otherwise read as one line.
  const nl = text.includes("\n") ? "\n" : "\r";
  const all: CsvRow[] = [];
  let cursor = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: ",",
    step: (res) => {
      const start = line;
      const end = res.meta.cursor;
      for (let i = text.indexOf(nl, cursor); i !== -1 && i < end; i = text.indexOf(nl, i + 1))
        line++;
      cursor = end;
      const cells = res.data;
      if (cells.length === 1 && cells[0].trim() === "") return;
      const problem = res.errors.length > 0 ? describeParseError(res.errors[0]) : undefined;
      all.push(problem === undefined ? { line: start, cells } : { line: start, cells, problem });
    },
  });
  const first = all[0];
  if (first === undefined)
    throw new GongjangError("GJ_ERR_TRACE_EMPTY", "the file has no header row", { file });
  return { header: first.cells.map((c) => c.trim()), headerLine: first.line, rows: all.slice(1) };
}

function describeParseError(err: Papa.ParseError): string {
  if (err.code === "MissingQuotes") return "a quoted field is never closed";
  if (err.code === "InvalidQuotes") return "a quote appears inside an unquoted field";
  return err.message;
}

/**
 * Maps each wanted column to its index in `header` (-1 when absent).
 * Throws GJ_ERR_TRACE_FORMAT when a `required` column is missing or a column repeats,
 * naming the header it saw.
 */
export function columnIndex<C extends string>(
  table: CsvTable,
  file: string,
  format: string,
  required: readonly C[],
  optional: readonly C[] = [],
): Record<C, number> {
  const { header } = table;
  const loc = { file, line: table.headerLine };
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      `column "${dup}" appears twice in the header`,
      loc,
    );
  }
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      `missing column(s) ${missing.join(", ")} of the ${format} format; saw "${showHeader(header)}"`,
      loc,
    );
  }
  const out = {} as Record<C, number>;
  for (const c of [...required, ...optional]) out[c] = header.indexOf(c);
  return out;
}

/** The header as one line for messages, cut short so binary-ish junk stays readable. */
export function showHeader(header: readonly string[]): string {
  const s = header.join(",");
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
