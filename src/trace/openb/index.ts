/**
 * Alibaba's openb pod lists (cluster-trace-gpu-v2023, the FGD paper, USENIX ATC'23):
 * `openb_pod_list_*.csv`, one pod per row. Full files carry 11 columns; the
 * `multigpu*` files only the first five (no GPU types, QoS or times).
 */
import type { Job } from "../../core/model/job.ts";
import { type CsvTable, columnIndex, parseCsv } from "../csv.ts";
import {
  expected,
  isBlank,
  type NumberRule,
  RowFault,
  readNumber,
  readText,
  readTypeList,
} from "../fields.ts";
import { RowCollector } from "../rows.ts";
import { readTraceText } from "../source.ts";
import type { ReadOptions, TraceReadResult } from "../types.ts";

/** Columns every pod list has. */
export const OPENB_REQUIRED = ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"] as const;
/** Columns only the full pod lists have. */
export const OPENB_OPTIONAL = [
  "gpu_spec",
  "qos",
  "pod_phase",
  "creation_time",
  "deletion_time",
  "scheduled_time",
] as const;

type OpenbColumn = (typeof OPENB_REQUIRED)[number] | (typeof OPENB_OPTIONAL)[number];

/** Kubernetes-style QoS classes mapped to priority: latency-sensitive first, best-effort last. */
export const OPENB_QOS_PRIORITY: Readonly<Record<string, number>> = {
  LS: 3,
  Guaranteed: 2,
  Burstable: 1,
  BE: 0,
};

const COUNT: NumberRule = { integer: true, min: 0 };
const SHARE: NumberRule = { integer: true, min: 1, max: 1000 };
const MEMORY: NumberRule = { min: 0 };
const TIME: NumberRule = { min: 0 };

/**
 * Reads an openb pod list into jobs, in CSV row order: id = name, devices = num_gpu,
 * deviceMilli = gpu_milli (0 when num_gpu = 0), deviceTypes = gpu_spec split on `|`,
 * submitTime = creation_time (0 when absent), duration = deletion_time − scheduled_time
 * (− creation_time when unscheduled; Infinity when times are absent), priority from
 * qos (LS 3, Guaranteed 2, Burstable 1, BE or absent 0), tenant `default`.
 * Throws GJ_ERR_FILE_NOT_FOUND, GJ_ERR_TRACE_EMPTY, GJ_ERR_TRACE_FORMAT (header lacks
 * the five base columns) or GJ_ERR_TRACE_ROW (first bad row, unless `skipBadRows`).
 */
export function readOpenbPods(path: string, options: ReadOptions = {}): TraceReadResult {
  return parseOpenbPods(readTraceText(path), path, options);
}

/** As {@link readOpenbPods}, for text in memory; `file` names it in messages. */
export function parseOpenbPods(
  text: string,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  return openbFromTable(parseCsv(text, file), file, options);
}

/** As {@link readOpenbPods}, for an already split CSV table. Extra columns are ignored. */
export function openbFromTable(
  table: CsvTable,
  file: string,
  options: ReadOptions = {},
): TraceReadResult {
  const index = columnIndex<OpenbColumn>(table, file, "openb", OPENB_REQUIRED, OPENB_OPTIONAL);
  const width = table.header.length;
  const rows = new RowCollector(file, options);
  for (const { line, cells, problem } of table.rows) {
    if (problem !== undefined) rows.fault(line, new RowFault(undefined, problem));
    else if (cells.length !== width) {
      rows.fault(line, new RowFault(undefined, `expected ${width} fields, got ${cells.length}`));
    } else rows.add(line, () => openbJob((c) => (index[c] < 0 ? undefined : cells[index[c]])));
  }
  return rows.result();
}

function openbJob(get: (c: OpenbColumn) => string | undefined): Job {
  const id = readText(get("name"), "name");
  const cpuMilli = readNumber(get("cpu_milli"), "cpu_milli", COUNT);
  const memoryMiB = readNumber(get("memory_mib"), "memory_mib", MEMORY);
  const devices = readNumber(get("num_gpu"), "num_gpu", COUNT);
  const deviceMilli = devices === 0 ? 0 : readNumber(get("gpu_milli"), "gpu_milli", SHARE);
  if (devices > 1 && deviceMilli !== 1000)
    throw expected("gpu_milli", "1000 when num_gpu > 1", get("gpu_milli"));
  if (devices === 0) readNumber(get("gpu_milli"), "gpu_milli", COUNT, 0);
  const deviceTypes = readTypeList(get("gpu_spec"), "gpu_spec");
  const priority = readQos(get("qos"));
  const creation = readTime(get("creation_time"), "creation_time");
  const deletion = readTime(get("deletion_time"), "deletion_time");
  const scheduled = readTime(get("scheduled_time"), "scheduled_time");
  const start = scheduled ?? creation;
  let duration = Number.POSITIVE_INFINITY;
  if (deletion !== undefined && start !== undefined) {
    // A pod deleted the moment it was created (one in `default`) keeps duration 0.
    duration = deletion - start;
    if (duration < 0) {
      const from = scheduled === undefined ? "creation_time" : "scheduled_time";
      throw new RowFault("deletion_time", `${deletion} is before ${from} ${start}`);
    }
  }
  return {
    id,
    submitTime: creation ?? 0,
    duration,
    devices,
    deviceMilli,
    cpuMilli,
    memoryMiB,
    deviceTypes,
    priority,
    tenant: "default",
  };
}

function readQos(raw: string | undefined): number {
  if (raw === undefined || isBlank(raw)) return 0;
  const qos = raw.trim();
  // hasOwn, so "constructor" and friends are not mistaken for classes.
  if (Object.hasOwn(OPENB_QOS_PRIORITY, qos)) return OPENB_QOS_PRIORITY[qos];
  throw expected("qos", `one of ${Object.keys(OPENB_QOS_PRIORITY).join(", ")}`, raw);
}

function readTime(raw: string | undefined, column: string): number | undefined {
  return isBlank(raw) ? undefined : readNumber(raw, column, TIME);
}
