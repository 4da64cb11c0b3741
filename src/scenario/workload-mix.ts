/**
 * A synthetic, seeded workload mix for a multi-tenant scenario. Each tenant (a leaf
 * queue) submits as a Poisson process, modulated by time of day, and each
 * submission's class is drawn from the tenant's class weights; what a workload looks
 * like comes from workload-classes.ts (public-trace fits).
 *
 * Determinism: every draw comes from the Rng passed in (no ambient randomness), tenants
 * draw from their own streams split off it in tenant order, and the output is
 * sorted by submit time then id, so equal options and seed give byte-identical JSON.
 */
import { GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { createRng, type Rng } from "../core/rng.ts";
import { WORKLOAD_CLASSES, type Workload, WorkloadClass } from "../core/workload/index.ts";
import {
  changesFor,
  coversQueue,
  type DemandChange,
  demandChangeIssues,
  demandMultiplier,
  maxDemandMultiplier,
} from "./demand-growth.ts";
import {
  deviceCapacity,
  isGpu,
  residencyNames,
  smallestNodes,
  typesAtResidency,
} from "./fleet-facts.ts";
import { openbSingleGpuShapes } from "./trace-fits.ts";
import {
  type ClassSettings,
  DEFAULT_CLASS_SETTINGS,
  type DrawContext,
  drawWorkload,
  type TypePool,
} from "./workload-classes.ts";
import { offeredLoad } from "./workload-stats.ts";
import type { PathIssue } from "./yaml-read.ts";

const DAY = 86400;

/** One tenant's part of the mix. */
export interface TenantMix {
  /** Leaf queue path its workloads go to, e.g. "hyundai/robotics/sim". */
  readonly queue: string;
  /** Its relative share of all submissions (by count). */
  readonly share: number;
  /** Relative weights of the classes it submits; a class left out is never submitted. */
  readonly mix: Readonly<Partial<Record<WorkloadClass, number>>>;
  /** A site id or residency label that `residencyShare` of its workloads must stay in. */
  readonly residency?: string;
  /** Fraction (0..1) of its workloads that carry `residency`; default 1. */
  readonly residencyShare?: number;
  /** Device types per class, replacing the defaults (GPUs; inference: NPUs or GPUs). */
  readonly deviceTypes?: Readonly<Partial<Record<WorkloadClass, readonly string[]>>>;
}

export interface WorkloadMixOptions {
  readonly fleet: Fleet;
  readonly tenants: readonly TenantMix[];
  /** Seconds over which submissions arrive. */
  readonly horizon: number;
  /**
   * Offered load: the work submitted over the horizon (device-seconds at speed 1.0;
   * services counted until the horizon on their types' speed) divided by the fleet's
   * devices × speed × horizon. The arrival rate is calibrated to it. Give this or `rate`.
   */
  readonly load?: number;
  /** Submissions per day, all tenants together. Give this or `load`. */
  readonly rate?: number;
  /** Multiplies the arrival rate (after calibration); default 1. */
  readonly scale?: number;
  /** Day/night swing of arrival rates, 0 (flat) to 1; default 0.3; peak at 14:00. */
  readonly diurnal?: number;
  /**
   * Demand changing over time (steps and compounding growth per tenant and class;
   * demand-growth.ts). `load` calibrates the rate without them: it is the load before
   * any change.
   */
  readonly growth?: readonly DemandChange[];
  /** Priority and run limit per class; defaults in DEFAULT_CLASS_SETTINGS. */
  readonly settings?: Readonly<Partial<Record<WorkloadClass, ClassSettings>>>;
}

/** Letters in workload ids: `hyundai-llm-b-000123` is hyundai/llm's 124th batch job. */
export const CLASS_LETTER: Readonly<Record<WorkloadClass, string>> = {
  batch: "b",
  inference: "i",
  simulation: "s",
  interactive: "n",
};

/** Arrivals the load calibration draws; enough that the heavy run-time tail averages out. */
const CALIBRATION_ARRIVALS = 40_000;
const CALIBRATION_SEED = 0x5eed;

/**
 * Generates the workloads of `options` with `rng` (createRng(seed)). Sorted by
 * submitTime, then id. Throws GJ_ERR_WORKLOAD_INVALID listing every problem of
 * {@link mixIssues}.
 */
export function generateWorkloads(options: WorkloadMixOptions, rng: Rng): Workload[] {
  const issues = mixIssues(options);
  if (issues.length > 0)
    throw new GongjangError(
      "GJ_ERR_WORKLOAD_INVALID",
      `${issues.length} ${issues.length === 1 ? "error" : "errors"} in workload mix`,
      {},
      issues.map((i) => `${i.path}: ${i.message}`),
    );
  return generate(options, arrivalRate(options), rng);
}

/**
 * Submissions per day the mix runs at: `rate`, or the rate that offers `load`
 * (measured on a fixed calibration draw, so it does not depend on the seed), times `scale`.
 */
export function arrivalRate(options: WorkloadMixOptions): number {
  const scale = options.scale ?? 1;
  if (options.rate !== undefined) return options.rate * scale;
  const probe = (CALIBRATION_ARRIVALS * DAY) / options.horizon;
  const sample = generate({ ...options, growth: [] }, probe, createRng(CALIBRATION_SEED));
  const measured = offeredLoad(sample, options.fleet, options.horizon);
  return measured > 0 ? ((probe * (options.load ?? 0)) / measured) * scale : 0;
}

function generate(options: WorkloadMixOptions, perDay: number, rng: Rng): Workload[] {
  const { fleet, horizon } = options;
  const ctx: DrawContext = {
    types: new Map(fleet.deviceTypes.map((t) => [t.id, t])),
    deviceCount: deviceCapacity(fleet),
    smallest: smallestNodes(fleet),
    settings: { ...DEFAULT_CLASS_SETTINGS, ...options.settings },
    shapes: openbSingleGpuShapes(),
  };
  const amplitude = options.diurnal ?? 0.3;
  const totalShare = options.tenants.reduce((a, t) => a + t.share, 0);
  const out: Workload[] = [];
  for (const tenant of options.tenants) {
    const own = createRng(rng.int(0x1_0000_0000)); // one stream per tenant
    const classes = classTable(tenant);
    const poolCache = new Map<string, TypePool[]>();
    const pools = (cls: WorkloadClass, residency: string | undefined): TypePool[] => {
      const key = `${cls}@${residency ?? ""}`;
      let p = poolCache.get(key);
      if (p === undefined) {
        p = typePools(fleet, cls, tenant.deviceTypes?.[cls], residency);
        poolCache.set(key, p);
      }
      return p;
    };
    const slug = tenant.queue.replaceAll("/", "-");
    const seq = new Map<string, number>();
    const growth = (options.growth ?? []).filter((c) => coversQueue(c, tenant.queue));
    // Per class, the changes that apply and a bound of their multiplier (1, 1: no change).
    const perClass = classes.map(([c]) => changesFor(growth, tenant.queue, c));
    const bound = Math.max(0, ...perClass.map((g) => maxDemandMultiplier(g, horizon)));
    const peak = ((perDay * tenant.share) / totalShare / DAY) * (1 + amplitude) * bound;
    if (!(peak > 0)) continue;
    for (
      let t = -Math.log(1 - own.next()) / peak;
      t < horizon;
      t += -Math.log(1 - own.next()) / peak
    ) {
      // Thinning: keep an arrival with the day curve's rate (times the demand
      // multiplier) over its peak. Without changes this draws exactly as before.
      const curve = 1 + amplitude * Math.sin(2 * Math.PI * (t / DAY - 1 / 3));
      let table = classes;
      let kept = curve;
      if (growth.length > 0) {
        table = classes.map(([c, p], k) => [c, p * demandMultiplier(perClass[k], t)]);
        kept = curve * table.reduce((a, [, w]) => a + w, 0);
        table = normalised(table);
      }
      if (own.next() * (1 + amplitude) * bound >= kept) continue;
      const cls = pickClass(table, own);
      const share = tenant.residencyShare ?? 1;
      const residency =
        tenant.residency !== undefined && own.next() < share ? tenant.residency : undefined;
      const drawn = drawWorkload(cls, pools(cls, residency), ctx, own);
      const key = `${slug}-${CLASS_LETTER[cls]}`;
      const n = seq.get(key) ?? 0;
      seq.set(key, n + 1);
      out.push({
        id: `${key}-${String(n).padStart(6, "0")}`,
        queue: tenant.queue,
        submitTime: Math.floor(t),
        ...drawn,
        ...(residency !== undefined && { residency }),
      });
    }
  }
  return out.sort((a, b) =>
    a.submitTime !== b.submitTime
      ? a.submitTime - b.submitTime
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0,
  );
}

function classTable(tenant: TenantMix): [WorkloadClass, number][] {
  const entries = WORKLOAD_CLASSES.map((c) => [c, tenant.mix[c] ?? 0] as [WorkloadClass, number]);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  return entries.filter(([, w]) => w > 0).map(([c, w]) => [c, w / total]);
}

/** The weights scaled to sum to 1 (unchanged when they sum to 0). */
function normalised(table: readonly [WorkloadClass, number][]): [WorkloadClass, number][] {
  const total = table.reduce((a, [, w]) => a + w, 0);
  return total > 0 ? table.map(([c, w]) => [c, w / total]) : [...table];
}

function pickClass(table: readonly [WorkloadClass, number][], rng: Rng): WorkloadClass {
  let u = rng.next();
  for (const [c, p] of table) {
    if (u < p) return c;
    u -= p;
  }
  return table[table.length - 1][0];
}

/**
 * The device-type pools a class draws from: the tenant's list when given, else GPUs
 * for batch, simulation and interactive, and for inference NPUs (weight 0.7) or GPUs
 * (0.3). Types without devices, or outside `residency`, are dropped, then empty pools.
 */
export function typePools(
  fleet: Fleet,
  cls: WorkloadClass,
  override: readonly string[] | undefined,
  residency: string | undefined,
): TypePool[] {
  const capacity = deviceCapacity(fleet);
  const allowed = residency === undefined ? undefined : typesAtResidency(fleet, residency);
  const gpus = fleet.deviceTypes.filter(isGpu).map((t) => t.id);
  const npus = fleet.deviceTypes.filter((t) => !isGpu(t)).map((t) => t.id);
  const raw: TypePool[] =
    override !== undefined
      ? [{ types: override, weight: 1 }]
      : cls === WorkloadClass.Inference
        ? [
            { types: npus, weight: 0.7 },
            { types: gpus, weight: 0.3 },
          ]
        : [{ types: gpus, weight: 1 }];
  return raw
    .map((p) => ({
      weight: p.weight,
      types: p.types.filter((t) => (capacity.get(t) ?? 0) > 0 && (allowed?.has(t) ?? true)),
    }))
    .filter((p) => p.types.length > 0);
}

/**
 * Every problem with `options`, by path inside them (`tenants[2].residency`):
 * rate/load, horizon, shares and weights, unknown classes, device types or
 * residencies, duplicate queues, and classes left with no device type to run on.
 */
export function mixIssues(options: WorkloadMixOptions): PathIssue[] {
  const issues: PathIssue[] = [];
  const bad = (path: string, message: string) =>
    issues.push({ code: "GJ_ERR_WORKLOAD_INVALID", path, message });
  const { fleet } = options;
  if ((options.rate === undefined) === (options.load === undefined))
    bad("rate", "give exactly one of rate (submissions per day) and load (offered load)");
  if (options.rate !== undefined && !(options.rate >= 0))
    bad("rate", `expected a number >= 0, got ${options.rate}`);
  if (options.load !== undefined && !(options.load >= 0))
    bad("load", `expected a number >= 0, got ${options.load}`);
  if (!(options.horizon > 0)) bad("horizon", `expected seconds > 0, got ${options.horizon}`);
  if (options.scale !== undefined && !(options.scale >= 0))
    bad("scale", `expected a number >= 0, got ${options.scale}`);
  const d = options.diurnal;
  if (d !== undefined && !(d >= 0 && d <= 1))
    bad("diurnal", `expected a number from 0 to 1, got ${d}`);
  if (options.tenants.length === 0) bad("tenants", "expected at least one tenant");
  for (const i of demandChangeIssues(
    options.growth ?? [],
    options.tenants.map((t) => t.queue),
  ))
    issues.push({ ...i, path: `growth${i.path}` });
  const places = residencyNames(fleet);
  const types = fleet.deviceTypes.map((t) => t.id);
  const seen = new Map<string, number>();
  options.tenants.forEach((t, i) => {
    const at = `tenants[${i}]`;
    const first = seen.get(t.queue);
    if (first !== undefined)
      bad(`${at}.queue`, `queue "${t.queue}" already has a mix at tenants[${first}]`);
    else seen.set(t.queue, i);
    if (!(t.share > 0)) bad(`${at}.share`, `expected a number > 0, got ${t.share}`);
    const weights = Object.entries(t.mix);
    for (const [c, w] of weights) {
      if (!(WORKLOAD_CLASSES as readonly string[]).includes(c))
        bad(`${at}.mix.${c}`, `unknown workload class (classes: ${WORKLOAD_CLASSES.join(", ")})`);
      else if (!(w !== undefined && w >= 0))
        bad(`${at}.mix.${c}`, `expected a number >= 0, got ${w}`);
    }
    if (!weights.some(([, w]) => (w ?? 0) > 0))
      bad(`${at}.mix`, "expected at least one class with weight > 0");
    if (t.residency !== undefined && !places.includes(t.residency))
      bad(
        `${at}.residency`,
        `unknown residency "${t.residency}"; fleet ${fleet.name} has sites and labels ${places.join(", ")}`,
      );
    const rs = t.residencyShare;
    if (rs !== undefined && !(rs >= 0 && rs <= 1))
      bad(`${at}.residencyShare`, `expected a number from 0 to 1, got ${rs}`);
    for (const [c, list] of Object.entries(t.deviceTypes ?? {}))
      (list ?? []).forEach((type, j) => {
        if (!types.includes(type))
          bad(
            `${at}.deviceTypes.${c}[${j}]`,
            `unknown device type "${type}"; fleet ${fleet.name} has ${types.join(", ")}`,
          );
      });
    if (issues.length > 0) return;
    for (const [c, w] of weights) {
      const cls = c as WorkloadClass;
      if (!(w !== undefined && w > 0)) continue;
      const override = t.deviceTypes?.[cls];
      if (typePools(fleet, cls, override, undefined).length === 0)
        bad(`${at}.mix.${c}`, `no device type of fleet ${fleet.name} can run ${c} workloads`);
      else if (
        t.residency !== undefined &&
        typePools(fleet, cls, override, t.residency).length === 0
      )
        bad(`${at}.residency`, `no ${c} device type at "${t.residency}"`);
    }
  });
  return issues;
}
