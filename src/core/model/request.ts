/**
 * Request: a job compiled against one cluster's device-type table, so the hot path
 * compares integers instead of strings.
 */
import { type ClusterState, MILLI } from "./cluster.ts";
import type { Job } from "./job.ts";

export interface Request {
  readonly job: Job;
  /** Bit i set = device type i accepted. All bits set when the job accepts any type. */
  readonly typeMask: number;
  /** Placement class used by GpuClustering-style affinity: see affinityClass(). */
  readonly affinityClass: number;
  /** Bit s set = site s satisfies the job's residency. All bits set when it has none. */
  readonly siteMask: number;
}

export const ANY_TYPE = 0xffffffff | 0;

/**
 * Placement classes: 0 CPU-only, 1 fractional (shares one device), 1+k for k whole
 * devices (k = 1..8; 9 holds k > 8).
 */
export function affinityClass(devices: number, deviceMilli: number): number {
  if (devices === 0) return 0;
  if (devices === 1 && deviceMilli < MILLI) return 1;
  return Math.min(devices, 8) + 1;
}

/**
 * Compiles a job. Unknown device types in `job.deviceTypes` match no node, so a job
 * that names only unknown types can never be placed (and the filter says why).
 */
export function compileRequest(state: ClusterState, job: Job): Request {
  let typeMask = ANY_TYPE;
  if (job.deviceTypes.length > 0) {
    typeMask = 0;
    for (const t of job.deviceTypes) {
      const i = state.deviceTypes.findIndex((d) => d.id === t);
      if (i >= 0 && i < 32) typeMask |= 1 << i;
    }
  }
  return {
    job,
    typeMask,
    affinityClass: affinityClass(job.devices, job.deviceMilli),
    siteMask: siteMask(state, job.residency),
  };
}

/**
 * Sites a residency label allows: the site whose id it is, and every site that lists
 * it among its jurisdiction labels. An unknown label allows none (the job can never
 * run, and the filter says why) rather than all.
 */
export function siteMask(state: ClusterState, residency: string | undefined): number {
  if (residency === undefined) return ANY_TYPE;
  let mask = 0;
  state.siteIds.forEach((id, s) => {
    if (s < 32 && (id === residency || state.siteResidency[s].includes(residency))) mask |= 1 << s;
  });
  return mask;
}

/** True when node type `typeIndex` (-1 = CPU-only) may serve the request's devices. */
export function typeAllowed(req: Request, typeIndex: number): boolean {
  if (req.typeMask === ANY_TYPE) return true;
  return typeIndex >= 0 && (req.typeMask & (1 << typeIndex)) !== 0;
}

/**
 * The fields that decide where a request fits (resources and accepted types). Two
 * requests with equal keys fit on exactly the same nodes; the cycle and the simulator's
 * pending queue both group by it, so they must share this one definition.
 */
export function fitShapeKey(req: Request): string {
  const j = req.job;
  return `${j.cpuMilli}/${j.memoryMiB}/${j.devices}/${j.deviceMilli}/${req.typeMask}/${req.siteMask}`;
}
