/**
 * POST /v1/usage/reconcile's operation: reads sacct through the service's Slurm
 * executor, compares it with the store's usage records (./reconcile.ts) and, when
 * asked, moves the mismatched records to Slurm's times, one audit entry per record,
 * in one transaction.
 */
import { GongjangError } from "../../core/errors.ts";
import { writeAudit } from "../../store/audit.ts";
import type { Db } from "../../store/jobs.ts";
import { SlurmExecutor } from "../executors/slurm/executor.ts";
import type { Executor } from "../executors/types.ts";
import { type Comparison, compareUsage, type UsageRecord } from "./reconcile.ts";

export interface ReconcileOptions {
  /** Epoch ms: runs that ended at or after this (and Slurm jobs running since). */
  readonly since: number;
  readonly now: number;
  readonly apply: boolean;
  readonly toleranceS: number;
  /** Who applies (the audit actor). */
  readonly actor: string;
}

export type ReconcileReport = Omit<Comparison, "corrections"> & {
  readonly since: string;
  readonly asOf: string;
  readonly deployment: string;
  readonly toleranceSeconds: number;
  readonly applied: boolean;
  /** Usage records moved to Slurm's times (0 unless applied). */
  readonly corrected: number;
};

/**
 * Store rows ending up to this long before `since` are read too: a run gongjang closed
 * a poll late may belong to a Slurm job that ended just before the window.
 */
const MARGIN_MS = 3_600_000;

/** The executor, if it is a Slurm executor that knows its deployment; else a coded 409. */
function slurmOf(executor: Executor | undefined): SlurmExecutor & { deployment: string } {
  if (!(executor instanceof SlurmExecutor))
    throw new GongjangError(
      "GJ_ERR_EXECUTOR_UNSUPPORTED",
      `usage reconciliation reads Slurm's accounting (sacct); this service runs the ${executor?.name ?? "sim"} executor`,
    );
  if (executor.deployment === undefined)
    throw new GongjangError(
      "GJ_ERR_EXECUTOR_UNSUPPORTED",
      "the Slurm executor has no deployment id yet",
    );
  return executor as SlurmExecutor & { deployment: string };
}

/**
 * Reconciles the store's usage with Slurm's accounting for the window [since, now].
 * GJ_ERR_EXECUTOR_UNSUPPORTED without a Slurm executor; GJ_ERR_SLURM_COMMAND when
 * sacct fails (accounting disabled, slurmdbd down).
 */
export async function reconcileWithSlurm(
  db: Db,
  executor: Executor | undefined,
  o: ReconcileOptions,
): Promise<ReconcileReport> {
  const slurm = slurmOf(executor);
  const jobs = await slurm.cli.accounting({ since: o.since, until: o.now });
  const rows = (
    await db
      .selectFrom("usage")
      .select(["id", "job_id", "attempt", "tenant", "device_milli", "started_at", "ended_at"])
      .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">=", o.since - MARGIN_MS)]))
      .orderBy("id")
      .execute()
  ).map(
    (r): UsageRecord => ({
      ...r,
      id: Number(r.id),
      started_at: Number(r.started_at),
      ended_at: r.ended_at === null ? null : Number(r.ended_at),
    }),
  );
  const { corrections, ...cmp } = compareUsage(rows, jobs, {
    deployment: slurm.deployment,
    toleranceS: o.toleranceS,
    sinceMs: o.since,
  });
  if (o.apply && corrections.length > 0)
    await db.transaction().execute(async (tx) => {
      for (const c of corrections) {
        await tx
          .updateTable("usage")
          .set({ started_at: c.startedAt, ended_at: c.endedAt })
          .where("id", "=", c.usageId)
          .execute();
        const m = c.mismatch;
        await writeAudit(tx, o.now, {
          actor: o.actor,
          tenant: m.tenant,
          action: "usage.reconcile",
          target: `usage/${m.job}.${m.attempt}`,
          before: { startedAt: m.gongjang.startedAt, endedAt: m.gongjang.endedAt },
          after: {
            startedAt: m.slurm.startedAt,
            endedAt: m.slurm.endedAt,
            slurmJobId: m.slurmJobId,
            deltaDeviceHours: m.deltaDeviceHours,
          },
        });
      }
    });
  return {
    since: new Date(o.since).toISOString(),
    asOf: new Date(o.now).toISOString(),
    deployment: slurm.deployment,
    toleranceSeconds: o.toleranceS,
    applied: o.apply,
    corrected: o.apply ? corrections.length : 0,
    ...cmp,
  };
}
