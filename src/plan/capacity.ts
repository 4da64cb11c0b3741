/**
 * The capacity a variant has over time, from its spec alone: a node counts from its
 * delivery (0 without a tranche) until its retirement, minus its maintenance windows
 * (from `start` to `end`). Random failures are left out: they differ per seed and
 * are the same in expectation across variants of one fleet. Capacity is measured
 * in H100-equivalent devices (devices × the type's speed), so hours on different
 * types add up.
 */
import { fleetNodes } from "../core/model/fleet.ts";
import type { ScenarioSpec } from "../scenario/spec.ts";
import { round6 } from "../sim/metrics.ts";

export interface Capacity {
  /** H100-equivalent device-hours present over the horizon. */
  readonly hours: number;
  /** Plain device-hours present over the horizon (every type counts 1). */
  readonly deviceHours: number;
  /** H100-equivalent devices present, as [time, value] from each change on. */
  readonly timeline: readonly (readonly [number, number])[];
}

/** Capacity of `spec` over [0, horizon]; pure. */
export function capacityOf(spec: ScenarioSpec): Capacity {
  const speed = new Map(spec.fleet.deviceTypes.map((t) => [t.id, t.speed]));
  const arrive = new Map<string, number>();
  for (const tr of spec.tranches) for (const n of tr.nodes) arrive.set(n, tr.time);
  const retire = new Map<string, number>();
  for (const r of spec.retirements ?? [])
    for (const n of r.nodes)
      retire.set(n, Math.min(retire.get(n) ?? Number.POSITIVE_INFINITY, r.time));
  const down = new Map<string, [number, number][]>();
  for (const m of spec.maintenance)
    for (const n of m.nodes) down.set(n, [...(down.get(n) ?? []), [m.start, m.end]]);

  const H = spec.horizon;
  // (time, Δ H100-equivalent devices, Δ devices), every change clipped to [0, H].
  const steps: [number, number, number][] = [];
  const span = (from: number, to: number, eq: number, devices: number) => {
    const a = Math.max(0, from);
    const b = Math.min(H, to);
    if (!(b > a)) return;
    steps.push([a, eq, devices], [b, -eq, -devices]);
  };
  for (const { node } of fleetNodes(spec.fleet)) {
    if (node.deviceType === null || node.devices === 0) continue;
    const devices = node.devices;
    const eq = devices * (speed.get(node.deviceType) ?? 1);
    const from = arrive.get(node.id) ?? 0;
    const to = retire.get(node.id) ?? Number.POSITIVE_INFINITY;
    span(from, to, eq, devices);
    for (const [s, e] of down.get(node.id) ?? [])
      span(Math.max(s, from), Math.min(e, to), -eq, -devices);
  }
  steps.sort((x, y) => x[0] - y[0]);
  let eqNow = 0;
  let devNow = 0;
  let last = 0;
  let hours = 0;
  let deviceHours = 0;
  const timeline: [number, number][] = [];
  for (let i = 0; i < steps.length; ) {
    const t = steps[i][0];
    hours += (eqNow * (t - last)) / 3600;
    deviceHours += (devNow * (t - last)) / 3600;
    for (; i < steps.length && steps[i][0] === t; i++) {
      eqNow += steps[i][1];
      devNow += steps[i][2];
    }
    last = t;
    if (t < H) timeline.push([t, round6(eqNow)]);
  }
  if (timeline.length === 0) timeline.push([0, 0]);
  timeline.push([H, timeline[timeline.length - 1][1]]);
  return { hours: round6(hours), deviceHours: round6(deviceHours), timeline };
}
