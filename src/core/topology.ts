/**
 * Topology scopes over a ClusterState: each domain, rack and site as a contiguous
 * range of nodes (and of domains). Node order is fleet order (site › rack › domain),
 * so every scope is one range; buildClusterState guarantees it.
 */
import type { ClusterState } from "./model/cluster.ts";
import { ANY_TYPE, type Request } from "./model/request.ts";

export interface Scopes {
  readonly count: number;
  /** Scope s owns nodes nodeStart[s] .. nodeStart[s+1]-1. */
  readonly nodeStart: Int32Array;
  /** ... and domains domainStart[s] .. domainStart[s+1]-1. */
  readonly domainStart: Int32Array;
  /** The scope of each domain (non-decreasing). */
  readonly ofDomain: Int32Array;
}

export interface Topology {
  readonly domain: Scopes;
  readonly rack: Scopes;
  readonly site: Scopes;
  /** Per domain: the device type of all its nodes, or MIXED_TYPES. */
  readonly domainType: Int32Array;
  /** Per domain: its site. */
  readonly domainSite: Int32Array;
}

/** domainType of a domain whose nodes have different device types. */
export const MIXED_TYPES = -2;

const cache = new WeakMap<ClusterState, Topology>();

/** The scopes of a state (computed once per state). */
export function topologyOf(state: ClusterState): Topology {
  let topo = cache.get(state);
  if (!topo) {
    const domains = state.domainIds.length;
    const unseen = -3;
    const domainType = new Int32Array(domains).fill(unseen);
    const domainSite = new Int32Array(domains);
    for (let n = 0; n < state.nodeCount; n++) {
      const d = state.nodeDomain[n];
      const t = state.nodeType[n];
      domainSite[d] = state.nodeSite[n];
      if (domainType[d] === unseen) domainType[d] = t;
      else if (domainType[d] !== t) domainType[d] = MIXED_TYPES;
    }
    topo = {
      domain: scopes(state, state.nodeDomain),
      rack: scopes(state, state.nodeRack),
      site: scopes(state, state.nodeSite),
      domainType,
      domainSite,
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
  const ofDomain = new Int32Array(state.domainIds.length);
  for (let i = n - 1; i >= 0; i--) {
    nodeStart[of[i]] = i;
    domainStart[of[i]] = state.nodeDomain[i];
    ofDomain[state.nodeDomain[i]] = of[i];
  }
  return { count, nodeStart, domainStart, ofDomain };
}

/** Idle devices in scope `s`: the sum of its domains' idle counts. */
export function scopeIdle(state: ClusterState, scopes: Scopes, s: number): number {
  let idle = 0;
  for (let d = scopes.domainStart[s]; d < scopes.domainStart[s + 1]; d++)
    idle += state.domainIdle[d];
  return idle;
}

const usableByTopology = new WeakMap<Topology, Map<string, Int32Array>>();

/**
 * The domains `req` may use, ascending: those of its device types (a domain of mixed
 * types always counts) in the sites its residency allows. Computed once per distinct
 * (types, sites) pair.
 */
export function usableDomains(topo: Topology, req: Request): Int32Array {
  const anyType = req.job.devices === 0 || req.typeMask === ANY_TYPE;
  const key = `${anyType ? "*" : req.typeMask}/${req.siteMask}`;
  let byKey = usableByTopology.get(topo);
  if (!byKey) {
    byKey = new Map();
    usableByTopology.set(topo, byKey);
  }
  let domains = byKey.get(key);
  if (!domains) {
    const out: number[] = [];
    for (let d = 0; d < topo.domainType.length; d++) {
      if (((req.siteMask >>> topo.domainSite[d]) & 1) === 0) continue;
      const t = topo.domainType[d];
      if (anyType || t === MIXED_TYPES || (t >= 0 && (req.typeMask & (1 << t)) !== 0)) out.push(d);
    }
    domains = Int32Array.from(out);
    byKey.set(key, domains);
  }
  return domains;
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
