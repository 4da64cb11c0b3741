/**
 * What one simulated run of one variant tells a capacity planner, per tenant: the
 * guarantee met (% of time), the p95 wait, how much of its guarantee it used, and
 * the work it demanded against the work it got. Work is counted in H100-equivalent
 * device-hours (device-hours × speed; an H100 is 1.0) so that hours on different
 * device types add up. Definitions: docs/planning.md.
 */
import type { Fleet } from "../core/model/fleet.ts";
import type { Workload } from "../core/workload/index.ts";
import { round6 } from "../sim/metrics.ts";
import type { WorkloadSimResult } from "../sim/workloads/result.ts";

/** One tenant (top-level queue) in one run. */
export interface TenantRunMetrics {
  readonly tenant: string;
  readonly workloads: number;
  /** Fraction of the run its demand up to its guarantee was served; null without a guarantee. */
  readonly guaranteeMet: number | null;
  /** 95th percentile wait (first start − submit), seconds; null when nothing started. */
  readonly waitP95: number | null;
  /** Mean devices held ÷ mean devices guaranteed; null without a guarantee. */
  readonly utilization: number | null;
  /** Work its workloads asked for within the horizon, H100-equivalent device-hours. */
  readonly demandedHours: number;
  /** Work they got (at most what they asked for), H100-equivalent device-hours. */
  readonly deliveredHours: number;
}

/** One point of a run's timeline, as the report draws it. */
export interface PlanPoint {
  readonly t: number;
  /** Allocated devices, % of devices present. */
  readonly allocation: number;
  readonly pending: number;
}

/** One variant under one seed. */
export interface RunMetrics {
  readonly seed: number;
  readonly workloads: number;
  readonly completed: number;
  /** Time-weighted mean allocation, % of devices present. */
  readonly allocation: number;
  readonly waitP95: number | null;
  readonly demandedHours: number;
  readonly deliveredHours: number;
  /** Mean of guaranteeMet over tenants with a guarantee; null when none has one. */
  readonly guaranteeMet: number | null;
  readonly tenants: readonly TenantRunMetrics[];
  readonly timeline: readonly PlanPoint[];
}

/**
 * Work a workload asks for within `horizon`, in device-seconds at speed 1.0: its
 * devices × duration, capped at what it could do from submission to the horizon on
 * its fastest device type; a service (no end) asks for its devices from submission
 * to the horizon at the mean speed of its types, as offeredLoad counts it.
 */
export function demandedWork(
  w: Workload,
  speeds: ReadonlyMap<string, number>,
  horizon: number,
): number {
  const devices = (w.members * w.member.devices * w.member.deviceMilli) / 1000;
  const types = w.deviceTypes.length > 0 ? w.deviceTypes : [...speeds.keys()];
  const speedOf = (t: string) => w.speeds?.[t] ?? speeds.get(t) ?? 1;
  const left = Math.max(0, horizon - w.submitTime);
  if (!Number.isFinite(w.duration))
    return devices * left * (types.reduce((a, t) => a + speedOf(t), 0) / Math.max(1, types.length));
  const fastest = types.reduce((a, t) => Math.max(a, speedOf(t)), 0);
  return Math.min(devices * w.duration, devices * left * fastest);
}

/** The top-level queue of a queue path: the tenant. */
export const tenantOf = (queue: string): string => queue.split("/")[0];

/**
 * Reduces a run to its plan metrics. `workloads` are the run's (for demand),
 * `fleet` gives device speeds. Pure: equal inputs give equal output.
 */
export function runMetrics(
  result: WorkloadSimResult,
  workloads: readonly Workload[],
  fleet: Fleet,
): RunMetrics {
  const speeds = new Map(fleet.deviceTypes.map((t) => [t.id, t.speed]));
  const demand = new Map<string, number>();
  for (const w of workloads) {
    const t = tenantOf(w.queue);
    demand.set(t, (demand.get(t) ?? 0) + demandedWork(w, speeds, result.horizon));
  }
  const tenants = result.tenants.map((t): TenantRunMetrics => {
    const demandedHours = (demand.get(t.tenant) ?? 0) / 3600;
    const guaranteed = t.guaranteedShare > 0;
    return {
      tenant: t.tenant,
      workloads: t.workloads,
      guaranteeMet: guaranteed ? (t.guaranteeMet ?? null) : null,
      waitP95: t.wait.count > 0 ? t.wait.p95 : null,
      utilization: guaranteed ? round6(t.meanShare / t.guaranteedShare) : null,
      demandedHours: round6(demandedHours),
      deliveredHours: round6(Math.min(t.workHours ?? 0, demandedHours)),
    };
  });
  const met = tenants.flatMap((t) => (t.guaranteeMet === null ? [] : [t.guaranteeMet]));
  return {
    seed: result.seed,
    workloads: result.workloads.submitted,
    completed: result.workloads.completed,
    allocation: result.meanAllocation,
    waitP95: result.wait.count > 0 ? result.wait.p95 : null,
    demandedHours: round6(tenants.reduce((a, t) => a + t.demandedHours, 0)),
    deliveredHours: round6(tenants.reduce((a, t) => a + t.deliveredHours, 0)),
    guaranteeMet: met.length > 0 ? round6(met.reduce((a, b) => a + b, 0) / met.length) : null,
    tenants,
    timeline: result.timeline.map((p) => ({
      t: p.t,
      allocation: p.allocation,
      pending: p.pending,
    })),
  };
}
