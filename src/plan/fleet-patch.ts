/**
 * Fleet edits for capacity variants: new nodes copied from one the fleet already
 * has (same CPU, memory, devices per node, site and domain size, in a new rack at
 * the end of that site), and which nodes of a type to give back.
 */
import { type Fleet, type FleetNode, fleetNodes, type Rack } from "../core/model/fleet.ts";

/** A node of the fleet with where it sits. */
export interface Located {
  readonly node: FleetNode;
  readonly site: string;
  /** Nodes in its domain: new nodes are grouped in domains of this size. */
  readonly domainSize: number;
}

/** The node `id`, or the first node of `deviceType` (fleet order) when no id is given. */
export function templateNode(fleet: Fleet, deviceType: string, id?: string): Located | undefined {
  for (const { node, site, domain } of fleetNodes(fleet))
    if (id !== undefined ? node.id === id : node.deviceType === deviceType)
      return { node, site: site.id, domainSize: domain.nodes.length };
  return undefined;
}

/**
 * `count` new nodes like `template`, in a new rack `plan-<tag>` appended to the
 * template's site, grouped into domains of the template's domain size. Node ids are
 * `<template id without its number>-<tag>-NN`, made unique fleet-wide. Pure.
 */
export function addNodes(
  fleet: Fleet,
  template: Located,
  count: number,
  tag: string,
): { fleet: Fleet; nodes: string[] } {
  const taken = new Set<string>();
  for (const { node } of fleetNodes(fleet)) taken.add(node.id);
  const prefix = template.node.id.replace(/-?\d+$/, "") || "node";
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) {
    const id = `${prefix}-${tag}-${String(i).padStart(2, "0")}`;
    if (!taken.has(id)) ids.push(id);
  }
  const nodes: FleetNode[] = ids.map((id) => ({ ...template.node, id }));
  const size = Math.max(1, template.domainSize);
  const sites = fleet.sites.map((site) => {
    if (site.id !== template.site) return site;
    const racks = new Set(site.racks.map((r) => r.id));
    let rackId = `plan-${tag}`;
    for (let k = 2; racks.has(rackId); k++) rackId = `plan-${tag}-${k}`;
    const rack: Rack = {
      id: rackId,
      domains: Array.from({ length: Math.ceil(nodes.length / size) }, (_, d) => ({
        id: `d-${String(d).padStart(2, "0")}`,
        nodes: nodes.slice(d * size, (d + 1) * size),
      })),
    };
    return { ...site, racks: [...site.racks, rack] };
  });
  return { fleet: { ...fleet, sites }, nodes: ids };
}

/**
 * Nodes of `deviceType` to retire for `devices` devices: the last in fleet order
 * first (the newest racks), skipping `skip`. Undefined when the fleet has too few.
 */
export function nodesToRemove(
  fleet: Fleet,
  deviceType: string,
  devices: number,
  skip: ReadonlySet<string>,
): string[] | undefined {
  const candidates = [...fleetNodes(fleet)]
    .map((x) => x.node)
    .filter((n) => n.deviceType === deviceType && n.devices > 0 && !skip.has(n.id))
    .reverse();
  const out: string[] = [];
  let left = devices;
  for (const n of candidates) {
    if (left <= 0) break;
    out.push(n.id);
    left -= n.devices;
  }
  return left > 0 ? undefined : out;
}
