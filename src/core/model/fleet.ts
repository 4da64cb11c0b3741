/**
 * The fleet as operators describe it: sites › racks › domains › nodes › devices.
 * Plain data, validated by src/fleet before it reaches the core.
 */

/** An accelerator model. `speed` is throughput relative to an H100 (= 1.0). */
export interface DeviceType {
  readonly id: string;
  readonly vendor: string;
  readonly memoryGiB: number;
  readonly speed: number;
}

/** A machine: `devices` accelerators of one type (0 for CPU-only), plus CPU and memory. */
export interface FleetNode {
  readonly id: string;
  readonly deviceType: string | null;
  readonly devices: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

/** A fast interconnect island (an NVLink/NVL144 domain, or one PCIe box). */
export interface Domain {
  readonly id: string;
  readonly nodes: readonly FleetNode[];
}

export interface Rack {
  readonly id: string;
  readonly domains: readonly Domain[];
}

/** A data centre. `residency` lists the jurisdiction labels its data may carry, e.g. ["kr", "kr-seoul"]. */
export interface Site {
  readonly id: string;
  readonly residency: readonly string[];
  readonly racks: readonly Rack[];
}

export interface Fleet {
  readonly name: string;
  readonly deviceTypes: readonly DeviceType[];
  readonly sites: readonly Site[];
}

/** Visits every node in fleet order (site, rack, domain, node) with its topology ids. */
export function* fleetNodes(
  fleet: Fleet,
): Generator<{ node: FleetNode; site: Site; rack: Rack; domain: Domain }> {
  for (const site of fleet.sites)
    for (const rack of site.racks)
      for (const domain of rack.domains)
        for (const node of domain.nodes) yield { node, site, rack, domain };
}
