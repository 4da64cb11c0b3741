/**
 * One workload of each class, drawn from the public-trace fits (trace-fits.ts). The
 * mix (workload-mix.ts) decides who submits what and when; this file decides what
 * one submission looks like: gang size, member shape, device types and speeds,
 * duration, estimate, priority.
 *
 * Distributions and why:
 * - batch (gang training): run time log-normal with Philly's median 874 s and mean
 *   18,006 s (sigma 2.46), the trace most GPU schedulers are evaluated on, clamped to
 *   [1 min, 3 days] (3 days: a longer job checkpoints and resubmits on shared
 *   clusters, and one 16-node job past that would outlast half the demo). Gang sizes
 *   from gangSizes() with the mean of Acme's LLM cluster Kalos (26.77 GPUs per job,
 *   i.e. 3.3 members of 8): in this fleet the small jobs are the simulation and
 *   interactive classes, so batch is the multi-node training that Kalos measures.
 * - simulation: openb single-GPU pod shapes; run time log-normal with PAI's median
 *   481 s and mean 4,787 s (PAI's jobs are fractional-GPU, median 0.5 GPU, like sim
 *   workers), clamped to [1 min, 12 h].
 * - interactive: no public notebook trace is bundled; a log-normal with median 40 min
 *   and mean 70 min, clamped to [5 min, the QoS limit (4 h by default)].
 * - inference: services that never end, 2–8 one-device replicas.
 */
import type { DeviceType } from "../core/model/fleet.ts";
import type { Rng } from "../core/rng.ts";
import { type MemberShape, type Workload, WorkloadClass } from "../core/workload/index.ts";
import {
  cluster,
  gangSizes,
  type LogNormal,
  logNormalFromMedianMean,
  type PodShape,
  pick,
  sampleLogNormal,
} from "./trace-fits.ts";

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** How a class maps onto the tenancy: its priority (class value + QoS) and QoS run limit. */
export interface ClassSettings {
  readonly priority: number;
  /** Overrides the class's rule (batch, simulation, inference yes; interactive no). */
  readonly preemptible?: boolean;
  readonly maxRuntime?: number;
}

/** Used when a scenario binds no priority class or QoS to a class. */
export const DEFAULT_CLASS_SETTINGS: Readonly<Record<WorkloadClass, ClassSettings>> = {
  batch: { priority: 40 },
  inference: { priority: 80 },
  simulation: { priority: 10 },
  interactive: { priority: 150, maxRuntime: 4 * HOUR },
};

/** Caps on run time (seconds) per class; also caps the estimate. */
export const DURATION_CAPS: Readonly<Record<Exclude<WorkloadClass, "inference">, number>> = {
  batch: 3 * DAY,
  simulation: 12 * HOUR,
  interactive: 4 * HOUR,
};

/** Device types a class may draw from, with a weight (e.g. inference: NPUs 0.7, GPUs 0.3). */
export interface TypePool {
  readonly types: readonly string[];
  readonly weight: number;
}

/** What a draw needs from the fleet and the scenario; built once per generation. */
export interface DrawContext {
  readonly types: ReadonlyMap<string, DeviceType>;
  /** Devices per type in the fleet: single-type choices are weighted by it. */
  readonly deviceCount: ReadonlyMap<string, number>;
  /** Per type, the smallest node: members are sized to fit it. */
  readonly smallest: ReadonlyMap<string, { devices: number; cpuMilli: number; memoryMiB: number }>;
  readonly settings: Readonly<Record<WorkloadClass, ClassSettings>>;
  readonly shapes: readonly PodShape[];
}

/** A drawn workload before the mix gives it an id, queue, submit time and residency. */
export type Drawn = Omit<Workload, "id" | "queue" | "submitTime" | "residency">;

interface Fits {
  readonly batch: LogNormal;
  readonly simulation: LogNormal;
  readonly interactive: LogNormal;
  readonly gang: [number, number][];
}

let fits: Fits | undefined;

/** The fitted distributions (read from data/helios once). */
export function classFits(): Fits {
  if (fits !== undefined) return fits;
  const philly = cluster("Philly");
  const pai = cluster("PAI");
  const kalos = cluster("Kalos");
  fits = {
    batch: logNormalFromMedianMean(
      philly.medianRunTime,
      philly.meanRunTime,
      MINUTE,
      DURATION_CAPS.batch,
    ),
    simulation: logNormalFromMedianMean(
      pai.medianRunTime,
      pai.meanRunTime,
      MINUTE,
      DURATION_CAPS.simulation,
    ),
    interactive: logNormalFromMedianMean(
      40 * MINUTE,
      70 * MINUTE,
      5 * MINUTE,
      DURATION_CAPS.interactive,
    ),
    gang: gangSizes(kalos.meanGpus / 8, 16),
  };
  return fits;
}

/** Chance that a workload accepts every type of its pool (with a speeds table) rather than one. */
const MULTI_TYPE: Readonly<Record<WorkloadClass, number>> = {
  batch: 0.4,
  inference: 0.6,
  simulation: 0.5,
  interactive: 0.2,
};

/** Draws one workload of class `cls` whose device types come from `pools`. */
export function drawWorkload(
  cls: WorkloadClass,
  pools: readonly TypePool[],
  ctx: DrawContext,
  rng: Rng,
): Drawn {
  const pool = pick(
    pools.map((p) => [p, p.weight / pools.reduce((a, q) => a + q.weight, 0)] as const),
    rng,
  );
  const { deviceTypes, speeds } = chooseTypes(pool.types, MULTI_TYPE[cls], ctx, rng);
  const small = smallestOf(deviceTypes, ctx);
  const settings = ctx.settings[cls];
  const base = {
    class: cls,
    deviceTypes,
    ...(speeds !== undefined && { speeds }),
    priority: settings.priority,
    ...(settings.maxRuntime !== undefined && { maxRuntime: settings.maxRuntime }),
  };
  const f = classFits();
  switch (cls) {
    case WorkloadClass.Batch: {
      const members = pick(f.gang, rng);
      const devices = Math.min(8, small.devices);
      const elastic = members >= 2 && rng.next() < 0.3;
      const t = rng.next();
      const topology =
        members < 2 || t >= 0.85
          ? undefined
          : { level: t < 0.7 ? ("domain" as const) : ("rack" as const), required: false };
      const duration = sampleLogNormal(f.batch, rng);
      return {
        ...base,
        duration,
        estimate: estimate(duration, capOf(cls, settings), rng),
        members,
        minMembers: elastic ? Math.max(1, members / 2) : members,
        member: share(small, devices, 1000, 0.75),
        preemptible: settings.preemptible ?? true,
        ...(topology !== undefined && { topology }),
      };
    }
    case WorkloadClass.Inference: {
      const members = 2 + rng.int(7); // 2..8 replicas
      return {
        ...base,
        duration: Number.POSITIVE_INFINITY,
        members,
        minMembers: 1 + rng.int(Math.ceil(members / 2)), // 1..⌈replicas/2⌉ must stay up
        member: share(small, 1, 1000, 0.5),
        preemptible: settings.preemptible ?? true,
      };
    }
    case WorkloadClass.Simulation: {
      const shape = ctx.shapes[rng.int(ctx.shapes.length)];
      const duration = sampleLogNormal(f.simulation, rng);
      return {
        ...base,
        duration,
        estimate: estimate(duration, capOf(cls, settings), rng),
        members: 1,
        minMembers: 1,
        member: {
          devices: 1,
          deviceMilli: shape.deviceMilli,
          cpuMilli: Math.min(shape.cpuMilli, Math.floor(small.cpuMilli * 0.75)),
          memoryMiB: Math.min(shape.memoryMiB, Math.floor(small.memoryMiB * 0.75)),
        },
        preemptible: settings.preemptible ?? true,
      };
    }
    case WorkloadClass.Interactive: {
      const u = rng.next();
      const milli = u < 0.6 ? 1000 : u < 0.8 ? 500 : 250;
      const cap = capOf(cls, settings);
      const duration = Math.min(cap, sampleLogNormal(f.interactive, rng));
      return {
        ...base,
        duration,
        estimate: estimate(duration, cap, rng),
        members: 1,
        minMembers: 1,
        member: share(small, 1, milli, 0.5),
        preemptible: settings.preemptible ?? false,
      };
    }
    default: {
      const never: never = cls;
      throw new Error(`unknown workload class ${String(never)}`);
    }
  }
}

/** Run-time cap of a class: its fixed cap, or the QoS limit when that is shorter. */
function capOf(cls: Exclude<WorkloadClass, "inference">, s: ClassSettings): number {
  return Math.min(DURATION_CAPS[cls], s.maxRuntime ?? Number.POSITIVE_INFINITY);
}

/**
 * Users overestimate: estimate = duration × a factor log-uniform in [1, 5] (most
 * estimates are loose, a few close), capped at the class's limit, which is what
 * many users simply ask for.
 */
function estimate(duration: number, cap: number, rng: Rng): number {
  const factor = Math.exp(rng.next() * Math.log(5));
  return Math.min(cap, Math.max(duration, Math.round(duration * factor)));
}

/**
 * One type (weighted by how many devices the fleet has of each) or, with chance
 * `multi`, all of them with a Gavel-style speeds table: each type's catalogue speed
 * times a per-job factor in [0.8, 1.2] (models gain unevenly from newer chips). The
 * reference type (speed 1.0, the H100) stays 1.0 by definition.
 */
function chooseTypes(
  types: readonly string[],
  multi: number,
  ctx: DrawContext,
  rng: Rng,
): { deviceTypes: string[]; speeds?: Record<string, number> } {
  if (types.length > 1 && rng.next() < multi) {
    const speeds: Record<string, number> = {};
    for (const t of types) {
      const base = ctx.types.get(t)?.speed ?? 1;
      const factor = 0.8 + 0.4 * rng.next();
      speeds[t] = base === 1 ? 1 : Math.round(base * factor * 100) / 100;
    }
    return { deviceTypes: [...types], speeds };
  }
  const total = types.reduce((a, t) => a + (ctx.deviceCount.get(t) ?? 0), 0);
  const one = pick(
    types.map(
      (t) => [t, total > 0 ? (ctx.deviceCount.get(t) ?? 0) / total : 1 / types.length] as const,
    ),
    rng,
  );
  return { deviceTypes: [one] };
}

/** The smallest node over the accepted types, so a member fits on any of them. */
function smallestOf(
  types: readonly string[],
  ctx: DrawContext,
): { devices: number; cpuMilli: number; memoryMiB: number } {
  let out = { devices: Infinity, cpuMilli: Infinity, memoryMiB: Infinity };
  for (const t of types) {
    const s = ctx.smallest.get(t);
    if (s === undefined) continue;
    out = {
      devices: Math.min(out.devices, s.devices),
      cpuMilli: Math.min(out.cpuMilli, s.cpuMilli),
      memoryMiB: Math.min(out.memoryMiB, s.memoryMiB),
    };
  }
  return out;
}

/**
 * A member of `devices` devices (each `milli` thousandths) asking for `fraction` of
 * the CPU and memory that comes with that share of the smallest node.
 */
function share(
  small: { devices: number; cpuMilli: number; memoryMiB: number },
  devices: number,
  milli: number,
  fraction: number,
): MemberShape {
  const part = ((devices * milli) / 1000 / small.devices) * fraction;
  return {
    devices,
    deviceMilli: milli,
    cpuMilli: Math.max(1000, Math.floor(small.cpuMilli * part)),
    memoryMiB: Math.max(1024, Math.floor(small.memoryMiB * part)),
  };
}
