/**
 * fast-check arbitraries for the multi-tenant core: small random fleets (1-3 sites with
 * residency labels › racks › domains of 1-4 nodes › 1-8 devices of 1-3 types), tenancies
 * (2-4 tenants, nested queues, guarantees per type summing to at most the fleet's
 * capacity), workload mixes (every class, gangs, elastic minimums, fractional shares,
 * residencies including unsatisfiable ones, priorities, preemptible flags, topology
 * preferences) and disruptions (maintenance, failures, reservations, tranches).
 * Sizes stay small so a property run of dozens of simulations takes seconds.
 */
import fc from "fast-check";
import type { Fleet, FleetNode } from "../../src/core/model/fleet.ts";
import { SCHEDULER_POLICIES } from "../../src/core/schedule/policies.ts";
import type { QueueSpec, QuotaSpec, TenancySpec } from "../../src/core/tenancy/spec.ts";
import { WORKLOAD_CLASSES, type Workload } from "../../src/core/workload/index.ts";
import type { WorkloadSimInput } from "../../src/sim/workloads/world.ts";
import { node, site, topoFleet, workload } from "./workloads.ts";

export const POLICY_NAMES = Object.keys(SCHEDULER_POLICIES) as (keyof typeof SCHEDULER_POLICIES)[];

/** Device types the fleets draw from, fastest first. */
export const TYPE_POOL = [
  { id: "h100", speed: 1 },
  { id: "a100", speed: 0.6 },
  { id: "atom", speed: 0.4 },
] as const;

/** Residency labels of sites s0, s1, s2: "kr" spans two sites, "jp" one. */
const SITE_LABELS = [["kr", "kr-seoul"], ["kr", "kr-gwangju"], ["jp"]] as const;

/** A label no site carries: a workload naming it can never run. */
export const NOWHERE = "mars";

const nodeArb = fc.record({
  type: fc.nat(2),
  devices: fc.integer({ min: 1, max: 8 }),
  cpu: fc.constantFrom(16, 64, 96),
});

/** Sites › racks › domains › nodes, as nested arrays. */
const shapeArb = fc.record({
  types: fc.integer({ min: 1, max: 3 }),
  sites: fc.array(
    fc.array(fc.array(fc.array(nodeArb, { minLength: 1, maxLength: 4 }), { maxLength: 2 }), {
      minLength: 1,
      maxLength: 2,
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

export const fleetArb: fc.Arbitrary<Fleet> = shapeArb.map(({ types, sites }) => {
  let k = 0;
  const used = new Set<string>();
  const built = sites.map((racks, s) =>
    site(
      `s${s}`,
      SITE_LABELS[s],
      // A rack with no domains drawn gets one single-node domain.
      racks.map((domains) =>
        (domains.length > 0 ? domains : [[{ type: 0, devices: 1, cpu: 64 }]]).map((nodes) =>
          nodes.map((n): FleetNode => {
            const type = TYPE_POOL[n.type % types].id;
            used.add(type);
            return node(`n${k++}`, type, n.devices, n.cpu, 256);
          }),
        ),
      ),
    ),
  );
  const speeds = Object.fromEntries(
    TYPE_POOL.filter((t) => used.has(t.id)).map((t) => [t.id, t.speed]),
  );
  return topoFleet(speeds, built);
});

/** Devices per type id in the fleet. */
export function capacityOf(fleet: Fleet): Map<string, number> {
  const cap = new Map<string, number>(fleet.deviceTypes.map((t) => [t.id, 0]));
  for (const s of fleet.sites)
    for (const r of s.racks)
      for (const d of r.domains)
        for (const n of d.nodes)
          if (n.deviceType !== null)
            cap.set(n.deviceType, (cap.get(n.deviceType) ?? 0) + n.devices);
  return cap;
}

export function nodeIdsOf(fleet: Fleet): string[] {
  return fleet.sites
    .flatMap((s) => s.racks.flatMap((r) => r.domains.flatMap((d) => d.nodes)))
    .map((n) => n.id);
}

/** Domain ids as the cluster state spells them: site/rack/domain. */
export function domainIdsOf(fleet: Fleet): string[] {
  return fleet.sites.flatMap((s) =>
    s.racks.flatMap((r) => r.domains.map((d) => `${s.id}/${r.id}/${d.id}`)),
  );
}

/** Leaf queue paths of a tenancy. */
export function leavesOf(tenancy: TenancySpec): string[] {
  const paths = tenancy.queues.map((q) => q.path);
  return paths.filter((p) => !paths.some((o) => o.startsWith(`${p}/`)));
}

const tenantArb = fc.record({
  leaves: fc.integer({ min: 1, max: 2 }),
  weight: fc.integer({ min: 1, max: 3 }),
  /** Per type in TYPE_POOL order: a share weight and optional limits (devices). */
  quota: fc.array(
    fc.record({
      share: fc.nat(4),
      borrow: fc.option(fc.nat(12), { nil: undefined }),
      lend: fc.option(fc.nat(12), { nil: undefined }),
    }),
    { minLength: 3, maxLength: 3 },
  ),
  /** Split the tenant's guarantee between its leaves (else leaves have none of their own). */
  split: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
});

/**
 * A tenancy over `fleet`: tenants t0..t3, each with leaves tK/q0 (and tK/q1). Per type,
 * tenant guarantees are floor(capacity × share / (Σ shares + slack)), so they sum to at
 * most the capacity.
 */
export function tenancyArb(fleet: Fleet): fc.Arbitrary<TenancySpec> {
  const cap = capacityOf(fleet);
  return fc
    .record({
      tenants: fc.array(tenantArb, { minLength: 2, maxLength: 4 }),
      slack: fc.nat(4),
      grace: fc.constantFrom(0, 0, 30, 300),
    })
    .map(({ tenants, slack, grace }) => {
      const queues: QueueSpec[] = [];
      const types = fleet.deviceTypes.map((t) => t.id);
      const total = types.map((_, t) => slack + tenants.reduce((s, x) => s + x.quota[t].share, 0));
      tenants.forEach((x, i) => {
        const quota: Record<string, QuotaSpec> = {};
        const guarantee: number[] = [];
        types.forEach((id, t) => {
          const q = x.quota[t];
          const g = total[t] === 0 ? 0 : Math.floor(((cap.get(id) ?? 0) * q.share) / total[t]);
          guarantee.push(g);
          quota[id] = {
            guaranteed: g,
            ...(q.borrow !== undefined && { borrowLimit: q.borrow }),
            ...(q.lend !== undefined && { lendLimit: q.lend }),
          };
        });
        queues.push({ path: `t${i}`, weight: x.weight, quota });
        for (let j = 0; j < x.leaves; j++) {
          const leaf: QueueSpec = { path: `t${i}/q${j}` };
          if (x.split) {
            // q0 gets half (rounded down), q1 the rest: never more than the tenant's.
            const own = Object.fromEntries(
              types.map((id, t) => {
                const half = Math.floor(guarantee[t] / 2);
                const g = x.leaves === 1 ? guarantee[t] : j === 0 ? half : guarantee[t] - half;
                return [id, { guaranteed: g }];
              }),
            );
            queues.push({ ...leaf, quota: own });
          } else {
            queues.push(leaf);
          }
        }
      });
      return { queues, reclaimGrace: grace };
    });
}

const shapeOfMember = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 8 }).map((g) => ({ gpus: g, share: 0 })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 19 }).map((k) => ({ gpus: 1, share: k * 50 })),
  },
  { weight: 1, arbitrary: fc.constant({ gpus: 0, share: 0 }) },
);

/** Workloads w0, w1, … submitted to `leaves` of a fleet with `types`, `residencies` labels. */
export function workloadsArb(
  leaves: readonly string[],
  types: readonly string[],
  residencies: readonly string[],
  maxLength = 25,
): fc.Arbitrary<Workload[]> {
  const one = fc.record({
    queue: fc.constantFrom(...leaves),
    class: fc.constantFrom(...WORKLOAD_CLASSES),
    shape: shapeOfMember,
    members: fc.integer({ min: 1, max: 4 }),
    min: fc.integer({ min: 1, max: 4 }),
    types: fc.subarray([...types]),
    speeds: fc.option(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 3, maxLength: 3 }), {
      nil: undefined,
    }),
    residency: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constantFrom(...residencies) },
      { weight: 1, arbitrary: fc.constant(NOWHERE) },
    ),
    topology: fc.option(
      fc.record({
        level: fc.constantFrom("domain" as const, "rack" as const, "site" as const),
        required: fc.boolean(),
      }),
      { nil: undefined },
    ),
    priority: fc.nat(3),
    preemptible: fc.boolean(),
    at: fc.nat(1000),
    runs: fc.integer({ min: 10, max: 3000 }),
    estimate: fc.option(fc.integer({ min: 50, max: 200 }), { nil: undefined }),
    maxRuntime: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: undefined }),
    cpu: fc.integer({ min: 1, max: 16 }),
    mem: fc.integer({ min: 1, max: 64 }),
  });
  return fc.array(one, { minLength: 1, maxLength, size: "max" }).map((drawn) =>
    drawn.map((d, i) => {
      const b = workload(`w${i}`)
        .queue(d.queue)
        .class(d.class)
        .gang(d.members)
        .min(d.min)
        .priority(d.priority)
        .preemptible(d.preemptible)
        .at(d.at)
        .cpu(d.cpu)
        .mem(d.mem);
      if (d.shape.share > 0) b.share(d.shape.share);
      else b.gpus(d.shape.gpus);
      if (d.types.length > 0) b.types(...d.types);
      if (d.speeds) b.speeds(Object.fromEntries(types.map((t, k) => [t, d.speeds![k] / 10])));
      if (d.residency !== undefined) b.residency(d.residency);
      if (d.topology) b.topology(d.topology.level, d.topology.required);
      // Services never end; everything else runs `runs` seconds at speed 1.
      b.runs(d.class === "inference" ? Number.POSITIVE_INFINITY : d.runs);
      // The estimate is a percentage of the true duration (users misjudge both ways).
      if (d.estimate !== undefined && d.class !== "inference")
        b.estimate(Math.round((d.runs * d.estimate) / 100));
      if (d.maxRuntime !== undefined) b.maxRuntime(d.maxRuntime);
      return b.build();
    }),
  );
}

/** Maintenance windows, failures, reservations and late tranches over `fleet`. */
export function disruptionsArb(
  fleet: Fleet,
  tenancy: TenancySpec,
): fc.Arbitrary<Pick<WorkloadSimInput, "maintenance" | "failures" | "reservations" | "tranches">> {
  const nodes = nodeIdsOf(fleet);
  const domains = domainIdsOf(fleet);
  const paths = tenancy.queues.map((q) => q.path);
  return fc
    .record({
      maintenance: fc.array(
        fc.record({
          nodes: fc.subarray(nodes, { minLength: 1, maxLength: Math.min(3, nodes.length) }),
          drainStart: fc.nat(3000),
          notice: fc.nat(600),
          length: fc.integer({ min: 100, max: 2000 }),
        }),
        { maxLength: 2 },
      ),
      failures: fc.option(
        fc.record({
          mtbf: fc.integer({ min: 3000, max: 30000 }),
          repair: fc.integer({ min: 100, max: 1000 }),
        }),
        { nil: undefined },
      ),
      reservations: fc.array(
        fc.record({
          queue: fc.constantFrom(...paths),
          domain: fc.constantFrom(...domains),
          start: fc.nat(3000),
          length: fc.integer({ min: 100, max: 3000 }),
        }),
        { maxLength: 2 },
      ),
      tranche: fc.option(
        fc.record({
          nodes: fc.subarray(nodes, { minLength: 1, maxLength: Math.min(2, nodes.length) }),
          time: fc.nat(3000),
        }),
        { nil: undefined },
      ),
    })
    .map((d) => ({
      maintenance: d.maintenance.map((m, i) => ({
        id: `m${i}`,
        nodes: m.nodes,
        drainStart: m.drainStart,
        start: m.drainStart + m.notice,
        end: m.drainStart + m.notice + m.length,
      })),
      ...(d.failures && { failures: d.failures }),
      reservations: d.reservations.map((r, i) => ({
        id: `res${i}`,
        queue: r.queue,
        domain: r.domain,
        start: r.start,
        end: r.start + r.length,
      })),
      tranches: d.tranche ? [{ id: "late", time: d.tranche.time, nodes: d.tranche.nodes }] : [],
    }));
}

export interface ScenarioOptions {
  /** Draw maintenance, failures, reservations and tranches too. */
  readonly disruptions?: boolean;
  readonly maxWorkloads?: number;
  /** Restrict the policies drawn. */
  readonly policies?: readonly string[];
}

/** Seconds every property simulation stops at (services never end). */
export const HORIZON = 20_000;

/** A whole simulation input: fleet, tenancy, workloads, policy, seed (and disruptions). */
export function scenarioArb(o: ScenarioOptions = {}): fc.Arbitrary<WorkloadSimInput> {
  return fleetArb.chain((fleet) =>
    tenancyArb(fleet).chain((tenancy) => {
      const residencies = [...new Set(fleet.sites.flatMap((s) => [s.id, ...s.residency]))];
      const types = fleet.deviceTypes.map((t) => t.id);
      return fc
        .record({
          workloads: workloadsArb(leavesOf(tenancy), types, residencies, o.maxWorkloads),
          policy: fc.constantFrom(...(o.policies ?? POLICY_NAMES)),
          seed: fc.nat(1_000_000),
          disruptions: o.disruptions ? disruptionsArb(fleet, tenancy) : fc.constant({}),
        })
        .map(
          ({ workloads, policy, seed, disruptions }): WorkloadSimInput => ({
            fleet,
            tenancy,
            workloads,
            policy,
            seed,
            horizon: HORIZON,
            ...disruptions,
          }),
        );
    }),
  );
}
