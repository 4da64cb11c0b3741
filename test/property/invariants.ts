/**
 * Invariants the property tests check after every simulated cycle (the world's audit
 * hook). Each throws an AssertionError naming the time, workload and numbers.
 */
import assert from "node:assert/strict";
import type { ClusterState } from "../../src/core/model/cluster.ts";
import { MILLI } from "../../src/core/model/cluster.ts";
import type { Placement } from "../../src/core/model/ledger.ts";
import type { WorkloadDecision } from "../../src/core/schedule/types.ts";
import type { Workload } from "../../src/core/workload/index.ts";
import type { AuditView } from "../../src/sim/workloads/world.ts";

/** What a running workload holds, as the audit sees it. */
export interface Holding {
  readonly w: Workload;
  readonly queue: number;
  readonly type: number;
  readonly placements: readonly Placement[];
}

/**
 * No device is double-booked: every devFree is in [0, 1000] and equals 1000 minus the
 * shares of the running members on it; CPU and memory likewise never go negative and
 * match what running members hold.
 */
export function checkLedger(v: Pick<AuditView, "t" | "state"> & { running: readonly Holding[] }) {
  const { state, t } = v;
  const used = new Int32Array(state.devFree.length);
  const cpu = new Float64Array(state.nodeCount);
  const mem = new Float64Array(state.nodeCount);
  for (const r of v.running) {
    for (const p of r.placements) {
      cpu[p.node] += r.w.member.cpuMilli;
      mem[p.node] += r.w.member.memoryMiB;
      assert.equal(p.devices.length, r.w.member.devices, `t=${t} ${r.w.id}: devices per member`);
      for (const d of p.devices) {
        assert.ok(
          d >= state.devOffset[p.node] && d < state.devOffset[p.node + 1],
          `t=${t} ${r.w.id}: device ${d} is not on node ${p.node}`,
        );
        used[d] += r.w.member.deviceMilli;
      }
    }
  }
  for (let d = 0; d < state.devFree.length; d++) {
    const free = state.devFree[d];
    assert.ok(free >= 0 && free <= MILLI, `t=${t}: devFree[${d}] = ${free} outside [0, 1000]`);
    assert.equal(
      MILLI - free,
      used[d],
      `t=${t}: device ${d} used ${used[d]}, ledger ${MILLI - free}`,
    );
  }
  for (let n = 0; n < state.nodeCount; n++) {
    assert.ok(state.cpuFree[n] >= 0, `t=${t}: node ${n} cpuFree ${state.cpuFree[n]} < 0`);
    assert.ok(state.memFree[n] >= 0, `t=${t}: node ${n} memFree ${state.memFree[n]} < 0`);
    assert.equal(state.cpuCap[n] - state.cpuFree[n], cpu[n], `t=${t}: node ${n} CPU in use`);
    assert.equal(state.memCap[n] - state.memFree[n], mem[n], `t=${t}: node ${n} memory in use`);
  }
}

/**
 * No queue exceeds its guarantee + borrowing limit on any type, and the tree's usage is
 * exactly what running work holds (summed over each subtree).
 */
export function checkQuota(v: Pick<AuditView, "t" | "tree"> & { running: readonly Holding[] }) {
  const { tree, t } = v;
  const T = tree.typeIds.length;
  const expect = new Float64Array(tree.usage.length);
  for (const r of v.running) {
    if (r.type < 0) continue;
    const milli = r.w.member.devices * r.w.member.deviceMilli * r.placements.length;
    for (let a = r.queue; a >= 0; a = tree.parent[a]) expect[a * T + r.type] += milli;
  }
  for (let q = 0; q < tree.paths.length; q++) {
    for (let k = 0; k < T; k++) {
      const i = q * T + k;
      assert.ok(
        Math.abs(tree.usage[i] - expect[i]) < 1e-6,
        `t=${t}: queue "${tree.paths[q]}" ${tree.typeIds[k]} usage ${tree.usage[i]}, running work holds ${expect[i]}`,
      );
      if (q === 0 || tree.open) continue;
      const limit = tree.guaranteed[i] + tree.borrowLimit[i];
      assert.ok(
        tree.usage[i] <= limit + 1e-6,
        `t=${t}: queue "${tree.paths[q]}" uses ${tree.usage[i]} ${tree.typeIds[k]}, over guarantee + borrowLimit ${limit}`,
      );
    }
  }
}

/** The node's site satisfies the workload's residency (its id, or one of its labels). */
export function residencyHolds(state: ClusterState, w: Workload, node: number): boolean {
  if (w.residency === undefined) return true;
  const s = state.nodeSite[node];
  return state.siteIds[s] === w.residency || state.siteResidency[s].includes(w.residency);
}

/** Every running member sits on a site its workload's residency allows. */
export function checkResidency(
  v: Pick<AuditView, "t" | "state"> & { running: readonly Holding[] },
) {
  for (const r of v.running)
    for (const p of r.placements)
      assert.ok(
        residencyHolds(v.state, r.w, p.node),
        `t=${v.t}: ${r.w.id} (residency ${r.w.residency}) runs on ${v.state.nodeIds[p.node]} at site ${v.state.siteIds[v.state.nodeSite[p.node]]}`,
      );
}

/**
 * Gangs are all or nothing: a start places every member (an elastic or service
 * workload: between minMembers and members), each member on one node of the decided
 * type, inside one scope when the workload requires a topology level.
 */
export function checkStarts(
  v: Pick<AuditView, "t" | "state"> & {
    decisions: readonly WorkloadDecision[];
    running: readonly Holding[];
  },
) {
  const { state, t } = v;
  const runningIds = new Set(v.running.map((r) => r.w.id));
  for (const d of v.decisions) {
    if (d.kind === "wait")
      assert.ok(!runningIds.has(d.entry.w.id), `t=${t} ${d.entry.w.id}: waits, yet holds devices`);
    if (d.kind !== "start") continue;
    const w = d.entry.w;
    const n = d.placements.length;
    if (w.minMembers < w.members)
      assert.ok(
        n >= w.minMembers && n <= w.members,
        `t=${t} ${w.id}: ${n} members, not in [${w.minMembers}, ${w.members}]`,
      );
    else assert.equal(n, w.members, `t=${t} ${w.id}: a rigid gang starts whole`);
    for (const p of d.placements) {
      if (w.member.devices > 0) {
        assert.equal(state.nodeType[p.node], d.type, `t=${t} ${w.id}: member on another type`);
        const type = state.deviceTypes[d.type].id;
        assert.ok(
          w.deviceTypes.length === 0 || w.deviceTypes.includes(type),
          `t=${t} ${w.id}: type ${type} not in ${w.deviceTypes}`,
        );
      }
    }
    if (w.topology?.required) {
      const of = { domain: state.nodeDomain, rack: state.nodeRack, site: state.nodeSite }[
        w.topology.level
      ];
      const scopes = new Set(d.placements.map((p) => of[p.node]));
      assert.equal(scopes.size, 1, `t=${t} ${w.id}: spans ${scopes.size} ${w.topology.level}s`);
    }
  }
}
