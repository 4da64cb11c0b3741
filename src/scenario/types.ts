/**
 * A scenario: everything one multi-tenant simulation needs. The fleet and its
 * capacity over time, the tenancy, reservations and the workloads. Built-in
 * scenarios and scenario files both produce this; the simulator consumes it.
 */
import type { Fleet } from "../core/model/fleet.ts";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import type { Workload } from "../core/workload/index.ts";

/** Nodes that arrive together: absent before `time`, schedulable from it. */
export interface Tranche {
  readonly id: string;
  /** Seconds from the start of the run. */
  readonly time: number;
  readonly nodes: readonly string[];
}

/**
 * Planned downtime. From `drainStart` the nodes take no new work; at `start` work still
 * running there is preempted (requeued, progress kept); at `end` the nodes return.
 */
export interface MaintenanceWindow {
  readonly id: string;
  readonly nodes: readonly string[];
  readonly drainStart: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Capacity leaving for good (decommissioning, a lease ending, a move). From
 * `drainStart` the nodes take no new work; at `time` work still running there is
 * preempted (requeued, progress kept) and the nodes never return.
 */
export interface Retirement {
  readonly id: string;
  /** Seconds from the start of the run. */
  readonly time: number;
  readonly drainStart: number;
  readonly nodes: readonly string[];
}

/** Random node failures: exponential times between failures per node, fixed repair time. */
export interface FailureModel {
  /** Mean time between failures of one node, seconds. */
  readonly mtbf: number;
  /** Seconds a failed node stays down. */
  readonly repair: number;
}

/**
 * An advance reservation: devices held for a queue (and its subtree) during
 * [start, end). Before the window, others may use them only if their runtime estimate
 * ends before `start`. Give either `domain` (a whole domain, "site/rack/domain") or
 * `deviceType` and `devices`.
 */
export interface ReservationSpec {
  readonly id: string;
  readonly queue: string;
  readonly start: number;
  readonly end: number;
  readonly domain?: string;
  readonly deviceType?: string;
  readonly devices?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly fleet: Fleet;
  readonly tenancy: TenancySpec;
  readonly workloads: readonly Workload[];
  readonly tranches: readonly Tranche[];
  readonly maintenance: readonly MaintenanceWindow[];
  /** Nodes leaving for good; absent means none. */
  readonly retirements?: readonly Retirement[];
  readonly failures?: FailureModel;
  readonly reservations: readonly ReservationSpec[];
  /** Seconds to simulate; work still queued or running then is reported as such. */
  readonly horizon: number;
}
