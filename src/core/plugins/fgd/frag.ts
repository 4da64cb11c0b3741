/**
 * FGD's fragmentation measure. A node's fragmented device share, seen by a typical
 * job, is the free share that job cannot use: all of it when the job cannot land on
 * the node at all (wrong type, too little CPU, too few fitting devices) or needs no
 * device, else the devices too small for it. The node's fragmentation is the
 * frequency-weighted sum over typical shapes; the cluster's is the sum over nodes.
 */
import type { ClusterState } from "../../model/cluster.ts";
import { ANY_TYPE } from "../../model/request.ts";
import type { TypicalShape } from "./typical.ts";

/**
 * Fragmentation (milli-devices) of one node given explicit free values, so callers can
 * ask "what if" without touching the state. `free` holds `len` device shares.
 */
export function fragOf(
  cpuFree: number,
  free: ArrayLike<number>,
  len: number,
  nodeType: number,
  typical: readonly TypicalShape[],
): number {
  let total = 0;
  for (let i = 0; i < len; i++) total += free[i];
  if (total === 0) return 0;
  // Summed per category, in the published simulator's category order, so float
  // rounding (and hence integer score ties) matches it.
  let lackBoth = 0;
  let lackDev = 0;
  let lackCpu = 0;
  let cpuOnlyFits = 0;
  let cpuOnlyLacks = 0;
  let noAccess = 0;
  for (const t of typical) {
    const f = t.freq;
    if (t.deviceMilli === 0) {
      if (cpuFree >= t.cpuMilli) cpuOnlyFits += f * total;
      else cpuOnlyLacks += f * total;
      continue;
    }
    if (t.typeMask !== ANY_TYPE && (nodeType < 0 || (t.typeMask & (1 << nodeType)) === 0)) {
      noAccess += f * total;
      continue;
    }
    let fitting = 0;
    let tooSmall = 0;
    for (let i = 0; i < len; i++) {
      if (free[i] >= t.deviceMilli) fitting++;
      else tooSmall += free[i];
    }
    const cpuOk = cpuFree >= t.cpuMilli;
    if (fitting >= t.devices) {
      if (cpuOk) lackDev += f * tooSmall;
      else lackCpu += f * total;
    } else if (cpuOk) lackDev += f * total;
    else lackBoth += f * total;
  }
  return lackBoth + lackDev + lackCpu + cpuOnlyFits + cpuOnlyLacks + noAccess;
}

/** Fragmentation of a node as it stands. */
export function nodeFrag(
  state: Readonly<ClusterState>,
  node: number,
  typical: readonly TypicalShape[],
): number {
  const first = state.devOffset[node];
  const len = state.devOffset[node + 1] - first;
  return fragOf(
    state.cpuFree[node],
    state.devFree.subarray(first, first + len),
    len,
    state.nodeType[node],
    typical,
  );
}

/** Cluster fragmentation in milli-devices: the sum over nodes. */
export function clusterFrag(
  state: Readonly<ClusterState>,
  typical: readonly TypicalShape[],
): number {
  let sum = 0;
  for (let n = 0; n < state.nodeCount; n++) sum += nodeFrag(state, n, typical);
  return sum;
}
