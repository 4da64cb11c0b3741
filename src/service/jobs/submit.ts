/**
 * Submitting a job: admission, then one transaction that stores it with its event and
 * audit record. With an Idempotency-Key, a repeat of the same body returns the job
 * stored the first time, and the same key with another body is a coded conflict; the
 * unique index on (tenant, key) settles races between concurrent repeats.
 */
import { createHash } from "node:crypto";
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import { addEvent, type JobRow, pendingJob } from "../../store/jobs.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import { checkPlaceable, resolveSpec } from "./admit.ts";
import type { JobSpec } from "./spec.ts";

export interface Submitted {
  readonly row: JobRow;
  /** False when an earlier submit with the same key is returned. */
  readonly created: boolean;
}

/** A hook that may refuse or alter admission (allocation budgets use it). */
export type AdmissionHook = (
  ctx: ServiceContext,
  p: Principal,
  spec: JobSpec & { preemptible: boolean },
) => Promise<{ preemptible?: boolean } | undefined>;

export const tenantOfQueue = (queue: string) => queue.split("/")[0];

function bodyHash(spec: JobSpec): string {
  return createHash("sha256").update(canonical(spec)).digest("hex");
}

/** JSON with sorted keys, so two bodies that differ only in key order hash alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

export async function submitJob(
  ctx: ServiceContext,
  p: Principal,
  spec: JobSpec,
  key: string | undefined,
  hooks: readonly AdmissionHook[] = [],
): Promise<Submitted> {
  const db = ctx.store.db;
  const tenant = tenantOfQueue(spec.queue);
  const hash = bodyHash(spec);
  if (key !== undefined) {
    const earlier = await byKey(ctx, tenant, key, hash);
    if (earlier !== undefined) return { row: earlier, created: false };
  }
  const now = ctx.clock();
  const catalog = await ctx.catalog.get(db);
  if (!catalog.paths.has(spec.queue) || catalog.parents.has(spec.queue))
    throw new GongjangError(
      "GJ_ERR_QUEUE_UNKNOWN",
      catalog.paths.has(spec.queue)
        ? `queue "${spec.queue}" has child queues; submit to a leaf`
        : `no queue "${spec.queue}"`,
      { path: "queue" },
    );
  let stored = resolveSpec(spec, catalog.settings);
  checkPlaceable(ctx.emptyState, stored);
  for (const hook of hooks) {
    const change = await hook(ctx, p, stored);
    if (change?.preemptible !== undefined) stored = { ...stored, preemptible: change.preemptible };
  }
  try {
    const row = await db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto("jobs")
        .values(
          pendingJob({
            tenant,
            queue: spec.queue,
            user: p.name,
            name: spec.name ?? "job",
            spec: JSON.stringify(stored),
            priority: stored.priority,
            submitted_at: now,
            reason: "submitted; waiting for the next scheduling cycle",
            idempotency_key: key ?? null,
            body_hash: hash,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      await addEvent(tx, inserted.id, now, "submitted", { user: p.name });
      await writeAudit(tx, now, {
        actor: p.name,
        tenant,
        action: "job.submit",
        target: `job/${inserted.id}`,
        after: { queue: spec.queue, name: inserted.name },
      });
      return inserted;
    });
    ctx.metrics.submitted.inc({ tenant });
    ctx.loop.kick();
    return { row, created: true };
  } catch (err) {
    // A concurrent submit with the same key won the unique index: answer as a repeat.
    if (key !== undefined) {
      const earlier = await byKey(ctx, tenant, key, hash);
      if (earlier !== undefined) return { row: earlier, created: false };
    }
    throw err;
  }
}

async function byKey(
  ctx: ServiceContext,
  tenant: string,
  key: string,
  hash: string,
): Promise<JobRow | undefined> {
  const row = await ctx.store.db
    .selectFrom("jobs")
    .selectAll()
    .where("tenant", "=", tenant)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  if (row !== undefined && row.body_hash !== hash)
    throw new GongjangError(
      "GJ_ERR_IDEMPOTENCY_CONFLICT",
      `Idempotency-Key "${key}" was used for job ${row.id} with a different body`,
      { path: "headers.idempotency-key" },
    );
  return row;
}
