/**
 * ClusterState: the fleet flattened into struct-of-arrays for the hot path.
 *
 * Node n owns devices devOffset[n] .. devOffset[n+1]-1; devFree holds each device's
 * free share in milli (1000 = idle). Drivers (sim, service) own and mutate a state
 * through the named methods in ./ledger.ts; the core only reads it (see cycle.ts).
 */
import { type DeviceType, type Fleet, fleetNodes } from "./fleet.ts";
import { createIdleIndex, type IdleIndex } from "./idle-index.ts";

export const MILLI = 1000;

export interface ClusterState {
  readonly fleetName: string;
  readonly deviceTypes: readonly DeviceType[];
  readonly nodeCount: number;
  readonly nodeIds: readonly string[];
  /** Index into deviceTypes, or -1 for a CPU-only node. */
  readonly nodeType: Int32Array;
  readonly nodeSite: Int32Array;
  readonly nodeRack: Int32Array;
  readonly nodeDomain: Int32Array;
  readonly siteIds: readonly string[];
  readonly siteResidency: readonly (readonly string[])[];
  readonly rackIds: readonly string[];
  readonly domainIds: readonly string[];
  readonly devOffset: Int32Array;
  readonly devFree: Int32Array;
  /** Per node: devices entirely free (devFree = 1000). Kept by the ledger for O(1) fit checks. */
  readonly devIdle: Int32Array;
  /** Per node: sum of devFree over its devices, in milli. Kept by the ledger. */
  readonly devFreeSum: Float64Array;
  /** Which nodes have at least g idle devices, for g up to the largest node. Kept by the ledger. */
  readonly idleIndex: IdleIndex;
  /** Per domain: idle devices on its schedulable and cordoned nodes alike. Kept by the ledger. */
  readonly domainIdle: Int32Array;
  readonly cpuCap: Float64Array;
  readonly cpuFree: Float64Array;
  readonly memCap: Float64Array;
  readonly memFree: Float64Array;
  /** 1 when the node accepts new work (not cordoned, not failed). */
  readonly schedulable: Uint8Array;
  /** Bumped on every change to a node; lets policies cache per-node work. */
  readonly nodeVersion: Uint32Array;
  /** Jobs per (node, placement class); see affinityClass() in ./shape.ts. */
  readonly nodeClassCount: Int32Array;
}

/** Number of placement classes tracked per node (CPU-only, shared, 1..8+ whole devices). */
export const CLASS_COUNT = 10;

/** Builds the initial, empty state of a fleet. Node order is fleet order. */
export function buildClusterState(fleet: Fleet): ClusterState {
  const typeIndex = new Map(fleet.deviceTypes.map((t, i) => [t.id, i]));
  const siteIndex = new Map<string, number>();
  const rackIndex = new Map<string, number>();
  const domainIndex = new Map<string, number>();
  const nodes = [...fleetNodes(fleet)];
  const n = nodes.length;
  const devOffset = new Int32Array(n + 1);
  nodes.forEach(({ node }, i) => {
    devOffset[i + 1] = devOffset[i] + node.devices;
  });
  const state = {
    fleetName: fleet.name,
    deviceTypes: fleet.deviceTypes,
    nodeCount: n,
    nodeIds: nodes.map(({ node }) => node.id),
    nodeType: new Int32Array(n),
    nodeSite: new Int32Array(n),
    nodeRack: new Int32Array(n),
    nodeDomain: new Int32Array(n),
    siteIds: fleet.sites.map((s) => s.id),
    siteResidency: fleet.sites.map((s) => s.residency),
    rackIds: [] as string[],
    domainIds: [] as string[],
    devOffset,
    devFree: new Int32Array(devOffset[n]).fill(MILLI),
    devIdle: new Int32Array(n),
    devFreeSum: new Float64Array(n),
    idleIndex: createIdleIndex(new Int32Array(n), 0),
    domainIdle: new Int32Array(0),
    cpuCap: new Float64Array(n),
    cpuFree: new Float64Array(n),
    memCap: new Float64Array(n),
    memFree: new Float64Array(n),
    schedulable: new Uint8Array(n).fill(1),
    nodeVersion: new Uint32Array(n),
    nodeClassCount: new Int32Array(n * CLASS_COUNT),
  };
  fleet.sites.forEach((s, i) => {
    siteIndex.set(s.id, i);
  });
  nodes.forEach(({ node, site, rack, domain }, i) => {
    const rackKey = `${site.id}/${rack.id}`;
    const domainKey = `${rackKey}/${domain.id}`;
    if (!rackIndex.has(rackKey)) {
      rackIndex.set(rackKey, state.rackIds.length);
      state.rackIds.push(rackKey);
    }
    if (!domainIndex.has(domainKey)) {
      domainIndex.set(domainKey, state.domainIds.length);
      state.domainIds.push(domainKey);
    }
    state.nodeType[i] = node.deviceType === null ? -1 : (typeIndex.get(node.deviceType) ?? -1);
    state.nodeSite[i] = siteIndex.get(site.id)!;
    state.nodeRack[i] = rackIndex.get(rackKey)!;
    state.nodeDomain[i] = domainIndex.get(domainKey)!;
    state.cpuCap[i] = state.cpuFree[i] = node.cpuMilli;
    state.memCap[i] = state.memFree[i] = node.memoryMiB;
    state.devIdle[i] = node.devices;
    state.devFreeSum[i] = node.devices * MILLI;
  });
  state.domainIdle = new Int32Array(state.domainIds.length);
  nodes.forEach(({ node }, i) => {
    state.domainIdle[state.nodeDomain[i]] += node.devices;
  });
  const maxDevices = nodes.reduce((m, { node }) => Math.max(m, node.devices), 0);
  state.idleIndex = createIdleIndex(state.devIdle, maxDevices, state.devFreeSum);
  return state;
}

/** Total devices in the cluster (whole devices, regardless of type). */
export function totalDevices(state: ClusterState): number {
  return state.devOffset[state.nodeCount];
}

/** Sum of allocated device share over the cluster, in milli-devices. */
export function allocatedDeviceMilli(state: ClusterState): number {
  let free = 0;
  for (let i = 0; i < state.devFree.length; i++) free += state.devFree[i];
  return state.devFree.length * MILLI - free;
}
