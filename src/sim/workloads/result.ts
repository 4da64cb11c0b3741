/**
 * What a multi-tenant run produces: JSON-serialisable, byte-identical for the same
 * input and seed. The report draws it; golden tests pin it.
 */
import type { Distribution } from "../result.ts";

export interface TenantOutcome {
  /** Top-level queue (the organisation). */
  readonly tenant: string;
  readonly workloads: number;
  readonly completed: number;
  readonly wait: Distribution;
  readonly jct: Distribution;
  readonly deviceHours: number;
  /** Time-averaged share of fleet devices held, 0..1. */
  readonly meanShare: number;
  /** Guaranteed share of fleet devices (sum over types), 0..1; 0 without quotas. */
  readonly guaranteedShare: number;
  /** Times its work was preempted (reclaim, priority, maintenance, reservation). */
  readonly preempted: number;
  /**
   * Work its workloads did, in device-hours at speed 1.0 (H100-equivalent): devices
   * held × the speed they ran at. Progress later lost to a node failure is included.
   */
  readonly workHours?: number;
  /**
   * Fraction of the run (0..1) during which no workload of the tenant waited that
   * would fit in its unused guarantee of a device type it can run on (held + the
   * devices it can start with ≤ guaranteed). 1 without a guarantee. See docs/planning.md.
   */
  readonly guaranteeMet?: number;
}

export interface SharePoint {
  readonly t: number;
  /** Allocated devices, % of devices present. */
  readonly allocation: number;
  readonly pending: number;
  readonly running: number;
  /** Per tenant (same order as `tenants`): share of devices present it holds, 0..1. */
  readonly shares: readonly number[];
}

/** One sample of fragmentation, taken at the same instants as the share timeline. */
export interface FragmentationPoint {
  readonly t: number;
  /**
   * FGD fragmentation as the trace simulator measures it: free devices on schedulable
   * nodes that the run's typical workload members cannot use, frequency-weighted, as %
   * of the devices present (the denominator of `allocation`).
   */
  readonly fragmentation: number;
}

export interface WorkloadSimResult {
  readonly scenario: string;
  readonly policy: string;
  readonly seed: number;
  readonly horizon: number;
  readonly cycles: number;
  readonly workloads: {
    readonly submitted: number;
    readonly completed: number;
    readonly running: number;
    readonly pending: number;
    readonly rejected: number;
    readonly timedOut: number;
  };
  /** Completion time = end − submit, completed workloads only. */
  readonly jct: Distribution;
  /** Wait = first start − submit, workloads that started. */
  readonly wait: Distribution;
  /** Time-weighted mean allocation % over the run. */
  readonly meanAllocation: number;
  readonly preemptions: {
    readonly reclaim: number;
    readonly priority: number;
    readonly maintenance: number;
    readonly reservation: number;
  };
  /** Runs killed by node failures (restarted from scratch). */
  readonly restarts: number;
  /** Reclaims and the longest wait from the reclaim decision to the owner's start (s). */
  readonly reclaim: { readonly count: number; readonly maxLatency: number };
  /** Multi-member starts by topology levels crossed: [one domain, one rack, one site, sites]. */
  readonly gangLevels: readonly number[];
  /** Jain's index over tenants of meanShare / guaranteedShare (of device shares without quotas). */
  readonly jainIndex: number;
  readonly tenants: readonly TenantOutcome[];
  readonly timeline: readonly SharePoint[];
  /**
   * Fragmentation over time, at the timeline's instants. Optional: results written
   * before it was recorded lack it (and its reports skip the chart).
   */
  readonly fragmentation?: readonly FragmentationPoint[];
  /**
   * Completion times (end − submit, s) of completed workloads as an empirical CDF of at
   * most 200 [seconds, fraction ≤ seconds] pairs. Optional like `fragmentation`.
   */
  readonly jctCdf?: readonly (readonly [number, number])[];
}
