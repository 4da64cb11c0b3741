/**
 * GET /v1/jobs/:id/explain: why a job waits (or where it runs, or why it ended), one
 * line per constraint with numbers. Same visibility as GET /v1/jobs/:id. Reads the
 * loop's last snapshot when it is fresh, else builds one from the store.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { createSchedulerPolicy } from "../../core/schedule/policies.ts";
import type { SchedulerPolicy } from "../../core/schedule/types.ts";
import { ACTIVE_STATES, type Db, FINAL_STATES, JobState } from "../../store/jobs.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { CONSTRAINTS, explainJob } from "../explain/index.ts";
import { buildSnapshot, type Snapshot } from "../scheduler/snapshot.ts";
import { ErrorResponse, Id } from "../schemas.ts";
import { visibleJob } from "./jobs.ts";

/** The loop's last snapshot is used while younger than this (ms of ctx.clock). */
export const FRESH_MS = 5000;

export const ExplainView = Type.Object({
  jobId: Type.Integer(),
  queue: Type.String(),
  state: Type.String(),
  summary: Type.String(),
  asOf: Type.String({ format: "date-time", description: "When the snapshot was taken" }),
  lines: Type.Array(
    Type.Object({
      constraint: Type.Union(CONSTRAINTS.map((c) => Type.Literal(c))),
      blocking: Type.Boolean({ description: "Keeps the job off this line's device type now" }),
      deviceType: Type.Union([Type.String(), Type.Null()]),
      text: Type.String(),
      numbers: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]), {
        description: "Whole devices (not milli), counts and scope ids behind the text",
      }),
    }),
  ),
});

const policies = new WeakMap<ServiceContext, SchedulerPolicy>();

function policyOf(ctx: ServiceContext): SchedulerPolicy {
  let p = policies.get(ctx);
  if (p === undefined) {
    p = createSchedulerPolicy(ctx.policy, { deviceTypes: ctx.fleet.deviceTypes, memberJobs: [] });
    policies.set(ctx, p);
  }
  return p;
}

/**
 * True when the store's pending and active jobs are those of `snap`, in the same states
 * and attempts. A snapshot is taken before its cycle's decisions are applied, so the
 * jobs that cycle started make it stale; this catches them with one indexed read.
 */
async function sameJobs(db: Db, snap: Snapshot): Promise<boolean> {
  const rows = await db
    .selectFrom("jobs")
    .select(["id", "state", "attempt"])
    .where("state", "in", [JobState.Pending, ...ACTIVE_STATES])
    .execute();
  return (
    rows.length === snap.rows.size &&
    rows.every((r) => {
      const seen = snap.rows.get(String(r.id));
      return seen !== undefined && seen.state === r.state && seen.attempt === r.attempt;
    })
  );
}

/**
 * The loop's last snapshot while it is under FRESH_MS old and its jobs are still the
 * store's (node state changes within FRESH_MS go unseen), else a fresh one. A finished
 * job's explanation reads no snapshot data, so any last snapshot serves it.
 */
export async function currentSnapshot(ctx: ServiceContext, finished = false): Promise<Snapshot> {
  const now = ctx.clock();
  const last = ctx.loop.last;
  if (
    last !== undefined &&
    (finished || (now - last.now * 1000 < FRESH_MS && (await sameJobs(ctx.store.db, last))))
  )
    return last;
  return buildSnapshot(ctx.store.db, ctx.fleet, policyOf(ctx), now);
}

export function explainRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/jobs/:id/explain",
    {
      schema: {
        tags: ["jobs"],
        summary: "Why a job waits: one line per constraint, with numbers",
        params: Type.Object({ id: Id }),
        response: { 200: ExplainView, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const row = await visibleJob(ctx, principalOf(req), (req.params as { id: number }).id);
      const snap = await currentSnapshot(
        ctx,
        (FINAL_STATES as readonly string[]).includes(row.state),
      );
      return explainJob(snap, row.id, { row, policy: policyOf(ctx) });
    },
  );
}
