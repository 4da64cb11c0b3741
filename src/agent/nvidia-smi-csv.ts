/**
 * Reads nvidia-smi's `--query-gpu` and `--query-compute-apps` CSV: the cheap queries a
 * node agent runs every few seconds to sample utilisation and per-process memory.
 *
 * We ask for `--format=csv` (with its header and units) rather than `noheader,nounits`:
 * the header names each column, so a driver that reorders or drops a field is caught
 * instead of silently shifting every value, and the unit suffixes are stripped here.
 */
import { GongjangError } from "../core/errors.ts";
import { numberOf } from "./nvidia-smi-xml.ts";

/** The fields {@link GPU_QUERY} asks for, in order. */
export const GPU_FIELDS = [
  "index",
  "uuid",
  "name",
  "pci.bus_id",
  "memory.total",
  "memory.used",
  "memory.free",
  "utilization.gpu",
  "utilization.memory",
  "temperature.gpu",
  "power.draw",
  "power.limit",
  "clocks.current.sm",
  "clocks.max.sm",
  "mig.mode.current",
  "ecc.errors.uncorrected.volatile.total",
  "driver_version",
] as const;

/** Arguments for the per-GPU sample. */
export const GPU_QUERY = [`--query-gpu=${GPU_FIELDS.join(",")}`, "--format=csv"] as const;

export const APP_FIELDS = ["pid", "gpu_uuid", "used_gpu_memory", "process_name"] as const;

/** Arguments for the per-process sample. */
export const APP_QUERY = [`--query-compute-apps=${APP_FIELDS.join(",")}`, "--format=csv"] as const;

/** One GPU at one instant. Unsupported or N/A values are null. */
export interface GpuSample {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  readonly memoryTotalMiB: number | null;
  readonly memoryUsedMiB: number | null;
  readonly utilizationGpu: number | null;
  readonly utilizationMemory: number | null;
  readonly temperatureC: number | null;
  readonly powerW: number | null;
  readonly migMode: string | null;
  readonly eccUncorrectedVolatile: number | null;
}

/** One process holding GPU memory. `gpuUuid` is the physical GPU (also under MIG). */
export interface ComputeApp {
  readonly pid: number;
  readonly gpuUuid: string;
  readonly usedMemoryMiB: number | null;
  readonly processName: string;
}

/**
 * Splits nvidia-smi CSV into rows keyed by field name. Header cells such as
 * `memory.total [MiB]` lose their unit. Throws GJ_ERR_NVIDIA_SMI_OUTPUT when the header
 * lacks a `required` field or a row has the wrong number of cells.
 */
export function parseSmiCsv(
  text: string,
  required: readonly string[],
  source: string,
): Record<string, string>[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return [];
  const header = lines[0].split(",").map((h) => h.trim().replace(/\s*\[.*\]$/, ""));
  const missing = required.filter((f) => !header.includes(f));
  if (missing.length > 0)
    throw new GongjangError(
      "GJ_ERR_NVIDIA_SMI_OUTPUT",
      `header lacks ${missing.join(", ")} (got: ${lines[0].slice(0, 120)})`,
      { file: source, line: 1 },
    );
  return lines.slice(1).map((line, i) => {
    // Names never contain commas in practice; a split that disagrees with the header is an error.
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== header.length)
      throw new GongjangError(
        "GJ_ERR_NVIDIA_SMI_OUTPUT",
        `expected ${header.length} cells, got ${cells.length}`,
        { file: source, line: i + 2 },
      );
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

function naToNull(v: string): string | null {
  return /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i.test(v) ? null : v;
}

function intField(row: Record<string, string>, field: string, source: string, line: number) {
  const n = numberOf(row[field]);
  if (n === null || !Number.isInteger(n))
    throw new GongjangError(
      "GJ_ERR_NVIDIA_SMI_OUTPUT",
      `${field} is not an integer: ${row[field]}`,
      {
        file: source,
        line,
      },
    );
  return n;
}

/** Parses `nvidia-smi` run with {@link GPU_QUERY}. */
export function parseGpuQuery(text: string): GpuSample[] {
  const src = "nvidia-smi --query-gpu";
  return parseSmiCsv(text, ["index", "uuid", "memory.total", "memory.used"], src).map((r, i) => ({
    index: intField(r, "index", src, i + 2),
    uuid: r.uuid,
    name: r.name ?? "unknown",
    memoryTotalMiB: numberOf(r["memory.total"]),
    memoryUsedMiB: numberOf(r["memory.used"]),
    utilizationGpu: numberOf(r["utilization.gpu"]),
    utilizationMemory: numberOf(r["utilization.memory"]),
    temperatureC: numberOf(r["temperature.gpu"]),
    powerW: numberOf(r["power.draw"]),
    migMode: naToNull(r["mig.mode.current"] ?? "[N/A]"),
    eccUncorrectedVolatile: numberOf(r["ecc.errors.uncorrected.volatile.total"]),
  }));
}

/** Parses `nvidia-smi` run with {@link APP_QUERY}. No processes → header only → []. */
export function parseComputeApps(text: string): ComputeApp[] {
  const src = "nvidia-smi --query-compute-apps";
  // With no process on any GPU, older drivers print "No running processes found".
  if (/^\s*No running processes found\s*$/im.test(text)) return [];
  return parseSmiCsv(text, ["pid", "gpu_uuid", "used_gpu_memory"], src).map((r, i) => ({
    pid: intField(r, "pid", src, i + 2),
    gpuUuid: r.gpu_uuid,
    usedMemoryMiB: numberOf(r.used_gpu_memory),
    processName: r.process_name ?? "",
  }));
}
