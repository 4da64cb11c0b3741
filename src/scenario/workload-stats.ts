/**
 * Measures of a workload list: offered load (how much of the fleet it asks for) and
 * counts by class. The mix calibrates its arrival rate with offeredLoad; tests and
 * reports use both.
 */
import type { Fleet } from "../core/model/fleet.ts";
import { WORKLOAD_CLASSES, type Workload, type WorkloadClass } from "../core/workload/index.ts";
import { speedCapacity } from "./fleet-facts.ts";

/**
 * Offered load of `workloads` on `fleet` over `horizon` seconds: work asked for
 * (members × devices × share × duration, in speed-1.0 device-seconds; a service
 * counts from its submission to the horizon at the mean speed of its types) over
 * the fleet's devices × speed × horizon. 1.0 keeps every device busy on average.
 */
export function offeredLoad(workloads: readonly Workload[], fleet: Fleet, horizon: number): number {
  const speed = new Map(fleet.deviceTypes.map((t) => [t.id, t.speed]));
  let work = 0;
  for (const w of workloads) {
    const devices = (w.members * w.member.devices * w.member.deviceMilli) / 1000;
    if (Number.isFinite(w.duration)) work += devices * w.duration;
    else {
      const types = w.deviceTypes.length > 0 ? w.deviceTypes : [...speed.keys()];
      const s = types.reduce((a, t) => a + (w.speeds?.[t] ?? speed.get(t) ?? 1), 0) / types.length;
      work += devices * Math.max(0, horizon - w.submitTime) * s;
    }
  }
  const capacity = speedCapacity(fleet) * horizon;
  return capacity > 0 ? work / capacity : 0;
}

/** Workloads per class, every class present (0 when none). */
export function countByClass(workloads: readonly Workload[]): Record<WorkloadClass, number> {
  const out = Object.fromEntries(WORKLOAD_CLASSES.map((c) => [c, 0])) as Record<
    WorkloadClass,
    number
  >;
  for (const w of workloads) out[w.class]++;
  return out;
}
