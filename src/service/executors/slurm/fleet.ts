/**
 * Builds a gongjang Fleet from a Slurm cluster's nodes, for `gongjang fleet import
 * --from-slurm`. Slurm has no sites, racks or NVLink domains, so topology comes from
 * node features when present (`site-X`, `rack-X`, `domain-X`); otherwise every node
 * sits in one site and rack, in a domain of its own (the honest default: nothing says
 * two nodes share an NVLink island).
 */
import type {
  DeviceType,
  Domain,
  Fleet,
  FleetNode,
  Rack,
  Site,
} from "../../../core/model/fleet.ts";
import { DEVICE_TYPES, deviceTypeFor } from "../../../fleet/device-types.ts";
import type { SlurmCli } from "./cli.ts";
import type { SlurmNode } from "./parse.ts";

export interface SlurmFleetOptions {
  /** Fleet name; default "slurm". */
  readonly name?: string;
  /** Site id for nodes without a `site-` feature; default "slurm". */
  readonly site?: string;
  /** GRES type → gongjang device type; default {@link defaultDeviceType}. */
  readonly deviceType?: (gresType: string | null) => string;
  /** Keep nodes that are down or drained; default false (they cannot run work now). */
  readonly includeUnavailable?: boolean;
}

/**
 * The catalogue id whose model word is the GRES type (`h100` → `nvidia-h100-80g`,
 * `b200` → `nvidia-b200`); `gpu-TYPE` when the catalogue has none, `gpu` untyped.
 */
export function defaultDeviceType(gresType: string | null): string {
  if (gresType === null) return "gpu";
  const t = gresType.toLowerCase();
  const hit = Object.keys(DEVICE_TYPES).find((id) => id.split("-")[1] === t);
  return hit ?? `gpu-${t}`;
}

function feature(node: SlurmNode, prefix: string): string | undefined {
  return node.features.find((f) => f.startsWith(`${prefix}-`))?.slice(prefix.length + 1);
}

/** Whether Slurm would place work on `node` now. */
export function isAvailable(node: SlurmNode): boolean {
  const unusable = ["down", "drained", "draining", "fail", "failing", "future", "unknown"];
  return (
    !unusable.includes(node.state) &&
    !node.flags.some((f) => ["DRAIN", "DOWN", "NOT_RESPONDING", "FAIL"].includes(f))
  );
}

/**
 * Converts Slurm nodes into a Fleet. Each node's devices are its `gpu` GRES count; a
 * node with several GPU types takes the first (gongjang models one type per node).
 */
export function slurmFleet(nodes: readonly SlurmNode[], opts: SlurmFleetOptions = {}): Fleet {
  const typeOf = opts.deviceType ?? defaultDeviceType;
  const tree = new Map<string, Map<string, Map<string, FleetNode[]>>>();
  const types = new Map<string, DeviceType>();
  for (const n of [...nodes].sort((a, b) =>
    a.name.localeCompare(b.name, "en", { numeric: true }),
  )) {
    if (!opts.includeUnavailable && !isAvailable(n)) continue;
    const gpus = n.gres.filter((g) => g.name === "gpu");
    const count = gpus.reduce((sum, g) => sum + g.count, 0);
    const deviceType = count === 0 ? null : typeOf(gpus[0].type);
    if (deviceType !== null && !types.has(deviceType))
      types.set(deviceType, deviceTypeFor(deviceType));
    const node: FleetNode = {
      id: n.name,
      deviceType,
      devices: count,
      cpuMilli: n.cpus * 1000,
      memoryMiB: n.realMemoryMiB,
    };
    const site = feature(n, "site") ?? opts.site ?? "slurm";
    const rack = feature(n, "rack") ?? `${site}-rack`;
    const domain = feature(n, "domain") ?? n.name;
    const racks = tree.get(site) ?? tree.set(site, new Map()).get(site)!;
    const domains = racks.get(rack) ?? racks.set(rack, new Map()).get(rack)!;
    (domains.get(domain) ?? domains.set(domain, []).get(domain)!).push(node);
  }
  const sites: Site[] = [...tree].map(([id, racks]) => ({
    id,
    residency: [],
    racks: [...racks].map(
      ([rid, domains]): Rack => ({
        id: rid,
        domains: [...domains].map(([did, ns]): Domain => ({ id: did, nodes: ns })),
      }),
    ),
  }));
  return { name: opts.name ?? "slurm", deviceTypes: [...types.values()], sites };
}

/** Reads the cluster's nodes through `cli` (`sinfo --json`) and builds the fleet. */
export async function fetchSlurmFleet(cli: SlurmCli, opts: SlurmFleetOptions = {}): Promise<Fleet> {
  return slurmFleet(await cli.nodes(), opts);
}
