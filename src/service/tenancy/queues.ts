/**
 * Queues as the API shows them: the live tenancy (queues table plus approved
 * allocations in force) compiled against the fleet's device types, charged with what
 * the jobs holding devices use, the way the scheduler's snapshot does. Read from the
 * store, so it is current without waiting for a tick.
 */
import { type Static, Type } from "typebox";
import { fairShareFactor } from "../../core/tenancy/fairshare.ts";
import type { QuotaSpec } from "../../core/tenancy/spec.ts";
import { borrowed, charge, compileTenancy, queueIndex } from "../../core/tenancy/tree.ts";
import { ACTIVE_STATES, JobState, jobsIn, placementOf } from "../../store/jobs.ts";
import type { ServiceContext } from "../context.ts";
import { decayedUsage } from "../scheduler/snapshot.ts";
import { liveTenancy } from "./live.ts";

const Limit = Type.Union([Type.Number(), Type.Null()], { description: "null: unlimited" });

export const QuotaInput = Type.Object(
  {
    guaranteed: Type.Number({ minimum: 0, maximum: 1e7 }),
    borrowLimit: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })),
    lendLimit: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })),
  },
  { additionalProperties: false },
);

export const QueueView = Type.Object({
  path: Type.String(),
  tenant: Type.String(),
  stored: Type.Boolean({ description: "False for a parent only implied by its children" }),
  leaf: Type.Boolean(),
  weight: Type.Number(),
  quota: Type.Record(Type.String(), QuotaInput, {
    description: "The quota as configured (PUT /v1/queues/:path sets it)",
  }),
  types: Type.Record(
    Type.String(),
    Type.Object({
      guaranteed: Type.Union([Type.Number(), Type.Null()], {
        description:
          "In force: configured or children's sum, plus approved allocations (null: no quotas)",
      }),
      borrowLimit: Limit,
      lendLimit: Limit,
      used: Type.Number(),
      borrowed: Type.Number(),
    }),
    { description: "Per device type of the fleet, in devices" },
  ),
  pending: Type.Integer({ description: "Pending jobs in this queue and below" }),
  running: Type.Integer({ description: "Jobs holding devices in this queue and below" }),
  oldestWaitSeconds: Type.Union([Type.Number(), Type.Null()]),
  fairShare: Type.Number({
    description:
      "Slurm's fair-share factor 2^(-U/S) from decayed usage, as the fairshare order reads it: 1 idle, 0.5 at its share",
  }),
});
export type QueueView = Static<typeof QueueView>;

const limit = (milli: number) => (Number.isFinite(milli) ? milli / 1000 : null);

/** Views of every queue of `tenant` (all queues when undefined), in path order. */
export async function queueViews(
  ctx: ServiceContext,
  tenant: string | undefined,
): Promise<QueueView[]> {
  const db = ctx.store.db;
  const now = ctx.clock();
  const tenancy = await liveTenancy(db, now);
  const stored = new Map(
    (await db.selectFrom("queues").selectAll().execute()).map((r) => [
      r.path,
      JSON.parse(r.quota) as Record<string, QuotaSpec>,
    ]),
  );
  const active = await jobsIn(db, ACTIVE_STATES);
  const waiting = await db
    .selectFrom("jobs")
    .select((eb) => ["queue", eb.fn.countAll().as("n"), eb.fn.min("submitted_at").as("oldest")])
    .where("state", "=", JobState.Pending)
    .groupBy("queue")
    .execute();
  const tree = compileTenancy(tenancy, ctx.fleet.deviceTypes, [
    ...active.map((j) => j.queue),
    ...waiting.map((w) => w.queue),
  ]);
  const usage = await decayedUsage(db, tree, ctx.emptyState, tenancy, now / 1000);
  const T = tree.typeIds.length;
  const runningBy = new Map<string, number>();
  for (const row of active) {
    runningBy.set(row.queue, (runningBy.get(row.queue) ?? 0) + 1);
    const q = queueIndex(tree, row.queue);
    const t = row.device_type === null ? -1 : tree.typeIds.indexOf(row.device_type);
    if (q < 0 || t < 0) continue;
    const milli = placementOf(row).reduce((s, m) => s + m.devices.length * m.deviceMilli, 0);
    charge(tree, q, t, milli);
  }
  const under = (path: string, q: string) => q === path || q.startsWith(`${path}/`);
  const out: QueueView[] = [];
  tree.paths.forEach((path, i) => {
    if (i === 0) return;
    const owner = path.split("/")[0];
    if (tenant !== undefined && owner !== tenant) return;
    let pending = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const w of waiting)
      if (under(path, w.queue)) {
        pending += Number(w.n);
        oldest = Math.min(oldest, Number(w.oldest));
      }
    let running = 0;
    for (const [q, n] of runningBy) if (under(path, q)) running += n;
    const types: QueueView["types"] = {};
    tree.typeIds.forEach((type, t) => {
      const k = i * T + t;
      types[type] = {
        guaranteed: limit(tree.guaranteed[k]),
        borrowLimit: limit(tree.borrowLimit[k]),
        lendLimit: limit(tree.lendLimit[k]),
        used: tree.usage[k] / 1000,
        borrowed: borrowed(tree, i, t) / 1000,
      };
    });
    out.push({
      path,
      tenant: owner,
      stored: stored.has(path),
      leaf: tree.children[i].length === 0,
      weight: tree.weight[i],
      quota: { ...(stored.get(path) ?? {}) },
      types,
      pending,
      running,
      oldestWaitSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : null,
      fairShare: fairShareFactor(tree, usage, i),
    });
  });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
