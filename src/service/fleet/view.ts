/**
 * The fleet as the API shows it: the static topology from ctx.fleet, each node's
 * operator state from the `nodes` table (no row = up), and what the jobs holding
 * devices (running or stopping) occupy, read from their stored placements. The store,
 * not the loop's last snapshot, is the source: it is current right after a change and
 * needs no tick to have run.
 */
import { type Static, Type } from "typebox";
import type { Fleet } from "../../core/model/fleet.ts";
import { fleetNodes } from "../../core/model/fleet.ts";
import { ACTIVE_STATES, type Db, placementOf } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";

export const NODE_STATES = ["up", "cordoned", "draining", "down"] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** One node's place in the fleet. `position` is its 1-based index in fleet order. */
export interface NodeInfo {
  readonly id: string;
  readonly position: number;
  readonly site: string;
  readonly rack: string;
  readonly domain: string;
  readonly deviceType: string | null;
  readonly devices: number;
}

export interface FleetIndex {
  readonly nodes: readonly NodeInfo[];
  readonly byId: ReadonlyMap<string, NodeInfo>;
}

const indexes = new WeakMap<Fleet, FleetIndex>();

/** The fleet's nodes in fleet order with their topology ids (built once per fleet). */
export function fleetIndex(fleet: Fleet): FleetIndex {
  let index = indexes.get(fleet);
  if (index === undefined) {
    const nodes: NodeInfo[] = [];
    for (const { node, site, rack, domain } of fleetNodes(fleet))
      nodes.push({
        id: node.id,
        position: nodes.length + 1,
        site: site.id,
        rack: rack.id,
        domain: domain.id,
        deviceType: node.deviceType,
        devices: node.devices,
      });
    index = { nodes, byId: new Map(nodes.map((n) => [n.id, n])) };
    indexes.set(fleet, index);
  }
  return index;
}

/** A node's operator state as stored. */
export interface NodeStatus {
  readonly state: NodeState;
  readonly reason: string | null;
  readonly updatedAt: number | null;
}

export const UP: NodeStatus = { state: "up", reason: null, updatedAt: null };

/** Stored states of every node that is not plainly up (or only of `id`). */
export async function nodeStatuses(db: Db, id?: string): Promise<Map<string, NodeStatus>> {
  let sel = db.selectFrom("nodes").selectAll();
  if (id !== undefined) sel = sel.where("id", "=", id);
  const rows = await sel.execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { state: r.state as NodeState, reason: r.reason, updatedAt: r.updated_at },
    ]),
  );
}

/** What one job holds on one node. */
export interface Holding {
  readonly jobId: number;
  readonly tenant: string;
  readonly devices: readonly number[];
  readonly deviceMilli: number;
}

/** Every device-holding job's members, by node id. */
export async function holdingsByNode(db: Db): Promise<Map<string, Holding[]>> {
  const rows = await db
    .selectFrom("jobs")
    .select(["id", "tenant", "placement"])
    .where("state", "in", ACTIVE_STATES)
    .orderBy("id")
    .execute();
  const out = new Map<string, Holding[]>();
  for (const row of rows)
    for (const m of placementOf(row)) {
      const list = out.get(m.node) ?? [];
      list.push({
        jobId: row.id,
        tenant: row.tenant,
        devices: m.devices,
        deviceMilli: m.deviceMilli,
      });
      out.set(m.node, list);
    }
  return out;
}

/** Per device, the share (milli) still free after `held`. */
export function freeMilli(devices: number, held: readonly Holding[] | undefined): number[] {
  const free = new Array<number>(devices).fill(1000);
  for (const h of held ?? [])
    for (const d of h.devices) if (d < devices) free[d] = Math.max(0, free[d] - h.deviceMilli);
  return free;
}

export const NodeView = Type.Object({
  id: Type.String(),
  site: Type.String(),
  rack: Type.String(),
  domain: Type.String(),
  deviceType: Type.Union([Type.String(), Type.Null()]),
  devices: Type.Integer(),
  state: Type.Union([
    Type.Literal("up"),
    Type.Literal("cordoned"),
    Type.Literal("draining"),
    Type.Literal("down"),
  ]),
  reason: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  free: Type.Array(Type.Number(), {
    description: "Per device, the free share: 1 idle, 0.75 with a quarter held, 0 full",
  }),
  freeDevices: Type.Number({ description: "Sum of free, in devices" }),
  jobs: Type.Array(Type.Integer(), {
    description: "Jobs holding devices here (a tenant's token sees only its own)",
  }),
});
export type NodeView = Static<typeof NodeView>;

/** The API view of a node; job ids of other tenants are left out for a scoped principal. */
export function nodeView(
  info: NodeInfo,
  status: NodeStatus,
  held: readonly Holding[] | undefined,
  p: Principal,
): NodeView {
  const free = freeMilli(info.devices, held);
  const jobs = new Set<number>();
  for (const h of held ?? []) if (p.tenant === null || h.tenant === p.tenant) jobs.add(h.jobId);
  return {
    id: info.id,
    site: info.site,
    rack: info.rack,
    domain: info.domain,
    deviceType: info.deviceType,
    devices: info.devices,
    state: status.state,
    reason: status.reason,
    updatedAt: status.updatedAt === null ? null : new Date(status.updatedAt).toISOString(),
    free: free.map((m) => m / 1000),
    freeDevices: free.reduce((s, m) => s + m, 0) / 1000,
    jobs: [...jobs],
  };
}
