/**
 * A job (a pod in Kubernetes terms): one request for devices on a single node.
 * Times are seconds on the driver's clock (virtual in the simulator).
 */
export interface Job {
  readonly id: string;
  /** When the job was submitted. */
  readonly submitTime: number;
  /** Run time at speed 1.0; `Infinity` when the job never ends (FGD's protocol). */
  readonly duration: number;
  /** Whole devices wanted; 0 for a CPU-only job. */
  readonly devices: number;
  /** Share of each device in thousandths: 1..1000, and 1000 whenever `devices` > 1. */
  readonly deviceMilli: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  /** Device types the job accepts; empty accepts any. */
  readonly deviceTypes: readonly string[];
  /** Larger runs first under the priority order. */
  readonly priority: number;
  readonly tenant: string;
  /** A site id or jurisdiction label the job's data must stay in; absent = anywhere. */
  readonly residency?: string;
  /**
   * The runtime estimate reservations and backfill trust; default duration. A job
   * that would run past the start of a reservation it is not part of may not use it.
   */
  readonly estimate?: number;
}

/** Total device demand in milli-devices (e.g. 2 × 1000, or 1 × 250). */
export function jobDeviceMilli(job: Pick<Job, "devices" | "deviceMilli">): number {
  return job.devices * job.deviceMilli;
}

/** True when the job shares one device with others (fractional GPU). */
export function isFractional(job: Pick<Job, "devices" | "deviceMilli">): boolean {
  return job.devices === 1 && job.deviceMilli < 1000;
}
