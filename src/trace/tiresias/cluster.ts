/**
 * Tiresias's cluster specs (`cluster_spec.csv`, `n32g4.csv`, …): one row of
 * num_switch, num_node_p_switch, num_gpu_p_node, num_cpu_p_node, mem_p_node (GB),
 * turned into a {@link Fleet}: one site, a rack per switch, a domain per node.
 */
import { basename, extname } from "node:path";
import { GongjangError } from "../../core/errors.ts";
import type { DeviceType, Domain, Fleet, Rack } from "../../core/model/fleet.ts";
import { columnIndex, parseCsv } from "../csv.ts";
import { RowFault, readNumber } from "../fields.ts";
import { readTraceText } from "../source.ts";

/** The one GPU model Tiresias assumes; memory 0 means "not stated". */
export const TIRESIAS_GPU: DeviceType = {
  id: "tiresias-gpu",
  vendor: "tiresias",
  memoryGiB: 0,
  speed: 1,
};

/** The shape of a Tiresias cluster, as its spec file states it. */
export interface TiresiasClusterSpec {
  readonly switches: number;
  readonly nodesPerSwitch: number;
  readonly gpusPerNode: number;
  readonly cpusPerNode: number;
  readonly memoryGBPerNode: number;
}

const SPEC_COLUMNS = [
  "num_switch",
  "num_node_p_switch",
  "num_gpu_p_node",
  "num_cpu_p_node",
  "mem_p_node",
] as const;

/**
 * Parses a cluster spec file's first data row (all five columns, integers ≥ 0;
 * at least one switch and node). Throws GJ_ERR_TRACE_FORMAT for a wrong header,
 * GJ_ERR_TRACE_ROW naming file:line and column for a bad value, GJ_ERR_TRACE_EMPTY
 * when there is no data row.
 */
export function parseTiresiasClusterSpec(text: string, file: string): TiresiasClusterSpec {
  const table = parseCsv(text, file);
  const index = columnIndex(table, file, "Tiresias cluster spec", SPEC_COLUMNS);
  const row = table.rows[0];
  if (row === undefined)
    throw new GongjangError("GJ_ERR_TRACE_EMPTY", "the cluster spec has no data row", { file });
  const get = (c: (typeof SPEC_COLUMNS)[number], min: number): number =>
    readNumber(row.cells[index[c]], c, { integer: true, min });
  try {
    if (row.problem !== undefined) throw new RowFault(undefined, row.problem);
    return {
      switches: get("num_switch", 1),
      nodesPerSwitch: get("num_node_p_switch", 1),
      gpusPerNode: get("num_gpu_p_node", 0),
      cpusPerNode: get("num_cpu_p_node", 0),
      memoryGBPerNode: get("mem_p_node", 0),
    };
  } catch (err) {
    if (!(err instanceof RowFault)) throw err;
    const what = err.column === undefined ? err.message : `column ${err.column}: ${err.message}`;
    throw new GongjangError("GJ_ERR_TRACE_ROW", what, { file, line: row.line });
  }
}

/**
 * Reads a cluster spec file into a fleet named `tiresias-<file stem>`: racks
 * `switch-<s>`, and per node a domain and node `s<s>-n<n>` holding
 * num_gpu_p_node `tiresias-gpu` devices, num_cpu_p_node × 1000 CPU milli and
 * mem_p_node × 1024 MiB. Errors as {@link parseTiresiasClusterSpec} plus
 * GJ_ERR_FILE_NOT_FOUND.
 */
export function tiresiasClusterFleet(path: string): Fleet {
  const spec = parseTiresiasClusterSpec(readTraceText(path), path);
  return tiresiasFleet(spec, `tiresias-${basename(path, extname(path))}`);
}

/** Builds the fleet for `spec` as {@link tiresiasClusterFleet} describes; pure. */
export function tiresiasFleet(spec: TiresiasClusterSpec, name: string): Fleet {
  const racks: Rack[] = [];
  for (let s = 0; s < spec.switches; s++) {
    const domains: Domain[] = [];
    for (let n = 0; n < spec.nodesPerSwitch; n++) {
      const id = `s${s}-n${n}`;
      domains.push({
        id,
        nodes: [
          {
            id,
            deviceType: spec.gpusPerNode > 0 ? TIRESIAS_GPU.id : null,
            devices: spec.gpusPerNode,
            cpuMilli: spec.cpusPerNode * 1000,
            memoryMiB: spec.memoryGBPerNode * 1024,
          },
        ],
      });
    }
    racks.push({ id: `switch-${s}`, domains });
  }
  return { name, deviceTypes: [TIRESIAS_GPU], sites: [{ id: "tiresias", residency: [], racks }] };
}

/**
 * A one-switch fleet of `nodes` × `gpusPerNode` GPUs (default 4 × 4 = 16) with
 * n32g4's per-node CPU (40) and memory (256 GB), for small queueing tests of the
 * 60-job trace. Throws RangeError unless both are positive integers.
 */
export function smallTiresiasFleet(nodes = 4, gpusPerNode = 4): Fleet {
  if (!Number.isInteger(nodes) || nodes < 1 || !Number.isInteger(gpusPerNode) || gpusPerNode < 1) {
    throw new RangeError(
      `smallTiresiasFleet(${nodes}, ${gpusPerNode}): both must be positive integers`,
    );
  }
  const spec = {
    switches: 1,
    nodesPerSwitch: nodes,
    gpusPerNode,
    cpusPerNode: 40,
    memoryGBPerNode: 256,
  };
  return tiresiasFleet(spec, `tiresias-n${nodes}g${gpusPerNode}`);
}
