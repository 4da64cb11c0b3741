/**
 * Creating, changing and deleting queues. A change is checked by compiling the whole
 * resulting live tenancy (every queue, plus approved allocations in force) against
 * the fleet's device types, the same compile the scheduler runs each tick, so a quota
 * the scheduler would refuse never reaches the store. Each change writes its audit
 * record in the same transaction.
 */
import { GongjangError } from "../../core/errors.ts";
import type { QueueSpec, QuotaSpec } from "../../core/tenancy/spec.ts";
import { compileTenancy } from "../../core/tenancy/tree.ts";
import { writeAudit } from "../../store/audit.ts";
import { ACTIVE_STATES, type Db, JobState } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import { tenancySettings } from "./live.ts";

export interface QueueInput {
  readonly weight?: number;
  readonly quota?: Readonly<Record<string, QuotaSpec>>;
}

const HOLDING = [JobState.Pending, ...ACTIVE_STATES];

/** Creates or updates queue `path`; absent fields keep their values. True when created. */
export async function putQueue(
  ctx: ServiceContext,
  p: Principal,
  path: string,
  input: QueueInput,
): Promise<boolean> {
  const tenant = path.split("/")[0];
  const now = ctx.clock();
  try {
    return await editQueue(ctx, p, path, tenant, input, now);
  } finally {
    ctx.catalog.invalidate();
  }
}

async function editQueue(
  ctx: ServiceContext,
  p: Principal,
  path: string,
  tenant: string,
  input: QueueInput,
  now: number,
): Promise<boolean> {
  return ctx.store.db.transaction().execute(async (tx) => {
    const known = await tx
      .selectFrom("tenants")
      .select("id")
      .where("id", "=", tenant)
      .executeTakeFirst();
    if (known === undefined)
      throw new GongjangError(
        "GJ_ERR_NOT_FOUND",
        `no tenant "${tenant}"; create it first with POST /v1/tenants`,
        { path: "path" },
      );
    const rows = await tx.selectFrom("queues").selectAll().orderBy("path").execute();
    const existing = rows.find((r) => r.path === path);
    const before =
      existing === undefined
        ? null
        : {
            weight: existing.weight,
            quota: JSON.parse(existing.quota) as Record<string, QuotaSpec>,
          };
    const after = {
      weight: input.weight ?? before?.weight ?? 1,
      quota: input.quota ?? before?.quota ?? {},
    };
    if (existing === undefined) await refuseParentWithJobs(tx, path);
    const queues: QueueSpec[] = rows
      .filter((r) => r.path !== path)
      .map((r) => ({ path: r.path, weight: r.weight, quota: JSON.parse(r.quota) }));
    queues.push({ path, ...after });
    await checkTenancy(ctx, tx, queues, path, now);
    if (existing === undefined)
      await tx
        .insertInto("queues")
        .values({
          path,
          tenant,
          weight: after.weight,
          quota: JSON.stringify(after.quota),
          created_at: now,
        })
        .execute();
    else
      await tx
        .updateTable("queues")
        .set({ weight: after.weight, quota: JSON.stringify(after.quota) })
        .where("path", "=", path)
        .execute();
    await writeAudit(tx, now, {
      actor: p.name,
      tenant,
      action: existing === undefined ? "queue.create" : "queue.update",
      target: `queue/${path}`,
      before,
      after,
    });
    return existing === undefined;
  });
}

/** Deletes queue `path`; refuses one with child queues or with pending or running jobs. */
export async function deleteQueue(ctx: ServiceContext, p: Principal, path: string): Promise<void> {
  try {
    await removeQueue(ctx, p, path);
  } finally {
    ctx.catalog.invalidate();
  }
}

async function removeQueue(ctx: ServiceContext, p: Principal, path: string): Promise<void> {
  const now = ctx.clock();
  await ctx.store.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom("queues").selectAll().execute();
    const row = rows.find((r) => r.path === path);
    if (row === undefined)
      throw new GongjangError("GJ_ERR_NOT_FOUND", `no queue "${path}"`, { path: "path" });
    const children = rows.filter((r) => r.path.startsWith(`${path}/`)).map((r) => r.path);
    if (children.length > 0)
      throw new GongjangError(
        "GJ_ERR_CONFLICT",
        `queue "${path}" has child queues (${children.join(", ")}); delete them first`,
        { path: "path" },
      );
    const jobs = await tx
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("queue", "=", path)
      .where("state", "in", HOLDING)
      .executeTakeFirstOrThrow();
    if (Number(jobs.n) > 0)
      throw new GongjangError(
        "GJ_ERR_CONFLICT",
        `queue "${path}" has ${jobs.n} pending or running jobs; cancel them or let them finish`,
        { path: "path" },
      );
    await tx.deleteFrom("queues").where("path", "=", path).execute();
    await writeAudit(tx, now, {
      actor: p.name,
      tenant: row.tenant,
      action: "queue.delete",
      target: `queue/${path}`,
      before: { weight: row.weight, quota: JSON.parse(row.quota) },
      after: null,
    });
  });
}

/** A new queue under a leaf that holds jobs would strand them in a non-leaf queue. */
async function refuseParentWithJobs(db: Db, path: string): Promise<void> {
  const parts = path.split("/");
  const ancestors = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
  if (ancestors.length === 0) return;
  const row = await db
    .selectFrom("jobs")
    .select(["queue"])
    .where("queue", "in", ancestors)
    .where("state", "in", HOLDING)
    .limit(1)
    .executeTakeFirst();
  if (row !== undefined)
    throw new GongjangError(
      "GJ_ERR_CONFLICT",
      `queue "${row.queue}" has pending or running jobs, so it cannot get child queues`,
      { path: "path" },
    );
}

/**
 * Compiles the live tenancy made of `queues` plus the approved allocations in force;
 * a refusal is re-thrown against the request body, naming the queue when the quota
 * that broke is another one's (a parent whose children now exceed it).
 */
async function checkTenancy(
  ctx: ServiceContext,
  db: Db,
  queues: readonly QueueSpec[],
  path: string,
  now: number,
): Promise<void> {
  const grants = await db
    .selectFrom("allocations")
    .select(["queue", "device_type", "guaranteed"])
    .where("state", "=", "approved")
    .where("starts_at", "<=", now)
    .where("ends_at", ">", now)
    .where("guaranteed", ">", 0)
    .execute();
  const live = queues.map((q) => ({ ...q, quota: { ...q.quota } }));
  for (const g of grants) {
    let q = live.find((l) => l.path === g.queue);
    if (q === undefined) {
      q = { path: g.queue, weight: 1, quota: {} };
      live.push(q);
    }
    const cur = q.quota[g.device_type];
    q.quota[g.device_type] = { ...cur, guaranteed: (cur?.guaranteed ?? 0) + g.guaranteed };
  }
  try {
    compileTenancy({ ...(await tenancySettings(db)), queues: live }, ctx.fleet.deviceTypes);
  } catch (err) {
    if (!(err instanceof GongjangError) || err.code !== "GJ_ERR_TENANCY_INVALID") throw err;
    const m = /^queues\[(-?\d+)\]\.quota\.(.+)$/.exec(err.location.path ?? "");
    const other = m === null ? undefined : live[Number(m[1])]?.path;
    throw new GongjangError(
      "GJ_ERR_TENANCY_INVALID",
      other === undefined || other === path ? err.text : `queue "${other}": ${err.text}`,
      { path: m === null ? "body.quota" : `body.quota.${m[2]}` },
    );
  }
}
