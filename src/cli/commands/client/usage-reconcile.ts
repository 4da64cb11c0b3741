/**
 * `gongjang usage reconcile --from-slurm [--since DATE] [--tolerance S] [--apply]`:
 * POST /v1/usage/reconcile. The service compares its usage records with Slurm's
 * accounting (sacct) and, with --apply, moves mismatched runs to Slurm's times.
 * Admin only; the service must run the Slurm executor.
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { table, timestamp } from "../../client/format.ts";
import { jsonText } from "../../client/io.ts";
import { isoDate } from "./usage.ts";

interface Figures {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly devices: number;
  readonly deviceHours: number;
}

/** The answer of POST /v1/usage/reconcile (the fields printed here). */
export interface ReconcileReport {
  readonly since: string;
  readonly asOf: string;
  readonly toleranceSeconds: number;
  readonly applied: boolean;
  readonly corrected: number;
  readonly matched: number;
  readonly mismatched: readonly {
    readonly job: number;
    readonly attempt: number;
    readonly slurmJobId: string;
    readonly gongjang: Figures;
    readonly slurm: Figures;
    readonly deltaDeviceHours: number;
  }[];
  readonly onlyInGongjang: readonly ({
    readonly job: number;
    readonly attempt: number;
  } & Figures)[];
  readonly onlyInSlurm: readonly ({
    readonly job: number;
    readonly attempt: number;
    readonly slurmJobId: string;
  } & Figures)[];
  readonly skipped: { readonly open: number; readonly running: number };
  readonly totals: { readonly gongjangDeviceHours: number; readonly slurmDeviceHours: number };
}

interface ReconcileOptions {
  readonly fromSlurm?: boolean;
  readonly since?: string;
  readonly tolerance?: string;
  readonly apply?: boolean;
}

/** Adds `reconcile` under the `usage` command. */
export function registerUsageReconcile(usage: Command, env: ClientEnv): void {
  const cmd = usage
    .command("reconcile")
    .description("compare usage records with Slurm's accounting (sacct); admin only")
    .option("--from-slurm", "reconcile with the service's Slurm cluster (the only source)")
    .option("--since <date>", "runs that ended since then (default: 7 days ago)")
    .option("--tolerance <seconds>", "start/end differences that still match (default 5)")
    .option("--apply", "move mismatched usage records to Slurm's times (audited)");
  clientAction<ReconcileOptions, []>(cmd, env, async ({ api, io, opts }) => {
    if (opts.fromSlurm !== true)
      throw new GongjangError("GJ_ERR_ARGUMENT", "name the source: --from-slurm", {
        path: "--from-slurm",
      });
    const tolerance = opts.tolerance === undefined ? undefined : Number(opts.tolerance);
    if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 0))
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--tolerance: expected whole seconds, got "${opts.tolerance}"`,
        { path: "--tolerance" },
      );
    const report = await api.post<ReconcileReport>("/v1/usage/reconcile", {
      ...(opts.since !== undefined && { since: isoDate(opts.since, "--since") }),
      ...(tolerance !== undefined && { toleranceSeconds: tolerance }),
      ...(opts.apply === true && { apply: true }),
    });
    io.out(opts.json ? jsonText(report) : reconcileText(report));
  });
}

const signed = (h: number) => `${h > 0 ? "+" : ""}${h.toFixed(3)}`;
const span = (f: Figures) => `${timestamp(f.startedAt)} .. ${timestamp(f.endedAt)}`;

/** The report as a summary line and one table per kind of difference. */
export function reconcileText(r: ReconcileReport): string {
  const out = [
    `usage vs Slurm accounting, runs ended ${timestamp(r.since)} .. ${timestamp(r.asOf)} (tolerance ${r.toleranceSeconds}s)`,
    `matched ${r.matched}, mismatched ${r.mismatched.length}, only in gongjang ${r.onlyInGongjang.length}, only in Slurm ${r.onlyInSlurm.length}; not compared: ${r.skipped.open} open, ${r.skipped.running} running in Slurm`,
    `device-hours of runs on both sides: gongjang ${r.totals.gongjangDeviceHours.toFixed(3)}, Slurm ${r.totals.slurmDeviceHours.toFixed(3)}`,
  ].join("\n");
  const parts = [`${out}\n`];
  if (r.mismatched.length > 0)
    parts.push(
      `\nmismatched:\n${table(
        [
          { title: "JOB", cell: (m) => `${m.job}.${m.attempt}` },
          { title: "SLURM", cell: (m) => m.slurmJobId },
          { title: "GONGJANG", cell: (m) => `${span(m.gongjang)} ×${m.gongjang.devices}` },
          { title: "SLURM RUN", cell: (m) => `${span(m.slurm)} ×${m.slurm.devices}` },
          { title: "Δ DEVICE-HOURS", cell: (m) => signed(m.deltaDeviceHours), right: true },
        ],
        r.mismatched,
      )}`,
    );
  if (r.onlyInGongjang.length > 0)
    parts.push(
      `\nonly in gongjang: ${r.onlyInGongjang.map((x) => `${x.job}.${x.attempt}`).join(", ")}\n`,
    );
  if (r.onlyInSlurm.length > 0)
    parts.push(
      `\nonly in Slurm: ${r.onlyInSlurm.map((x) => `${x.job}.${x.attempt} (slurm ${x.slurmJobId})`).join(", ")}\n`,
    );
  if (r.applied) parts.push(`\napplied: ${r.corrected} usage record(s) moved to Slurm's times\n`);
  else if (r.mismatched.length > 0) parts.push("\n(dry run: --apply corrects the records)\n");
  return parts.join("");
}
