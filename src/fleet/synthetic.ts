/**
 * Synthetic fleets of any size, for scale tests and benchmarks: `nodes` identical
 * nodes packed into domains, racks and sites. The default shape is the national AI
 * factory's target, 37,500 nodes × 8 = 300,000 devices.
 *
 * Ids are short and global (`s0`, `r12`, `d25`, `n99`) because 37,500 node ids are
 * held in memory by every snapshot; the index in an id is the position in fleet order.
 */
import { GongjangError } from "../core/errors.ts";
import type { Domain, Fleet, FleetNode, Rack, Site } from "../core/model/fleet.ts";
import { deviceTypeFor } from "./device-types.ts";

/** Shape of a synthetic fleet; every field but `nodes` has a default. */
export interface SyntheticFleetOptions {
  readonly nodes: number;
  /** Devices per node (default 8); 0 makes CPU-only nodes. */
  readonly devicesPerNode?: number;
  /** Device type id (default "nvidia-h100-80g"); see deviceTypeFor for unknown ids. */
  readonly deviceType?: string;
  readonly nodesPerDomain?: number;
  readonly domainsPerRack?: number;
  readonly racksPerSite?: number;
  /** Default 112,000 (112 cores, an HGX H100). */
  readonly cpuMilliPerNode?: number;
  /** Default 2,097,152 (2 TiB). */
  readonly memoryMiBPerNode?: number;
}

/**
 * Builds `opts.nodes` identical nodes, filling domains (default 4 nodes), racks
 * (default 2 domains) and sites (default 500 racks) in order; the last of each may be
 * partial. Site i has residency ["kr", "kr-s<i>"]. Named `synthetic:<nodes>x<devices>`.
 * Throws GJ_ERR_ARGUMENT when a count is not a positive integer (devicesPerNode may
 * be 0). Linear time: 37,500 nodes take a few milliseconds.
 */
export function syntheticFleet(opts: SyntheticFleetOptions): Fleet {
  const nodes = count(opts.nodes, "nodes", 1);
  const devices = count(opts.devicesPerNode ?? 8, "devicesPerNode", 0);
  const perDomain = count(opts.nodesPerDomain ?? 4, "nodesPerDomain", 1);
  const perRack = count(opts.domainsPerRack ?? 2, "domainsPerRack", 1);
  const perSite = count(opts.racksPerSite ?? 500, "racksPerSite", 1);
  const cpuMilli = count(opts.cpuMilliPerNode ?? 112_000, "cpuMilliPerNode", 1);
  const memoryMiB = count(opts.memoryMiBPerNode ?? 2 * 1024 * 1024, "memoryMiBPerNode", 1);
  const type = deviceTypeFor(opts.deviceType ?? "nvidia-h100-80g");
  const deviceType = devices === 0 ? null : type.id;

  const sites: Site[] = [];
  let racks: Rack[] = [];
  let domains: Domain[] = [];
  let members: FleetNode[] = [];
  let domainCount = 0;
  let rackCount = 0;
  // Fill bottom-up; a container is opened lazily so none is ever empty.
  for (let n = 0; n < nodes; n++) {
    if (members.length === 0 || members.length === perDomain) {
      if (domains.length === 0 || domains.length === perRack) {
        if (racks.length === 0 || racks.length === perSite) {
          racks = [];
          const i = sites.length;
          sites.push({ id: `s${i}`, residency: ["kr", `kr-s${i}`], racks });
        }
        domains = [];
        racks.push({ id: `r${rackCount++}`, domains });
      }
      members = [];
      domains.push({ id: `d${domainCount++}`, nodes: members });
    }
    members.push({ id: `n${n}`, deviceType, devices, cpuMilli, memoryMiB });
  }
  return {
    name: `synthetic:${nodes}x${devices}`,
    deviceTypes: devices === 0 ? [] : [type],
    sites,
  };
}

function count(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new GongjangError("GJ_ERR_ARGUMENT", `expected an integer >= ${min}, got ${value}`, {
      path: `synthetic.${name}`,
    });
  }
  return value;
}
