/**
 * What one simulation run produces. The engine fills it, the report draws it, and
 * golden tests pin it: JSON-serialisable, numbers only where the order is fixed.
 */

/** Summary statistics of a distribution, in seconds unless said otherwise. */
export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** One sample of cluster state over time (taken at every event batch, then thinned). */
export interface TimePoint {
  /** Virtual time, seconds. */
  readonly t: number;
  /** Allocated device share, % of all devices. */
  readonly allocation: number;
  /** FGD fragmentation: free share unusable by typical jobs, % of all devices. */
  readonly fragmentation: number;
  /** Jobs waiting. */
  readonly queued: number;
  /** Jobs running. */
  readonly running: number;
}

export interface TenantMetrics {
  readonly tenant: string;
  readonly jobs: number;
  readonly jct: Distribution;
  readonly queueingDelay: Distribution;
  /** Device-seconds used by the tenant's jobs. */
  readonly deviceSeconds: number;
  /** Share of all device-seconds used, 0..1. */
  readonly share: number;
}

export interface SimMetrics {
  readonly jobs: number;
  readonly completed: number;
  /** Jobs that can never run on this fleet (e.g. more devices than any node has). */
  readonly rejected: number;
  /** Jobs still waiting or running when the run ended. */
  readonly unfinished: number;
  /** Runs killed by node failures (each killed job waits again and restarts). */
  readonly restarts: number;
  /** Job completion time = end − submit. */
  readonly jct: Distribution;
  /** Queueing delay = start − submit. */
  readonly queueingDelay: Distribution;
  /** Time from the first submit to the last completion. */
  readonly makespan: number;
  /** Time-weighted mean allocation %, over the makespan. */
  readonly meanAllocation: number;
  /** Time-weighted mean fragmentation %, over the makespan. */
  readonly meanFragmentation: number;
  /** Jain's fairness index over tenants' device-second shares (1 = perfectly even). */
  readonly jainIndex: number;
  readonly tenants: readonly TenantMetrics[];
  /** Sampled curves, at most ~500 points. */
  readonly timeline: readonly TimePoint[];
  /** Sorted JCT samples for a CDF, at most ~200 points: [jct seconds, cumulative fraction]. */
  readonly jctCdf: readonly (readonly [number, number])[];
}

export interface SimResult {
  readonly fleet: string;
  readonly trace: string;
  readonly policy: string;
  readonly seed: number;
  /** Cycles run and placements made (scheduling work done). */
  readonly cycles: number;
  readonly placements: number;
  readonly events: number;
  readonly metrics: SimMetrics;
}
