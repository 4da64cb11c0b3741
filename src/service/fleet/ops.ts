/**
 * Operator actions on a node. The state lives in the `nodes` table (no row = up) and
 * the snapshot builder makes every node that is not up unschedulable.
 *
 *   up ─cordon─► cordoned ─drain─► draining ─uncordon─► up
 *    └──────────drain──────────────────┘ (any state may go to any other)
 *
 * cordon: no new work lands; running work stays. drain: cordon, and every job running
 * on the node is stopped and requeued (a gang with one member there is requeued
 * whole). Stops are recorded in the same transaction as the state change and its
 * audit record; the executor is told only after the commit.
 */
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import { type Db, JobState, jobsIn, placementOf, StopKind } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import { type Cancel, stopJob } from "../scheduler/transitions.ts";
import { fleetIndex, type NodeInfo, type NodeState, nodeStatuses, UP } from "./view.ts";

export const NodeAction = { Cordon: "cordon", Drain: "drain", Uncordon: "uncordon" } as const;
export type NodeAction = (typeof NodeAction)[keyof typeof NodeAction];

const TARGET: Record<NodeAction, NodeState> = {
  cordon: "cordoned",
  drain: "draining",
  uncordon: "up",
};

/** The fleet's node `id`, or a 404. */
export function knownNode(ctx: ServiceContext, id: string): NodeInfo {
  const info = fleetIndex(ctx.fleet).byId.get(id);
  if (info === undefined)
    throw new GongjangError("GJ_ERR_NOT_FOUND", `no node "${id}" in fleet ${ctx.fleet.name}`, {
      path: "id",
    });
  return info;
}

/**
 * Applies `action` to node `id` for `p` (the caller has authorized it). Returns the ids
 * of the jobs a drain requeued. Cancels are delivered and the loop kicked after commit.
 */
export async function changeNode(
  ctx: ServiceContext,
  p: Principal,
  id: string,
  action: NodeAction,
  reason: string | undefined,
): Promise<number[]> {
  knownNode(ctx, id);
  const now = ctx.clock();
  const next = TARGET[action];
  const { cancels, requeued } = await ctx.store.db.transaction().execute(async (tx) => {
    const before = (await nodeStatuses(tx, id)).get(id) ?? UP;
    await setNodeState(tx, id, next, reason ?? null, now);
    const cancels: Cancel[] = [];
    const requeued: number[] = [];
    if (action === NodeAction.Drain) {
      for (const row of await jobsIn(tx, [JobState.Running])) {
        if (!placementOf(row).some((m) => m.node === id)) continue;
        const c = await stopJob(tx, row, StopKind.Requeue, now, { by: p.name, drain: id });
        if (c === null) continue;
        cancels.push(c);
        requeued.push(row.id);
        await writeAudit(tx, now, {
          actor: p.name,
          tenant: row.tenant,
          action: "job.requeue",
          target: `job/${row.id}`,
          before: { state: row.state },
          after: { state: "stopping", stop: StopKind.Requeue, drain: id },
        });
      }
    }
    await writeAudit(tx, now, {
      actor: p.name,
      tenant: null,
      action: `node.${action}`,
      target: `node/${id}`,
      before: { state: before.state, reason: before.reason },
      after: {
        state: next,
        reason: next === "up" ? null : (reason ?? null),
        ...(action === NodeAction.Drain && { requeued }),
      },
    });
    return { cancels, requeued };
  });
  for (const c of cancels) await ctx.loop.cancel(c);
  ctx.loop.kick();
  return requeued;
}

/** Stores a node's state; up removes its row. */
async function setNodeState(
  db: Db,
  id: string,
  state: NodeState,
  reason: string | null,
  now: number,
): Promise<void> {
  if (state === "up") {
    await db.deleteFrom("nodes").where("id", "=", id).execute();
    return;
  }
  await db
    .insertInto("nodes")
    .values({ id, state, reason, updated_at: now })
    .onConflict((oc) => oc.column("id").doUpdateSet({ state, reason, updated_at: now }))
    .execute();
}

/**
 * Stores (inside the caller's transaction) what the agent hub saw of a node's health, with an audit record by the
 * system: `down` overrides any state (a cordoned node whose agent died is down), and
 * `up` only lifts `down` (a node an operator cordoned stays cordoned when its agent
 * returns). A change that changes nothing is not recorded.
 */
export async function recordNodeHealth(
  db: Db,
  e: { readonly node: string; readonly state: "down" | "up"; readonly reason: string },
  now: number,
): Promise<void> {
  const before = (await nodeStatuses(db, e.node)).get(e.node) ?? UP;
  if (e.state === "down" ? before.state === "down" : before.state !== "down") return;
  await setNodeState(db, e.node, e.state, e.state === "down" ? e.reason : null, now);
  await writeAudit(db, now, {
    actor: "system:agent-monitor",
    tenant: null,
    action: `node.${e.state}`,
    target: `node/${e.node}`,
    before: { state: before.state, reason: before.reason },
    after: { state: e.state, reason: e.reason },
  });
}
