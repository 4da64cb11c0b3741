/**
 * The generic trace format: one job per row (CSV) or line (JSONL), under the names
 * below. docs/trace-format.md is the user-facing description of these rules; keep
 * the two in step.
 */
import type { Job } from "../../core/model/job.ts";
import {
  expected,
  isBlank,
  type NumberRule,
  readNumber,
  readText,
  readTypeList,
} from "../fields.ts";

/** Every column, in the order the writers emit them. */
export const GENERIC_COLUMNS = [
  "id",
  "submit_time",
  "duration",
  "devices",
  "device_milli",
  "cpu_milli",
  "memory_mib",
  "device_types",
  "priority",
  "tenant",
] as const;

/** A column (CSV) or key (JSONL) of the generic format. */
export type GenericColumn = (typeof GENERIC_COLUMNS)[number];

/** Columns a CSV header must name and a JSONL object must hold. */
export const GENERIC_REQUIRED: readonly GenericColumn[] = ["id", "submit_time", "devices"];

/** The numeric columns: in JSONL these must be JSON numbers, never strings. */
export const GENERIC_NUMERIC: readonly GenericColumn[] = [
  "submit_time",
  "devices",
  "device_milli",
  "cpu_milli",
  "memory_mib",
  "priority",
];

/** The tenant a row without one belongs to. */
export const DEFAULT_TENANT = "default";

const SUBMIT: NumberRule = { min: 0 };
const DURATION: NumberRule = { min: 0 };
const DEVICES: NumberRule = { integer: true, min: 0 };
const SHARE: NumberRule = { integer: true, min: 1, max: 1000 };
const CPU: NumberRule = { integer: true, min: 0 };
const MEMORY: NumberRule = { min: 0 };
const PRIORITY: NumberRule = { integer: true };

/** Words that mean "never ends" in the duration column, compared case-insensitively. */
const FOREVER = new Set(["inf", "infinity"]);

/**
 * Builds a job from one row; `get` returns a column's raw value (a CSV cell string,
 * a JSON value, or undefined when absent). Throws RowFault on the first bad value.
 */
export function genericJob(get: (column: GenericColumn) => unknown): Job {
  const id = readId(get("id"));
  const submitTime = readNumber(get("submit_time"), "submit_time", SUBMIT);
  const duration = readDuration(get("duration"));
  const devices = readNumber(get("devices"), "devices", DEVICES);
  const deviceMilli = readShare(get("device_milli"), devices);
  const cpuMilli = readNumber(get("cpu_milli"), "cpu_milli", CPU, 0);
  const memoryMiB = readNumber(get("memory_mib"), "memory_mib", MEMORY, 0);
  const deviceTypes = readDeviceTypes(get("device_types"));
  const priority = readNumber(get("priority"), "priority", PRIORITY, 0);
  const tenant = readText(get("tenant"), "tenant", DEFAULT_TENANT);
  return {
    id,
    submitTime,
    duration,
    devices,
    deviceMilli,
    cpuMilli,
    memoryMiB,
    deviceTypes,
    priority,
    tenant,
  };
}

/** A non-empty string; JSONL may also give a whole number, kept as its decimal text. */
function readId(raw: unknown): string {
  if (typeof raw === "number" && Number.isSafeInteger(raw)) return String(raw);
  return readText(raw, "id");
}

/** Blank, `inf` or `infinity` → Infinity (never ends); otherwise seconds ≥ 0. */
function readDuration(raw: unknown): number {
  if (isBlank(raw)) return Number.POSITIVE_INFINITY;
  if (typeof raw === "string" && FOREVER.has(raw.trim().toLowerCase()))
    return Number.POSITIVE_INFINITY;
  try {
    return readNumber(raw, "duration", DURATION);
  } catch {
    throw expected("duration", 'seconds ≥ 0, or "inf" / empty for never', raw);
  }
}

/** Per-device share: 0 (or blank) for CPU-only jobs, 1..1000 for one device, 1000 for several. */
function readShare(raw: unknown, devices: number): number {
  if (devices === 0) {
    if (isBlank(raw)) return 0;
    try {
      return readNumber(raw, "device_milli", { min: 0, max: 0 });
    } catch {
      throw expected("device_milli", "0 or empty when devices = 0", raw);
    }
  }
  const milli = readNumber(raw, "device_milli", SHARE, 1000);
  if (devices > 1 && milli !== 1000) throw expected("device_milli", "1000 when devices > 1", raw);
  return milli;
}

/** `|`-separated text, or (JSONL) an array of non-empty strings. */
function readDeviceTypes(raw: unknown): string[] {
  if (!Array.isArray(raw)) return readTypeList(raw, "device_types");
  const bad = raw.some((t) => typeof t !== "string" || t.trim() === "" || t.includes("|"));
  if (bad) throw expected("device_types", "an array of device type names", raw);
  return raw.map((t: string) => t.trim());
}
