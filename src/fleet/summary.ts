/**
 * Counts over a fleet, by site and by device type, for `gongjang fleet validate/show`
 * and reports. Racks and domains are counted by their `site/rack(/domain)` key, the
 * way ClusterState tells them apart.
 */
import { type Fleet, fleetNodes } from "../core/model/fleet.ts";

/** Nodes and devices of one device type (`null` type = CPU-only nodes). */
export interface TypeCount {
  readonly deviceType: string | null;
  readonly nodes: number;
  readonly devices: number;
}

/** Totals of one site, with its per-type counts in fleet order of first appearance. */
export interface SiteSummary {
  readonly id: string;
  readonly residency: readonly string[];
  readonly racks: number;
  readonly domains: number;
  readonly nodes: number;
  readonly devices: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly byType: readonly TypeCount[];
}

/** Totals of a fleet; `byType` lists declared types first (even with 0 nodes), then CPU-only. */
export interface FleetSummary {
  readonly name: string;
  readonly sites: number;
  readonly racks: number;
  readonly domains: number;
  readonly nodes: number;
  readonly devices: number;
  readonly byType: readonly TypeCount[];
  readonly bySite: readonly SiteSummary[];
}

interface Tally {
  racks: Set<string>;
  domains: Set<string>;
  nodes: number;
  devices: number;
  cpuMilli: number;
  memoryMiB: number;
  byType: Map<string | null, { nodes: number; devices: number }>;
}

const newTally = (): Tally => ({
  racks: new Set(),
  domains: new Set(),
  nodes: 0,
  devices: 0,
  cpuMilli: 0,
  memoryMiB: 0,
  byType: new Map(),
});

/** Summarizes a fleet in one pass over its nodes. Pure; does not validate. */
export function summarizeFleet(fleet: Fleet): FleetSummary {
  const total = newTally();
  for (const t of fleet.deviceTypes) total.byType.set(t.id, { nodes: 0, devices: 0 });
  const perSite = new Map(fleet.sites.map((s) => [s, newTally()]));
  for (const { node, site, rack, domain } of fleetNodes(fleet)) {
    const rackKey = `${site.id}/${rack.id}`;
    const domainKey = `${rackKey}/${domain.id}`;
    for (const t of [total, perSite.get(site)!]) {
      t.racks.add(rackKey);
      t.domains.add(domainKey);
      t.nodes += 1;
      t.devices += node.devices;
      t.cpuMilli += node.cpuMilli;
      t.memoryMiB += node.memoryMiB;
      const c = t.byType.get(node.deviceType) ?? { nodes: 0, devices: 0 };
      t.byType.set(node.deviceType, { nodes: c.nodes + 1, devices: c.devices + node.devices });
    }
  }
  return {
    name: fleet.name,
    sites: fleet.sites.length,
    racks: total.racks.size,
    domains: total.domains.size,
    nodes: total.nodes,
    devices: total.devices,
    byType: typeCounts(total),
    bySite: fleet.sites.map((s) => {
      const t = perSite.get(s)!;
      return {
        id: s.id,
        residency: s.residency,
        racks: t.racks.size,
        domains: t.domains.size,
        nodes: t.nodes,
        devices: t.devices,
        cpuMilli: t.cpuMilli,
        memoryMiB: t.memoryMiB,
        byType: typeCounts(t),
      };
    }),
  };
}

function typeCounts(t: Tally): TypeCount[] {
  const out = [...t.byType].map(([deviceType, c]) => ({ deviceType, ...c }));
  // CPU-only last, so device types read first.
  return [...out.filter((c) => c.deviceType !== null), ...out.filter((c) => c.deviceType === null)];
}

/** "6,212 devices (G2 4,392, T4 …)": the one-line device count used by the CLI. */
export function devicesByTypeLine(s: FleetSummary): string {
  const parts = s.byType
    .filter((c) => c.deviceType !== null)
    .map((c) => `${c.deviceType} ${fmt(c.devices)}`);
  return `${fmt(s.devices)} devices${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

/** Integers with thousands separators, independent of the machine's locale. */
export function fmt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
