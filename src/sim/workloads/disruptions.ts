/**
 * Capacity over time for a multi-tenant run: delivery tranches, retirements,
 * maintenance windows, random node failures (seeded exponential MTBF) and advance
 * reservations, checked against the fleet and compiled into timed node events plus
 * reservation holds.
 *
 * A node lives from its delivery (0 without a tranche) until its retirement (never
 * without one). Maintenance and failure events outside that life are dropped, so a
 * repair or a maintenance end never brings a node in early or back after it retired.
 * Failures are still drawn for every node, so the draws do not depend on the tranches.
 */
import { GongjangError } from "../../core/errors.ts";
import type { ClusterState } from "../../core/model/cluster.ts";
import { setSchedulable } from "../../core/model/ledger.ts";
import type { Hold } from "../../core/plugins/hold/index.ts";
import type { Rng } from "../../core/rng.ts";
import type {
  FailureModel,
  MaintenanceWindow,
  ReservationSpec,
  Retirement,
  Tranche,
} from "../../scenario/types.ts";

export const NodeEventKind = {
  /** A delivery or a repair: the node takes work. */
  Join: 0,
  /** Drain: no new work; running work stays. */
  Cordon: 1,
  /** Maintenance begins: running work is preempted (progress kept). */
  Evict: 2,
  /** Failure: cordoned, running work killed (progress lost). */
  Fail: 3,
} as const;
export type NodeEventKind = (typeof NodeEventKind)[keyof typeof NodeEventKind];

export interface NodeEvent {
  readonly time: number;
  readonly node: number;
  readonly kind: NodeEventKind;
}

export interface CompiledDisruptions {
  /** Sorted by time, then input order. */
  readonly events: readonly NodeEvent[];
  /** Nodes absent at the start (delivered later). */
  readonly absent: readonly number[];
  readonly holds: readonly Hold[];
  /** Nodes of each hold. */
  readonly holdNodes: readonly (readonly number[])[];
}

export interface Disruptions {
  readonly tranches?: readonly Tranche[];
  readonly maintenance?: readonly MaintenanceWindow[];
  readonly retirements?: readonly Retirement[];
  readonly failures?: FailureModel;
  readonly reservations?: readonly ReservationSpec[];
}

/** Compiles disruptions up to `horizon`. Unknown nodes, domains or types throw GJ_ERR_ARGUMENT. */
export function compileDisruptions(
  state: ClusterState,
  d: Disruptions,
  horizon: number,
  rng: Rng,
): CompiledDisruptions {
  const index = new Map(state.nodeIds.map((id, i) => [id, i]));
  const nodeOf = (id: string, where: string): number => {
    const n = index.get(id);
    if (n === undefined)
      throw new GongjangError("GJ_ERR_ARGUMENT", `unknown node "${id}"`, { path: where });
    return n;
  };
  const events: NodeEvent[] = [];
  const absent: number[] = [];
  const arrives = new Float64Array(state.nodeCount);
  const retires = new Float64Array(state.nodeCount).fill(Number.POSITIVE_INFINITY);
  /** Delivery and retirement events, which define a node's life and are always kept. */
  const life: NodeEvent[] = [];
  (d.tranches ?? []).forEach((tr, i) => {
    tr.nodes.forEach((id, k) => {
      const n = nodeOf(id, `tranches[${i}].nodes[${k}]`);
      absent.push(n);
      arrives[n] = tr.time;
      life.push({ time: tr.time, node: n, kind: NodeEventKind.Join });
    });
  });
  (d.retirements ?? []).forEach((r, i) => {
    r.nodes.forEach((id, k) => {
      const n = nodeOf(id, `retirements[${i}].nodes[${k}]`);
      if (r.time >= retires[n]) return;
      retires[n] = r.time;
    });
  });
  for (let n = 0; n < state.nodeCount; n++) {
    const end = retires[n];
    if (!Number.isFinite(end)) continue;
    // Retired before it arrived: it never comes.
    if (end <= arrives[n]) {
      if (!absent.includes(n)) absent.push(n);
      continue;
    }
    const drain = Math.min(end, drainOf(d.retirements ?? [], state.nodeIds[n], end));
    life.push({ time: Math.max(drain, arrives[n]), node: n, kind: NodeEventKind.Cordon });
    life.push({ time: end, node: n, kind: NodeEventKind.Evict });
  }
  (d.maintenance ?? []).forEach((m, i) => {
    m.nodes.forEach((id, k) => {
      const n = nodeOf(id, `maintenance[${i}].nodes[${k}]`);
      events.push({ time: m.drainStart, node: n, kind: NodeEventKind.Cordon });
      events.push({ time: m.start, node: n, kind: NodeEventKind.Evict });
      events.push({ time: m.end, node: n, kind: NodeEventKind.Join });
    });
  });
  if (d.failures && Number.isFinite(horizon)) {
    const { mtbf, repair } = d.failures;
    for (let n = 0; n < state.nodeCount; n++) {
      for (let t = exponential(rng, mtbf); t < horizon; t += repair + exponential(rng, mtbf)) {
        events.push({ time: t, node: n, kind: NodeEventKind.Fail });
        events.push({ time: t + repair, node: n, kind: NodeEventKind.Join });
      }
    }
  }
  const holds: Hold[] = [];
  const holdNodes: number[][] = [];
  (d.reservations ?? []).forEach((r, i) => {
    holds.push({ id: r.id, queue: r.queue, start: r.start, end: r.end });
    holdNodes.push(reservedNodes(state, r, `reservations[${i}]`));
  });
  const alive = (e: NodeEvent) => e.time >= arrives[e.node] && e.time < retires[e.node];
  const kept = [
    ...life.filter((e) => e.kind === NodeEventKind.Join && e.time < retires[e.node]),
    ...events.filter(alive),
    ...life.filter((e) => e.kind !== NodeEventKind.Join),
  ];
  // Stable: equal times keep push order (tranches, maintenance, failures, retirements).
  kept.sort((a, b) => a.time - b.time);
  return { events: kept, absent, holds, holdNodes };
}

/** The earliest drain start of the retirements of `id` that retire it at `time`. */
function drainOf(retirements: readonly Retirement[], id: string, time: number): number {
  let drain = time;
  for (const r of retirements)
    if (r.time === time && r.nodes.includes(id)) drain = Math.min(drain, r.drainStart);
  return drain;
}

function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** A whole domain, or the first nodes (fleet order) of a type until enough devices. */
function reservedNodes(state: ClusterState, r: ReservationSpec, where: string): number[] {
  const nodes: number[] = [];
  if (r.domain !== undefined) {
    const d = state.domainIds.indexOf(r.domain);
    if (d < 0)
      throw new GongjangError("GJ_ERR_ARGUMENT", `unknown domain "${r.domain}"`, {
        path: `${where}.domain`,
      });
    for (let n = 0; n < state.nodeCount; n++) if (state.nodeDomain[n] === d) nodes.push(n);
    return nodes;
  }
  const t = state.deviceTypes.findIndex((x) => x.id === r.deviceType);
  if (t < 0)
    throw new GongjangError("GJ_ERR_ARGUMENT", `unknown device type "${r.deviceType}"`, {
      path: `${where}.deviceType`,
    });
  let left = r.devices ?? 0;
  for (let n = 0; n < state.nodeCount && left > 0; n++) {
    if (state.nodeType[n] !== t) continue;
    nodes.push(n);
    left -= state.devOffset[n + 1] - state.devOffset[n];
  }
  if (left > 0)
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `asks for ${r.devices} ${r.deviceType} devices; the fleet has fewer`,
      { path: `${where}.devices` },
    );
  return nodes;
}

/**
 * Applies a node event to the node's schedulability and says what becomes of the work
 * on it: kept (a delivery, a repair or a cordon), evicted (maintenance) or failed.
 */
export function applyNodeEvent(state: ClusterState, e: NodeEvent): "keep" | "evict" | "fail" {
  switch (e.kind) {
    case NodeEventKind.Join:
      setSchedulable(state, e.node, true);
      return "keep";
    case NodeEventKind.Cordon:
      setSchedulable(state, e.node, false);
      return "keep";
    case NodeEventKind.Evict:
      setSchedulable(state, e.node, false);
      return "evict";
    case NodeEventKind.Fail:
      setSchedulable(state, e.node, false);
      return "fail";
    default: {
      const never: never = e.kind;
      throw new Error(`unknown node event ${never}`);
    }
  }
}
