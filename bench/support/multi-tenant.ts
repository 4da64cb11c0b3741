/**
 * Inputs for bench/schedule-300k.ts: a mixed 300,000-device fleet, a 50-tenant
 * tenancy and a seeded multi-tenant backlog. Plain data; the benchmark drives the
 * scheduler over it.
 *
 * Fleet: 37,500 nodes × 8 devices over 4 sites (9,375 nodes each). Every site has
 *   - Vera Rubin NVL144 racks: one NVLink domain of 18 nodes (144 devices) per rack;
 *   - H100 racks of two NVLink domains of 9 nodes (72 devices);
 *   - domestic NPU (Furiosa RNGD) racks of two 9-node domains;
 * in the proportion 40 / 40 / 20 of nodes. Site i has residency ["kr", "kr-<city>"].
 */
import type { Domain, Fleet, FleetNode, Rack, Site } from "../../src/core/model/fleet.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { QueueSpec, TenancySpec } from "../../src/core/tenancy/spec.ts";
import { type Workload, WorkloadClass } from "../../src/core/workload/index.ts";
import { deviceTypeFor } from "../../src/fleet/device-types.ts";

export const VR = "nvidia-vr-nvl144";
export const H100 = "nvidia-h100-80g";
export const NPU = "furiosa-rngd";
export const CITIES = ["seoul", "daejeon", "gwangju", "busan"] as const;

interface Segment {
  readonly type: string;
  readonly share: number;
  readonly nodesPerDomain: number;
  readonly domainsPerRack: number;
}

const SEGMENTS: readonly Segment[] = [
  { type: VR, share: 0.4, nodesPerDomain: 18, domainsPerRack: 1 },
  { type: H100, share: 0.4, nodesPerDomain: 9, domainsPerRack: 2 },
  { type: NPU, share: 0.2, nodesPerDomain: 9, domainsPerRack: 2 },
];

/**
 * `nodes` nodes of 8 devices over 4 sites, each site split into the segments above
 * (the last segment of a site takes the remainder, so its last domain may be short).
 */
export function mixedFleet(nodes = 37_500): Fleet {
  const sites: Site[] = [];
  let nodeId = 0;
  let rackId = 0;
  let domainId = 0;
  for (let s = 0; s < CITIES.length; s++) {
    const siteNodes = Math.floor(nodes / CITIES.length) + (s < nodes % CITIES.length ? 1 : 0);
    const racks: Rack[] = [];
    let left = siteNodes;
    SEGMENTS.forEach((seg, i) => {
      let segNodes = i === SEGMENTS.length - 1 ? left : Math.round(siteNodes * seg.share);
      left -= segNodes;
      while (segNodes > 0) {
        const domains: Domain[] = [];
        for (let d = 0; d < seg.domainsPerRack && segNodes > 0; d++) {
          const members: FleetNode[] = [];
          for (let k = 0; k < seg.nodesPerDomain && segNodes > 0; k++, segNodes--)
            members.push({
              id: `n${nodeId++}`,
              deviceType: seg.type,
              devices: 8,
              cpuMilli: 112_000,
              memoryMiB: 2 * 1024 * 1024,
            });
          domains.push({ id: `d${domainId++}`, nodes: members });
        }
        racks.push({ id: `r${rackId++}`, domains });
      }
    });
    sites.push({ id: `s${s}`, residency: ["kr", `kr-${CITIES[s]}`], racks });
  }
  return {
    name: `bench-mixed:${nodes}x8`,
    deviceTypes: SEGMENTS.map((seg) => deviceTypeFor(seg.type)),
    sites,
  };
}

/** Devices per type in a fleet. */
export function capacityOf(fleet: Fleet): Map<string, number> {
  const cap = new Map<string, number>();
  for (const site of fleet.sites)
    for (const rack of site.racks)
      for (const domain of rack.domains)
        for (const n of domain.nodes)
          if (n.deviceType) cap.set(n.deviceType, (cap.get(n.deviceType) ?? 0) + n.devices);
  return cap;
}

/**
 * 50 leaf queues: 20 flat tenants and 10 organisations with 3 teams each. Guarantees
 * per type are random weights scaled to 90 % of capacity (the rest is a shared pool);
 * a third of the queues may borrow at most their guarantee again, a fifth lend at most
 * half of theirs.
 */
export function tenancy50(fleet: Fleet, rng: Rng): { spec: TenancySpec; leaves: string[] } {
  const leaves: string[] = [];
  for (let i = 0; i < 20; i++) leaves.push(`t${i}`);
  for (let o = 0; o < 10; o++) for (let k = 0; k < 3; k++) leaves.push(`org${o}/team${k}`);
  const cap = capacityOf(fleet);
  const weights = leaves.map(() => 0.5 + rng.next());
  const total = weights.reduce((s, x) => s + x, 0);
  const queues: QueueSpec[] = leaves.map((path, i) => {
    const quota: Record<string, { guaranteed: number; borrowLimit?: number; lendLimit?: number }> =
      {};
    for (const [type, devices] of cap) {
      const guaranteed = Math.floor((0.9 * devices * weights[i]) / total);
      quota[type] = {
        guaranteed,
        ...(i % 3 === 0 && { borrowLimit: guaranteed }),
        ...(i % 5 === 0 && { lendLimit: Math.floor(guaranteed / 2) }),
      };
    }
    return { path, weight: 1 + (i % 4), quota };
  });
  return { spec: { queues, reclaimGrace: 0 }, leaves };
}

/**
 * `count` pending workloads over `leaves`, all submitted by time 0 (a backlog):
 *   15 % 1/8-device fractional, 15 % 1 device, 10 % 2, 10 % 4, 20 % 8 (single member);
 *   30 % gangs of 2–16 members × 8 devices preferring one NVLink domain.
 * Device types: 20 % accept VR or H100, 30 % VR only, 30 % H100 only, 20 % the NPU. 10 % carry a residency label (a city or "kr"). Priorities 0, 100,
 * 1000 (80/15/5 %); everything but priority-1000 work is preemptible. Run times are
 * log-normal, median 1 h.
 */
export function backlog(count: number, leaves: readonly string[], rng: Rng): Workload[] {
  const out: Workload[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = drawWorkload(`w${i}`, -count + i, leaves, rng);
  return out;
}

/** One workload of the backlog's mix, submitted at `submitTime`. */
export function drawWorkload(
  id: string,
  submitTime: number,
  leaves: readonly string[],
  rng: Rng,
): Workload {
  const u = rng.next();
  let devices = 8;
  let deviceMilli = 1000;
  let members = 1;
  if (u < 0.15) [devices, deviceMilli] = [1, 125];
  else if (u < 0.3) devices = 1;
  else if (u < 0.4) devices = 2;
  else if (u < 0.5) devices = 4;
  else if (u < 0.7) devices = 8;
  else members = 2 + rng.int(15);
  const v = rng.next();
  const deviceTypes = v < 0.2 ? [VR, H100] : v < 0.5 ? [VR] : v < 0.8 ? [H100] : [NPU];
  const r = rng.next();
  const residency = r < 0.08 ? `kr-${CITIES[rng.int(4)]}` : r < 0.1 ? "kr" : undefined;
  const p = rng.next();
  const priority = p < 0.8 ? 0 : p < 0.95 ? 100 : 1000;
  const gauss = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const duration = Math.round(Math.min(48 * 3600, Math.max(60, 3600 * Math.exp(gauss))));
  const share = (devices * deviceMilli) / 8000;
  return {
    id,
    queue: leaves[rng.int(leaves.length)],
    class: deviceMilli < 1000 ? WorkloadClass.Simulation : WorkloadClass.Batch,
    submitTime,
    duration,
    members,
    minMembers: members,
    member: {
      devices,
      deviceMilli,
      cpuMilli: Math.max(2000, Math.round(share * 104_000)),
      memoryMiB: Math.max(16_384, Math.round(share * 1_900_000)),
    },
    deviceTypes,
    priority,
    preemptible: priority < 1000,
    ...(residency && { residency }),
    ...(members > 1 && { topology: { level: "domain" as const, required: false } }),
  };
}
