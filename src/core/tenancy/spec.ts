/**
 * Tenancy as operators describe it: a tree of queues ("hyundai/robotics/sim"), each
 * with a guaranteed quota, borrowing and lending limits per device type and a
 * fair-share weight; plus priority classes and QoS. Plain data; src/scenario checks
 * the YAML form before it reaches the core.
 */

/** Per device type, in devices (fractions allowed). Absent limits mean unlimited. */
export interface QuotaSpec {
  readonly guaranteed: number;
  /** How far beyond its guarantee the queue may borrow idle capacity. */
  readonly borrowLimit?: number;
  /** How much of its unused guarantee others may borrow. */
  readonly lendLimit?: number;
}

export interface QueueSpec {
  /** Slash-separated path; parents are implied (and may be listed to set their quota). */
  readonly path: string;
  /** Fair-share weight among siblings; default 1. */
  readonly weight?: number;
  /** Keyed by device type id. Types not listed have a guarantee of 0. */
  readonly quota?: Readonly<Record<string, QuotaSpec>>;
}

export interface PriorityClassSpec {
  readonly name: string;
  readonly value: number;
  readonly preemptible: boolean;
}

export interface QosSpec {
  readonly name: string;
  /** Added to the workload's priority. */
  readonly priority: number;
  /** Runs longer than this are stopped (seconds); absent = no limit. */
  readonly maxRuntime?: number;
}

export interface TenancySpec {
  readonly queues: readonly QueueSpec[];
  readonly priorityClasses?: readonly PriorityClassSpec[];
  readonly qos?: readonly QosSpec[];
  /** Seconds a preempted workload gets to checkpoint and exit; default 0. */
  readonly reclaimGrace?: number;
  /** Fair-share usage half-life in seconds (Slurm's PriorityDecayHalfLife); default 7 days. */
  readonly halfLife?: number;
  /** Charge per device-second by type (default: the type's speed). */
  readonly chargeWeights?: Readonly<Record<string, number>>;
}

/** One queue for everyone with no quotas: what a plain trace replay uses. */
export const OPEN_TENANCY: TenancySpec = { queues: [] };
