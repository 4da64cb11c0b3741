/**
 * Topology scopes over a ClusterState: each domain, rack and site as a contiguous
 * range of nodes (and of domains). Node order is fleet order (site › rack › domain),
 * so every scope is one range; buildClusterState guarantees it.
 */
import type { ClusterState } from "./model/cluster.ts";

export interface Scopes {
  readonly count: number;
  /** Scope s owns nodes nodeStart[s] .. nodeStart[s+1]-1. */
  readonly nodeStart: Int32Array;
  /** ... and domains domainStart[s] .. domainStart[s+1]-1. */
  readonly domainStart: Int32Array;
}

export interface Topology {
  readonly domain: Scopes;
  readonly rack: Scopes;
  readonly site: Scopes;
}

const cache = new WeakMap<ClusterState, Topology>();

/** The scopes of a state (computed once per state). */
export function topologyOf(state: ClusterState): Topology {
  let topo = cache.get(state);
  if (!topo) {
    topo = {
      domain: scopes(state, state.nodeDomain),
      rack: scopes(state, state.nodeRack),
      site: scopes(state, state.nodeSite),
    };
    cache.set(state, topo);
  }
  return topo;
}

function scopes(state: ClusterState, of: Int32Array): Scopes {
  const n = state.nodeCount;
  const count = n === 0 ? 0 : of[n - 1] + 1;
  const nodeStart = new Int32Array(count + 1);
  const domainStart = new Int32Array(count + 1);
  nodeStart[count] = n;
  domainStart[count] = state.domainIds.length;
  for (let i = n - 1; i >= 0; i--) {
    nodeStart[of[i]] = i;
    domainStart[of[i]] = state.nodeDomain[i];
  }
  return { count, nodeStart, domainStart };
}

/** Idle devices in scope `s`: the sum of its domains' idle counts. */
export function scopeIdle(state: ClusterState, scopes: Scopes, s: number): number {
  let idle = 0;
  for (let d = scopes.domainStart[s]; d < scopes.domainStart[s + 1]; d++)
    idle += state.domainIdle[d];
  return idle;
}

/**
 * Topology levels a set of nodes spans: 0 inside one domain, 1 one rack, 2 one site,
 * 3 across sites. Lower is better for a gang's collective traffic.
 */
export function levelsCrossed(state: ClusterState, nodes: readonly number[]): number {
  const [first] = nodes;
  const same = (of: Int32Array) => nodes.every((n) => of[n] === of[first]);
  if (same(state.nodeDomain)) return 0;
  if (same(state.nodeRack)) return 1;
  if (same(state.nodeSite)) return 2;
  return 3;
}
