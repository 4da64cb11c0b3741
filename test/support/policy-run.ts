/**
 * Running a hand-built multi-tenant scenario under one queue policy and recording what
 * the conformance cases check: every start (time, device type, nodes, sites), the last
 * wait reason per workload, and optionally the peak quota usage of one queue.
 */
import assert from "node:assert/strict";
import type { Fleet } from "../../src/core/model/fleet.ts";
import { SCHEDULER_POLICIES } from "../../src/core/schedule/policies.ts";
import { OPEN_TENANCY, type TenancySpec } from "../../src/core/tenancy/spec.ts";
import { queueIndex } from "../../src/core/tenancy/tree.ts";
import type { Workload } from "../../src/core/workload/index.ts";
import { simulateWorkloads, type WorkloadSimInput } from "../../src/sim/workloads/world.ts";
import { node, site, topoFleet } from "./workloads.ts";

export type PolicyName = keyof typeof SCHEDULER_POLICIES;
export const POLICIES = Object.keys(SCHEDULER_POLICIES) as PolicyName[];

interface Start {
  readonly t: number;
  readonly type: string;
  readonly nodes: readonly string[];
  readonly sites: readonly string[];
}

export interface Scenario {
  readonly fleet: Fleet;
  readonly tenancy?: TenancySpec;
  readonly workloads: readonly Workload[];
  readonly horizon?: number;
  readonly reservations?: WorkloadSimInput["reservations"];
}

/** Runs a scenario under `policy` and records every start and the last wait reason per workload. */
export function run(policy: PolicyName, s: Scenario, watch?: { queue: string; type: string }) {
  const starts = new Map<string, Start[]>();
  const reasons = new Map<string, string>();
  let peak = 0;
  const result = simulateWorkloads({
    fleet: s.fleet,
    tenancy: s.tenancy ?? OPEN_TENANCY,
    workloads: s.workloads,
    policy,
    seed: 7,
    horizon: s.horizon,
    reservations: s.reservations,
    audit: ({ t, state, tree, decisions }) => {
      for (const d of decisions) {
        if (d.kind === "wait") reasons.set(d.entry.w.id, d.status.reason);
        if (d.kind !== "start") continue;
        const list = starts.get(d.entry.w.id) ?? [];
        list.push({
          t,
          type: d.type >= 0 ? state.deviceTypes[d.type].id : "cpu",
          nodes: d.placements.map((p) => state.nodeIds[p.node]),
          sites: d.placements.map((p) => state.siteIds[state.nodeSite[p.node]]),
        });
        starts.set(d.entry.w.id, list);
      }
      if (watch) {
        const q = queueIndex(tree, watch.queue);
        const k = q * tree.typeIds.length + tree.typeIds.indexOf(watch.type);
        peak = Math.max(peak, tree.usage[k] / 1000);
      }
    },
  });
  /** When `id` first started (fails the test when it never did). */
  const at = (id: string): number => {
    const s0 = starts.get(id)?.[0];
    assert.ok(s0, `${policy}: ${id} never started (last reason: ${reasons.get(id)})`);
    return s0.t;
  };
  return { result, starts, reasons, at, peak };
}

export const H100 = { h100: 1 };

/** 2 nodes × 4 GPUs, each node its own domain, one site: 8 GPUs. */
export const twoByFour = () =>
  topoFleet(H100, [site("s1", ["kr"], [[[node("n0", "h100", 4)], [node("n1", "h100", 4)]]])]);

/** One node of 8 GPUs. */
export const oneByEight = () => topoFleet(H100, [site("s1", ["kr"], [[[node("n0", "h100", 8)]]])]);

/** Seoul (s-seoul: kr, kr-seoul) and Gwangju (s-gwangju: kr, kr-gwangju), 4 GPUs each. */
export const twoSites = () =>
  topoFleet(H100, [
    site("s-seoul", ["kr", "kr-seoul"], [[[node("seoul0", "h100", 4)]]]),
    site("s-gwangju", ["kr", "kr-gwangju"], [[[node("gwangju0", "h100", 4)]]]),
  ]);

export interface Case {
  readonly name: string;
  readonly check: (policy: PolicyName) => void;
}
