/**
 * The built-in openb fleets: the nodes of Alibaba's cluster-trace-gpu-v2023 (the FGD
 * paper, USENIX ATC'23), read from the unmodified CSVs in ./data (see its README).
 *
 * Node order is the CSV row order, always: the FGD experiment breaks score ties by
 * node index, so reordering nodes changes published-curve fidelity. Because fleet
 * order is site › rack › domain › node and the CSV interleaves GPU models, a rack
 * here is a run of consecutive rows of one model (`g2-0`, `t4-0`, `g2-1`, …), not
 * one rack per model. The trace states no real topology; racks and domains (one
 * per node) only give the tree its shape.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { GongjangError } from "../../core/errors.ts";
import type { DeviceType, Domain, Fleet, FleetNode, Rack } from "../../core/model/fleet.ts";

/**
 * The GPU models of the trace. Memory is the card's; G2 and G3 are undisclosed
 * internal codes, so memory 0 means unknown. Speed is 1.0 for every model: the
 * trace's run times were measured on these very cards, and it records no relative
 * speeds, so a replay must not rescale them.
 */
export const OPENB_DEVICE_TYPES: readonly DeviceType[] = [
  { id: "P100", vendor: "nvidia", memoryGiB: 16, speed: 1 },
  { id: "T4", vendor: "nvidia", memoryGiB: 16, speed: 1 },
  { id: "V100M16", vendor: "nvidia", memoryGiB: 16, speed: 1 },
  { id: "V100M32", vendor: "nvidia", memoryGiB: 32, speed: 1 },
  { id: "G2", vendor: "unknown", memoryGiB: 0, speed: 1 },
  { id: "G3", vendor: "unknown", memoryGiB: 0, speed: 1 },
  { id: "A10", vendor: "nvidia", memoryGiB: 24, speed: 1 },
];

/** The trace's node files: `gpu` is what FGD used; `all` adds the 310 CPU-only nodes. */
export const OPENB_NODE_FILES = {
  gpu: join(import.meta.dirname, "data", "openb_node_list_gpu_node.csv"),
  all: join(import.meta.dirname, "data", "openb_node_list_all_node.csv"),
} as const;

interface Row {
  readonly sn: string;
  readonly cpu_milli: string;
  readonly memory_mib: string;
  readonly gpu: string;
  readonly model: string;
}

/**
 * The openb fleet: `gpu` = 1,213 GPU nodes with 6,212 GPUs; `all` = 1,523 nodes
 * (310 of them CPU-only). One site `openb` with residency [cn]; node ids are the
 * trace's `sn`; nodes are in CSV row order. Throws GJ_ERR_FLEET_INVALID naming the
 * line if the bundled CSV has been damaged.
 */
export function openbFleet(which: "gpu" | "all"): Fleet {
  const file = OPENB_NODE_FILES[which];
  const nodes = readOpenbNodes(file);
  const racks: Rack[] = [];
  const runsPerModel = new Map<string, number>();
  let current: { model: string; domains: Domain[] } | undefined;
  for (const { node, model } of nodes) {
    if (current === undefined || current.model !== model) {
      const k = runsPerModel.get(model) ?? 0;
      runsPerModel.set(model, k + 1);
      current = { model, domains: [] };
      racks.push({ id: `${model.toLowerCase()}-${k}`, domains: current.domains });
    }
    current.domains.push({ id: node.id, nodes: [node] });
  }
  return {
    name: which === "gpu" ? "openb" : "openb-all",
    deviceTypes: OPENB_DEVICE_TYPES,
    sites: [{ id: "openb", residency: ["cn"], racks }],
  };
}

/** Parses one node CSV; `model` is the rack group ("cpu" for CPU-only nodes). */
function readOpenbNodes(file: string): { node: FleetNode; model: string }[] {
  const parsed = Papa.parse<Row>(readFileSync(file, "utf8"), {
    header: true,
    skipEmptyLines: true,
  });
  const expected = ["sn", "cpu_milli", "memory_mib", "gpu", "model"];
  if (parsed.meta.fields?.join(",") !== expected.join(",")) {
    const got = parsed.meta.fields?.join(",") ?? "none";
    throw new GongjangError(
      "GJ_ERR_FLEET_INVALID",
      `expected columns ${expected.join(",")}, got ${got}`,
      {
        file,
        line: 1,
      },
    );
  }
  const types = new Set(OPENB_DEVICE_TYPES.map((t) => t.id));
  return parsed.data.map((row, i) => {
    const bad = (what: string): GongjangError =>
      new GongjangError("GJ_ERR_FLEET_INVALID", what, { file, line: i + 2 }); // +1 header, +1 one-based
    const [cpuMilli, memoryMiB, devices] = [row.cpu_milli, row.memory_mib, row.gpu].map(Number);
    if (![cpuMilli, memoryMiB, devices].every((v) => Number.isInteger(v) && v >= 0))
      throw bad("cpu_milli, memory_mib and gpu must be integers >= 0");
    const model = row.model.trim();
    if (model === "" ? devices !== 0 : !types.has(model) || devices === 0)
      throw bad(`gpu ${devices} with model "${model}": unknown model or GPU count`);
    const node = {
      id: row.sn,
      deviceType: model === "" ? null : model,
      devices,
      cpuMilli,
      memoryMiB,
    };
    return { node, model: model === "" ? "cpu" : model };
  });
}
