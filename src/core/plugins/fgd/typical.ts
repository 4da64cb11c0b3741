/**
 * The target workload FGD optimises for: the most popular job shapes of a workload,
 * enough of them to cover `coverage` (95 %) of its jobs, with their frequencies
 * renormalised to sum to 1. CPU-only jobs count, as in the FGD paper's runs.
 */

import type { DeviceType } from "../../model/fleet.ts";
import type { Job } from "../../model/job.ts";
import { ANY_TYPE } from "../../model/request.ts";

export interface TypicalShape {
  readonly cpuMilli: number;
  readonly devices: number;
  readonly deviceMilli: number;
  /** The job's accepted types as written (`|`-joined), used for ordering only. */
  readonly typeKey: string;
  /** Accepted device types as a bit mask over the cluster's type table. */
  readonly typeMask: number;
  readonly freq: number;
}

/**
 * Computes typical shapes. Ties in popularity are broken by the larger
 * (cpu, deviceMilli, devices, typeKey), so the result does not depend on job order.
 */
export function typicalShapes(
  jobs: readonly Job[],
  deviceTypes: readonly DeviceType[],
  coverage = 0.95,
): TypicalShape[] {
  const counts = new Map<string, { shape: Omit<TypicalShape, "freq" | "typeMask">; n: number }>();
  for (const job of jobs) {
    const typeKey = job.deviceTypes.join("|");
    const shape = {
      cpuMilli: job.cpuMilli,
      devices: job.devices,
      deviceMilli: job.deviceMilli,
      typeKey,
    };
    const key = `${shape.cpuMilli}/${shape.deviceMilli}/${shape.devices}/${typeKey}`;
    const entry = counts.get(key);
    if (entry) entry.n++;
    else counts.set(key, { shape, n: 1 });
  }
  const sorted = [...counts.values()].sort(
    (a, b) => b.n - a.n || compareShapeDesc(a.shape, b.shape),
  );
  const total = jobs.length;
  const target = coverage * total;
  const chosen: typeof sorted = [];
  let covered = 0;
  for (const entry of sorted) {
    if (covered >= target) break;
    chosen.push(entry);
    covered += entry.n;
  }
  return chosen.map(({ shape, n }) => ({
    ...shape,
    typeMask: maskOf(shape.typeKey, deviceTypes),
    freq: n / covered,
  }));
}

function compareShapeDesc(
  a: Omit<TypicalShape, "freq" | "typeMask">,
  b: Omit<TypicalShape, "freq" | "typeMask">,
): number {
  if (a.cpuMilli !== b.cpuMilli) return b.cpuMilli - a.cpuMilli;
  if (a.deviceMilli !== b.deviceMilli) return b.deviceMilli - a.deviceMilli;
  if (a.devices !== b.devices) return b.devices - a.devices;
  return a.typeKey < b.typeKey ? 1 : a.typeKey > b.typeKey ? -1 : 0;
}

function maskOf(typeKey: string, deviceTypes: readonly DeviceType[]): number {
  const names = typeKey.split("|").filter((s) => s.length > 0);
  if (names.length === 0) return ANY_TYPE;
  let mask = 0;
  for (const n of names) {
    const i = deviceTypes.findIndex((t) => t.id === n);
    if (i >= 0 && i < 32) mask |= 1 << i;
  }
  return mask;
}
