/**
 * Facts about a fleet that scenario checks and the workload generator ask for:
 * devices per type, node and domain ids, which sites a residency label allows and
 * which device types those sites hold. Computed from the plain Fleet tree.
 */
import { type DeviceType, type Fleet, fleetNodes } from "../core/model/fleet.ts";

/** Devices per device type over the whole fleet. */
export function deviceCapacity(fleet: Fleet): Map<string, number> {
  const out = new Map<string, number>(fleet.deviceTypes.map((t) => [t.id, 0]));
  for (const { node } of fleetNodes(fleet))
    if (node.deviceType !== null)
      out.set(node.deviceType, (out.get(node.deviceType) ?? 0) + node.devices);
  return out;
}

/** Devices × speed over the whole fleet: its throughput in H100-equivalents. */
export function speedCapacity(fleet: Fleet): number {
  const speed = new Map(fleet.deviceTypes.map((t) => [t.id, t.speed]));
  let total = 0;
  for (const { node } of fleetNodes(fleet))
    if (node.deviceType !== null) total += node.devices * (speed.get(node.deviceType) ?? 1);
  return total;
}

/** Node id → the device type it holds (null: CPU only). */
export function nodeTypes(fleet: Fleet): Map<string, string | null> {
  return new Map([...fleetNodes(fleet)].map(({ node }) => [node.id, node.deviceType]));
}

/** Domain keys as ClusterState names them ("site/rack/domain") → device type → devices. */
export function domainDevices(fleet: Fleet): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const { node, site, rack, domain } of fleetNodes(fleet)) {
    const key = `${site.id}/${rack.id}/${domain.id}`;
    const byType = out.get(key) ?? new Map<string, number>();
    out.set(key, byType);
    if (node.deviceType !== null)
      byType.set(node.deviceType, (byType.get(node.deviceType) ?? 0) + node.devices);
  }
  return out;
}

/** Site ids and residency labels a workload may name, in fleet order, without repeats. */
export function residencyNames(fleet: Fleet): string[] {
  return [...new Set(fleet.sites.flatMap((s) => [s.id, ...s.residency]))];
}

/** Device type ids present at sites a residency allows (its id or one of its labels). */
export function typesAtResidency(fleet: Fleet, residency: string): Set<string> {
  const out = new Set<string>();
  for (const { node, site } of fleetNodes(fleet))
    if (node.deviceType !== null && (site.id === residency || site.residency.includes(residency)))
      out.add(node.deviceType);
  return out;
}

/**
 * Per device type, the smallest node holding it: its devices, CPU and memory. A
 * member sized within this fits on any node of the type.
 */
export function smallestNodes(
  fleet: Fleet,
): Map<string, { devices: number; cpuMilli: number; memoryMiB: number }> {
  const out = new Map<string, { devices: number; cpuMilli: number; memoryMiB: number }>();
  for (const { node } of fleetNodes(fleet)) {
    if (node.deviceType === null || node.devices === 0) continue;
    const prev = out.get(node.deviceType);
    out.set(node.deviceType, {
      devices: Math.min(prev?.devices ?? Infinity, node.devices),
      cpuMilli: Math.min(prev?.cpuMilli ?? Infinity, node.cpuMilli),
      memoryMiB: Math.min(prev?.memoryMiB ?? Infinity, node.memoryMiB),
    });
  }
  return out;
}

/** GPUs (NVIDIA, AMD) versus NPUs (everything else): who runs training by default. */
export function isGpu(t: DeviceType): boolean {
  return t.vendor === "nvidia" || t.vendor === "amd";
}
