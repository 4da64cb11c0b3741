/**
 * Tiresias's job list (SymbioticLab/Tiresias, NSDI'19: `simulator/60_job.csv`):
 * job_id, num_gpu, submit_time, iterations, model_name, duration, interval.
 * Whole-GPU jobs with no CPU or memory request; CRLF line ends and a missing final
 * newline are both normal here.
 */
import type { Job } from "../../core/model/job.ts";
import { type CsvTable, columnIndex, parseCsv } from "../csv.ts";
import { type NumberRule, RowFault, readNumber, readText } from "../fields.ts";
import { RowCollector } from "../rows.ts";
import { readTraceText } from "../source.ts";
import type { ReadOptions, TraceReadResult } from "../types.ts";

/** Columns a Tiresias job list must have; iterations, model_name and interval are ignored. */
export const TIRESIAS_REQUIRED = ["job_id", "num_gpu", "submit_time", "duration"] as const;

type TiresiasColumn = (typeof TIRESIAS_REQUIRED)[number];

const GPUS: NumberRule = { integer: true, min: 0 };
const TIME: NumberRule = { min: 0 };
const DURATION: NumberRule = { above: 0 };

/**
 * Reads a Tiresias job list: id `tiresias-<job_id>`, devices = num_gpu at 1000 milli
 * each (0 for num_gpu = 0), submitTime and duration in seconds (duration > 0), no CPU
 * or memory request, priority 0, tenant `default`; file order kept.
 * Throws GJ_ERR_FILE_NOT_FOUND, GJ_ERR_TRACE_EMPTY, GJ_ERR_TRACE_FORMAT or
 * GJ_ERR_TRACE_ROW (first bad row, unless `skipBadRows`).
 */
export function readTiresiasJobs(path: string, options: ReadOptions = {}): TraceReadResult {
  return parseTiresiasJobs(readTraceText(path), path, options);
}

/** As {@link readTiresiasJobs}, for text in memory; `file` names it in messages. */
export function parseTiresiasJobs(
  text: string,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  return tiresiasFromTable(parseCsv(text, file), file, options);
}

/** As {@link readTiresiasJobs}, for an already split CSV table. */
export function tiresiasFromTable(
  table: CsvTable,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  const index = columnIndex<TiresiasColumn>(table, file, "Tiresias job list", TIRESIAS_REQUIRED);
  const width = table.header.length;
  const rows = new RowCollector(file, options);
  for (const { line, cells, problem } of table.rows) {
    if (problem !== undefined) rows.fault(line, new RowFault(undefined, problem));
    else if (cells.length !== width) {
      rows.fault(line, new RowFault(undefined, `expected ${width} fields, got ${cells.length}`));
    } else rows.add(line, () => tiresiasJob((c) => cells[index[c]]));
  }
  return rows.result();
}

function tiresiasJob(get: (c: TiresiasColumn) => string): Job {
  const jobId = readText(get("job_id"), "job_id").trim();
  const devices = readNumber(get("num_gpu"), "num_gpu", GPUS);
  return {
    id: `tiresias-${jobId}`,
    submitTime: readNumber(get("submit_time"), "submit_time", TIME),
    duration: readNumber(get("duration"), "duration", DURATION),
    devices,
    deviceMilli: devices === 0 ? 0 : 1000,
    cpuMilli: 0,
    memoryMiB: 0,
    deviceTypes: [],
    priority: 0,
    tenant: "default",
  };
}
