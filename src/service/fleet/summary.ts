/**
 * GET /v1/fleet: the fleet's shape (sites with residency, racks, domains), totals per
 * device type with what is allocated and free, and node counts by state.
 */
import { type Static, Type } from "typebox";
import type { Fleet } from "../../core/model/fleet.ts";
import {
  fleetIndex,
  freeMilli,
  type Holding,
  NODE_STATES,
  type NodeState,
  type NodeStatus,
} from "./view.ts";

const Count = Type.Integer({ minimum: 0 });

export const FleetSummaryView = Type.Object({
  name: Type.String(),
  nodes: Type.Object({
    total: Count,
    up: Count,
    cordoned: Count,
    draining: Count,
    down: Count,
  }),
  sites: Type.Array(
    Type.Object({
      id: Type.String(),
      residency: Type.Array(Type.String()),
      nodes: Count,
      devices: Count,
      racks: Type.Array(
        Type.Object({
          id: Type.String(),
          domains: Type.Array(Type.Object({ id: Type.String(), nodes: Count })),
        }),
      ),
    }),
  ),
  deviceTypes: Type.Array(
    Type.Object({
      id: Type.String(),
      vendor: Type.String(),
      memoryGiB: Type.Number(),
      speed: Type.Number(),
      nodes: Count,
      total: Count,
      allocated: Type.Number({ description: "Devices held by running or stopping jobs" }),
      free: Type.Number({ description: "total − allocated" }),
      unschedulable: Type.Number({
        description: "Free devices on nodes that take no new work (cordoned, draining, down)",
      }),
    }),
  ),
});
export type FleetSummaryView = Static<typeof FleetSummaryView>;

/** Summarizes `fleet` given the non-up node states and the holdings by node. */
export function fleetSummary(
  fleet: Fleet,
  statuses: ReadonlyMap<string, NodeStatus>,
  holdings: ReadonlyMap<string, readonly Holding[]>,
): FleetSummaryView {
  const byState = Object.fromEntries(NODE_STATES.map((s) => [s, 0])) as Record<NodeState, number>;
  const types = new Map(
    fleet.deviceTypes.map((t) => [
      t.id,
      { ...t, nodes: 0, total: 0, allocatedMilli: 0, unschedulableMilli: 0 },
    ]),
  );
  const index = fleetIndex(fleet);
  for (const n of index.nodes) {
    const state = statuses.get(n.id)?.state ?? "up";
    byState[state]++;
    const t = n.deviceType === null ? undefined : types.get(n.deviceType);
    if (t === undefined) continue;
    const free = freeMilli(n.devices, holdings.get(n.id)).reduce((s, m) => s + m, 0);
    t.nodes++;
    t.total += n.devices;
    t.allocatedMilli += n.devices * 1000 - free;
    if (state !== "up") t.unschedulableMilli += free;
  }
  const perSite = new Map<string, { nodes: number; devices: number }>();
  for (const n of index.nodes) {
    const s = perSite.get(n.site) ?? { nodes: 0, devices: 0 };
    perSite.set(n.site, { nodes: s.nodes + 1, devices: s.devices + n.devices });
  }
  return {
    name: fleet.name,
    nodes: { total: index.nodes.length, ...byState },
    sites: fleet.sites.map((s) => ({
      id: s.id,
      residency: [...s.residency],
      nodes: perSite.get(s.id)?.nodes ?? 0,
      devices: perSite.get(s.id)?.devices ?? 0,
      racks: s.racks.map((r) => ({
        id: r.id,
        domains: r.domains.map((d) => ({ id: d.id, nodes: d.nodes.length })),
      })),
    })),
    deviceTypes: [...types.values()].map((t) => ({
      id: t.id,
      vendor: t.vendor,
      memoryGiB: t.memoryGiB,
      speed: t.speed,
      nodes: t.nodes,
      total: t.total,
      allocated: t.allocatedMilli / 1000,
      free: t.total - t.allocatedMilli / 1000,
      unschedulable: t.unschedulableMilli / 1000,
    })),
  };
}
