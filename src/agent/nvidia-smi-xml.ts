/**
 * Reads `nvidia-smi -q -x` into a GPU inventory: what a node agent reports when it
 * registers (UUIDs, model, memory, MIG layout, health counters).
 *
 * The XML's DTD changes between drivers (v12 → v13 renamed the ECC counters), so fields
 * are read by name and missing ones become null; only the skeleton (root, gpu, uuid) is
 * required, and its absence is a coded GJ_ERR_NVIDIA_SMI_OUTPUT error.
 */
import { GongjangError } from "../core/errors.ts";
import { child, parseXml, textAt, type XmlElement, XmlSyntaxError } from "./xml.ts";

/** A MIG mode as nvidia-smi reports it; null where the GPU has no MIG ("N/A"). */
export type MigMode = "enabled" | "disabled" | null;

/** One MIG instance (GPU instance + compute instance) carved out of a GPU. */
export interface MigDevice {
  /** Position among its GPU's MIG devices; `nvidia-smi -L` numbers them the same way. */
  readonly index: number;
  readonly gpuInstanceId: number | null;
  readonly computeInstanceId: number | null;
  readonly memoryTotalMiB: number | null;
  readonly memoryUsedMiB: number | null;
  /** `MIG-…` UUID (from `nvidia-smi -L`; the XML does not carry it), usable in CUDA_VISIBLE_DEVICES. */
  readonly uuid: string | null;
  /** Profile name such as `1g.10gb` (from `nvidia-smi -L`). */
  readonly profile: string | null;
}

export interface GpuInfo {
  /** 0-based position in nvidia-smi's order (the index `--query-gpu=index` prints). */
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  readonly pciBusId: string | null;
  readonly memoryTotalMiB: number | null;
  readonly memoryUsedMiB: number | null;
  /** Percent busy over the last sample period. */
  readonly utilizationGpu: number | null;
  readonly utilizationMemory: number | null;
  readonly migCurrent: MigMode;
  readonly migPending: MigMode;
  readonly migDevices: readonly MigDevice[];
  /** Lifetime ECC error counts summed over memory kinds; null where ECC is off or unreported. */
  readonly eccAggregate: { readonly correctable: number; readonly uncorrectable: number } | null;
}

export interface GpuInventory {
  readonly driverVersion: string | null;
  readonly cudaVersion: string | null;
  readonly gpus: readonly GpuInfo[];
}

/** "81559 MiB" → 81559, "0 %" → 0, "N/A" / "[Not Supported]" / missing → null. */
export function numberOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)(?:\s*\S+)?\s*$/.exec(text);
  return m === null ? null : Number(m[1]);
}

function migMode(text: string | undefined): MigMode {
  const t = text?.toLowerCase();
  return t === "enabled" ? "enabled" : t === "disabled" ? "disabled" : null;
}

function bad(message: string, path?: string): GongjangError {
  return new GongjangError("GJ_ERR_NVIDIA_SMI_OUTPUT", message, { file: "nvidia-smi -q -x", path });
}

/**
 * Parses the XML `nvidia-smi -q -x` prints. Throws GJ_ERR_NVIDIA_SMI_OUTPUT for
 * malformed XML, a root other than `nvidia_smi_log`, or a GPU without a UUID.
 * MIG device UUIDs are null here; {@link withMigUuids} fills them from `nvidia-smi -L`.
 */
export function parseNvidiaSmiXml(xml: string): GpuInventory {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw bad(`malformed XML: ${e.message}`);
    throw e;
  }
  if (root.name !== "nvidia_smi_log")
    throw bad(`root element is <${root.name}>, not <nvidia_smi_log>`);
  const gpus = root.children
    .filter((c) => c.name === "gpu")
    .map((gpu, index) => parseGpu(gpu, index));
  return {
    driverVersion: textAt(root, "driver_version") ?? null,
    cudaVersion: textAt(root, "cuda_version") ?? null,
    gpus,
  };
}

function parseGpu(gpu: XmlElement, index: number): GpuInfo {
  const uuid = textAt(gpu, "uuid");
  if (uuid === undefined || !uuid.startsWith("GPU-"))
    throw bad(`GPU ${index} has no GPU-… uuid`, `gpu[${index}].uuid`);
  const migDevices = (child(gpu, "mig_devices")?.children ?? [])
    .filter((c) => c.name === "mig_device")
    .map(
      (m, i): MigDevice => ({
        index: numberOf(textAt(m, "index")) ?? i,
        gpuInstanceId: numberOf(textAt(m, "gpu_instance_id")),
        computeInstanceId: numberOf(textAt(m, "compute_instance_id")),
        memoryTotalMiB: numberOf(textAt(m, "fb_memory_usage/total")),
        memoryUsedMiB: numberOf(textAt(m, "fb_memory_usage/used")),
        uuid: null,
        profile: null,
      }),
    );
  return {
    index,
    uuid,
    name: textAt(gpu, "product_name") ?? "unknown",
    pciBusId: textAt(gpu, "pci/pci_bus_id") ?? gpu.attrs.id ?? null,
    memoryTotalMiB: numberOf(textAt(gpu, "fb_memory_usage/total")),
    memoryUsedMiB: numberOf(textAt(gpu, "fb_memory_usage/used")),
    utilizationGpu: numberOf(textAt(gpu, "utilization/gpu_util")),
    utilizationMemory: numberOf(textAt(gpu, "utilization/memory_util")),
    migCurrent: migMode(textAt(gpu, "mig_mode/current_mig")),
    migPending: migMode(textAt(gpu, "mig_mode/pending_mig")),
    migDevices,
    eccAggregate: eccOf(child(gpu, "ecc_errors/aggregate")),
  };
}

/**
 * Sums ECC counters by kind. Drivers ≥ 555 (DTD v13) name them `sram_correctable`,
 * `dram_uncorrectable`, …; older ones nest `single_bit/total` and `double_bit/total`.
 */
function eccOf(aggregate: XmlElement | undefined): GpuInfo["eccAggregate"] {
  if (aggregate === undefined) return null;
  let correctable = 0;
  let uncorrectable = 0;
  let seen = false;
  for (const c of aggregate.children) {
    const legacy = c.name === "single_bit" || c.name === "double_bit";
    const n = numberOf(legacy ? textAt(c, "total") : c.text);
    if (n === null) continue;
    seen = true;
    if (c.name === "double_bit" || c.name.includes("uncorrectable")) uncorrectable += n;
    else if (c.name === "single_bit" || c.name.includes("correctable")) correctable += n;
  }
  return seen ? { correctable, uncorrectable } : null;
}

/** One line of `nvidia-smi -L`: a GPU and the MIG devices listed under it. */
export interface ListedGpu {
  readonly index: number;
  readonly uuid: string;
  readonly mig: readonly { index: number; profile: string; uuid: string }[];
}

const GPU_LINE = /^GPU (\d+): .*\(UUID: (GPU-[0-9a-fA-F-]+)\)\s*$/;
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: (MIG-[0-9a-fA-F-]+)\)\s*$/;

/** Parses `nvidia-smi -L`. Throws GJ_ERR_NVIDIA_SMI_OUTPUT on a line it does not know. */
export function parseNvidiaSmiList(text: string): ListedGpu[] {
  const gpus: { index: number; uuid: string; mig: ListedGpu["mig"][number][] }[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const g = GPU_LINE.exec(line);
    if (g !== null) {
      gpus.push({ index: Number(g[1]), uuid: g[2], mig: [] });
      return;
    }
    const m = MIG_LINE.exec(line);
    const owner = gpus.at(-1);
    if (m === null || owner === undefined)
      throw new GongjangError("GJ_ERR_NVIDIA_SMI_OUTPUT", `unexpected line: ${line.slice(0, 80)}`, {
        file: "nvidia-smi -L",
        line: i + 1,
      });
    owner.mig.push({ index: Number(m[2]), profile: m[1], uuid: m[3] });
  });
  return gpus;
}

/** The inventory with each MIG device's UUID and profile taken from `nvidia-smi -L`. */
export function withMigUuids(inv: GpuInventory, listed: readonly ListedGpu[]): GpuInventory {
  const byUuid = new Map(listed.map((g) => [g.uuid, g]));
  return {
    ...inv,
    gpus: inv.gpus.map((gpu) => {
      const l = byUuid.get(gpu.uuid);
      if (l === undefined || gpu.migDevices.length === 0) return gpu;
      return {
        ...gpu,
        migDevices: gpu.migDevices.map((m) => {
          const hit = l.mig.find((x) => x.index === m.index);
          return hit === undefined ? m : { ...m, uuid: hit.uuid, profile: hit.profile };
        }),
      };
    }),
  };
}
