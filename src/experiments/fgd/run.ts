/**
 * One (workload, policy, seed) run of the FGD inflation experiment through the
 * ordinary core: each pod is one cycle() over the live snapshot, and the decision is
 * applied through the ledger, exactly as the simulator does.
 */
import { cycle } from "../../core/cycle.ts";
import { buildClusterState, MILLI, totalDevices } from "../../core/model/cluster.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import { type Job, jobDeviceMilli } from "../../core/model/job.ts";
import { allocate } from "../../core/model/ledger.ts";
import { nodeFrag } from "../../core/plugins/fgd/frag.ts";
import { typicalShapes } from "../../core/plugins/fgd/typical.ts";
import { createPolicy, type PolicyName, policyLabel } from "../../core/registry.ts";
import { createRng, shuffle } from "../../core/rng.ts";
import { binByArrived } from "./bins.ts";
import { shuffledByName, tuneToCapacity } from "./protocol.ts";

export interface FgdRunInput {
  /** Pod-list name without `.csv`, e.g. `openb_pod_list_default`. */
  readonly workload: string;
  /** The workload's pods in file order. */
  readonly pods: readonly Job[];
  readonly fleet: Fleet;
  readonly policy: PolicyName;
  readonly seed: number;
  /** Target total device request as a multiple of capacity (1.3 in the paper). */
  readonly tune?: number;
}

export interface FgdRunResult {
  readonly workload: string;
  readonly policy: PolicyName;
  readonly label: string;
  readonly seed: number;
  readonly tune: number;
  readonly totalDevices: number;
  readonly placements: number;
  readonly failed: number;
  /** Allocation %, binned at arrived % 0..130. */
  readonly allocation: Float64Array;
  /** Fragmented device share as % of capacity, binned the same way. */
  readonly fragmentation: Float64Array;
}

/** Runs the protocol and returns the binned curves. Deterministic for a seed. */
export function runFgd(input: FgdRunInput): FgdRunResult {
  const tune = input.tune ?? 1.3;
  const state = buildClusterState(input.fleet);
  const devices = totalDevices(state);
  const rng = createRng(input.seed);
  const pods = tuneToCapacity(shuffledByName(input.pods, rng), input.pods, devices, tune, rng);
  // The published simulator prefixes node names with a seeded permutation and takes
  // the first best node in name order: ties follow that order.
  const nodeRank = new Int32Array(state.nodeCount);
  shuffle(
    Array.from({ length: state.nodeCount }, (_, i) => i),
    rng,
  ).forEach((node, r) => {
    nodeRank[node] = r;
  });
  const policy = createPolicy(input.policy, {
    deviceTypes: state.deviceTypes,
    workload: input.pods,
    nodesToScore: "all",
  });
  const typical = typicalShapes(input.pods, state.deviceTypes);

  const frag = new Float64Array(state.nodeCount);
  let fragSum = 0;
  for (let n = 0; n < state.nodeCount; n++) {
    frag[n] = nodeFrag(state, n, typical);
    fragSum += frag[n];
  }
  const capacity = devices * MILLI;
  const arrivedPct = new Float64Array(pods.length);
  const allocPct = new Float64Array(pods.length);
  const fragPct = new Float64Array(pods.length);
  let arrived = 0;
  let used = 0;
  let failed = 0;
  pods.forEach((pod, i) => {
    arrived += jobDeviceMilli(pod);
    const [decision] = cycle({ state, pending: [pod], policy, now: i, rng, nodeRank });
    if (decision.kind === "start") {
      const node = decision.placement.node;
      allocate(state, decision.request, decision.placement);
      used += jobDeviceMilli(pod);
      fragSum -= frag[node];
      frag[node] = nodeFrag(state, node, typical);
      fragSum += frag[node];
    } else {
      failed++;
    }
    arrivedPct[i] = (arrived / capacity) * 100;
    allocPct[i] = (used / capacity) * 100;
    fragPct[i] = (fragSum / capacity) * 100;
  });
  return {
    workload: input.workload,
    policy: input.policy,
    label: policyLabel(input.policy),
    seed: input.seed,
    tune,
    totalDevices: devices,
    placements: pods.length,
    failed,
    allocation: binByArrived(arrivedPct, allocPct, pods.length),
    fragmentation: binByArrived(arrivedPct, fragPct, pods.length),
  };
}
