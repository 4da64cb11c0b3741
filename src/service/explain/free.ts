/**
 * Free room of one device type, read from a ClusterState: per site, per node and per
 * topology scope, in whole devices. "Free" means what a member of the request could
 * use: idle devices for whole-device members, the free share for fractional ones.
 * Only schedulable nodes count as free; cordoned or down nodes are counted apart.
 */
import { type ClusterState, MILLI } from "../../core/model/cluster.ts";
import type { Request } from "../../core/model/request.ts";
import { topologyOf } from "../../core/topology.ts";
import type { TopologyLevel } from "../../core/workload/index.ts";

/** Free room of type `t` for one request. */
export interface TypeFree {
  /** Devices of the type in the fleet, and on how many nodes. */
  readonly devices: number;
  readonly nodes: number;
  /** Nodes of the type not schedulable (cordoned, draining, down), their devices and idle ones. */
  readonly downNodes: number;
  readonly downDevices: number;
  readonly downFree: number;
  /** Free on schedulable nodes, any site. */
  readonly free: number;
  /** Free on schedulable nodes of the sites the request's residency allows. */
  readonly freeAllowed: number;
  /** Per site having the type: its devices, free ones, and whether residency allows it. */
  readonly sites: readonly { site: string; allowed: boolean; devices: number; free: number }[];
  /** Members that fit at once, each on one node, over the allowed schedulable nodes. */
  readonly members: number;
  /** The allowed schedulable node with the most free devices. */
  readonly largestNode: { readonly id: string; readonly free: number } | null;
  /** Allowed schedulable nodes with enough free devices for a member but too little CPU or memory. */
  readonly cpuMemShort: number;
}

/** Nodes of type `t` (`t` < 0: any node, for CPU-only work). */
function ofType(state: ClusterState, t: number, n: number): boolean {
  if (t < 0) return true;
  return state.nodeType[n] === t;
}

/** Free devices on node `n` for the request's member shape. */
export function nodeFree(state: ClusterState, req: Request, n: number): number {
  return req.job.deviceMilli >= MILLI || req.job.devices === 0
    ? state.devIdle[n]
    : state.devFreeSum[n] / MILLI;
}

/** Members of the request that fit on node `n` at once (device, CPU and memory wise). */
export function membersOn(state: ClusterState, req: Request, n: number): number {
  const { job } = req;
  let k = Number.POSITIVE_INFINITY;
  if (job.devices > 0) {
    if (job.deviceMilli >= MILLI) k = Math.floor(state.devIdle[n] / job.devices);
    else {
      k = 0;
      for (let d = state.devOffset[n]; d < state.devOffset[n + 1]; d++)
        k += Math.floor(state.devFree[d] / job.deviceMilli);
    }
  }
  if (job.cpuMilli > 0) k = Math.min(k, Math.floor(state.cpuFree[n] / job.cpuMilli));
  if (job.memoryMiB > 0) k = Math.min(k, Math.floor(state.memFree[n] / job.memoryMiB));
  return Number.isFinite(k) ? k : 1_000_000;
}

function devicesOnly(state: ClusterState, req: Request, n: number): boolean {
  const { job } = req;
  if (job.devices === 0) return true;
  if (job.deviceMilli >= MILLI) return state.devIdle[n] >= job.devices;
  for (let d = state.devOffset[n]; d < state.devOffset[n + 1]; d++)
    if (state.devFree[d] >= job.deviceMilli) return true;
  return false;
}

function allowed(state: ClusterState, req: Request, n: number): boolean {
  return ((req.siteMask >>> state.nodeSite[n]) & 1) === 1;
}

/** The free room of type `t` (-1: CPU-only work on any node) for `req`. */
export function typeFree(state: ClusterState, req: Request, t: number): TypeFree {
  let devices = 0;
  let nodes = 0;
  let downNodes = 0;
  let downDevices = 0;
  let downFree = 0;
  let free = 0;
  let freeAllowed = 0;
  let members = 0;
  let cpuMemShort = 0;
  let largestNode: { id: string; free: number } | null = null;
  const sites = new Map<
    number,
    { site: string; allowed: boolean; devices: number; free: number }
  >();
  for (let n = 0; n < state.nodeCount; n++) {
    if (!ofType(state, t, n)) continue;
    const count = state.devOffset[n + 1] - state.devOffset[n];
    const s = state.nodeSite[n];
    let site = sites.get(s);
    if (!site) {
      site = { site: state.siteIds[s], allowed: allowed(state, req, n), devices: 0, free: 0 };
      sites.set(s, site);
    }
    nodes++;
    devices += count;
    site.devices += count;
    const f = nodeFree(state, req, n);
    if (!state.schedulable[n]) {
      downNodes++;
      downDevices += count;
      downFree += f;
      continue;
    }
    free += f;
    site.free += f;
    if (!site.allowed) continue;
    freeAllowed += f;
    const k = membersOn(state, req, n);
    members += k;
    if (k === 0 && devicesOnly(state, req, n)) cpuMemShort++;
    if (largestNode === null || f > largestNode.free)
      largestNode = { id: state.nodeIds[n], free: f };
  }
  return {
    devices,
    nodes,
    downNodes,
    downDevices,
    downFree,
    free,
    freeAllowed,
    sites: [...sites.values()],
    members,
    largestNode,
    cpuMemShort,
  };
}

/** A topology scope's free room: its id, free devices, and members that fit in it. */
export interface Block {
  readonly id: string;
  readonly free: number;
  readonly members: number;
}

/**
 * Per scope of `level` (domain, rack, site): the free devices of type `t` on its allowed
 * schedulable nodes. Returns the block with the most free devices and the one where the
 * most members fit (often the same), or nulls when no scope has the type.
 */
export function largestBlocks(
  state: ClusterState,
  req: Request,
  t: number,
  level: Exclude<TopologyLevel, "fleet">,
): { readonly largest: Block | null; readonly roomiest: Block | null } {
  const scopes = topologyOf(state)[level];
  const ids =
    level === "domain" ? state.domainIds : level === "rack" ? state.rackIds : state.siteIds;
  let largest: Block | null = null;
  let roomiest: Block | null = null;
  for (let s = 0; s < scopes.count; s++) {
    let free = 0;
    let members = 0;
    let any = false;
    for (let n = scopes.nodeStart[s]; n < scopes.nodeStart[s + 1]; n++) {
      if (!ofType(state, t, n) || !allowed(state, req, n)) continue;
      any = true;
      if (!state.schedulable[n]) continue;
      free += nodeFree(state, req, n);
      members += membersOn(state, req, n);
    }
    if (!any) continue;
    const block = { id: ids[s], free, members };
    if (largest === null || free > largest.free) largest = block;
    if (roomiest === null || members > roomiest.members) roomiest = block;
  }
  return { largest, roomiest };
}
