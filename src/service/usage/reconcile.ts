/**
 * Usage reconciliation with Slurm's accounting (`sacct`): the store's usage records
 * (one per run: job, attempt, start, end, devices) against the Slurm jobs of this
 * deployment (matched by `--comment=gongjang <deployment> <job>.<attempt>`).
 *
 * Slurm is the source of truth for when a job really ran: gongjang opens a run when it
 * submits (the job may wait in Slurm's queue) and closes it when a poll sees the end.
 * Within `toleranceS` the two agree; beyond it the run is a mismatch, and applying the
 * report moves the record's start and end to Slurm's (devices are reported, never
 * rewritten: gongjang's count includes fractional shares Slurm does not know).
 *
 * Only ended runs are compared: a run still open in gongjang, or a Slurm job not yet
 * ended (22.05 stores its comment only at the end), is counted as skipped.
 */
import type { SacctJob } from "../executors/slurm/sacct.ts";
import { keyOfComment } from "../executors/slurm/script.ts";

/** A usage record as reconciliation reads it (times epoch ms; ended_at null: open). */
export interface UsageRecord {
  readonly id: number;
  readonly job_id: number;
  readonly attempt: number;
  readonly tenant: string;
  readonly device_milli: number;
  readonly started_at: number;
  readonly ended_at: number | null;
}

/** One side's figures for a run. */
export interface RunFigures {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly devices: number;
  readonly deviceHours: number;
}

export interface Mismatch {
  readonly job: number;
  readonly attempt: number;
  readonly tenant: string;
  readonly slurmJobId: string;
  readonly slurmState: string;
  readonly gongjang: RunFigures;
  readonly slurm: RunFigures;
  /** slurm − gongjang device-hours. */
  readonly deltaDeviceHours: number;
  /** Seconds Slurm's start / end are later than gongjang's. */
  readonly deltaStartSeconds: number;
  readonly deltaEndSeconds: number;
}

export interface OnlyInGongjang extends RunFigures {
  readonly job: number;
  readonly attempt: number;
  readonly tenant: string;
}

export interface OnlyInSlurm extends RunFigures {
  readonly job: number;
  readonly attempt: number;
  readonly slurmJobId: string;
  readonly slurmState: string;
}

export interface Comparison {
  readonly matched: number;
  readonly mismatched: readonly Mismatch[];
  readonly onlyInGongjang: readonly OnlyInGongjang[];
  readonly onlyInSlurm: readonly OnlyInSlurm[];
  /** Runs not compared: open in gongjang / not ended in Slurm. */
  readonly skipped: { readonly open: number; readonly running: number };
  /** Device-hours of the runs found on both sides (matched and mismatched). */
  readonly totals: { readonly gongjangDeviceHours: number; readonly slurmDeviceHours: number };
  /** What applying changes: usage record id → Slurm's start and end (epoch ms). */
  readonly corrections: readonly Correction[];
}

export interface Correction {
  readonly usageId: number;
  readonly mismatch: Mismatch;
  readonly startedAt: number;
  readonly endedAt: number;
}

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const round = (x: number) => Math.round(x * 1e6) / 1e6;

function figures(startMs: number, endMs: number, devices: number): RunFigures {
  return {
    startedAt: iso(startMs),
    endedAt: iso(endMs),
    devices,
    deviceHours: round((devices * (endMs - startMs)) / HOUR_MS),
  };
}

/** A Slurm job's run in ms; one cancelled while pending ran for no time at its end. */
function slurmSpan(j: SacctJob): { start: number; end: number } | null {
  if (j.end === null) return null;
  const end = j.end * 1000;
  return { start: j.start === null ? end : j.start * 1000, end };
}

/**
 * Compares `rows` with `jobs` (sacct's for the window from `sinceMs`; other
 * deployments' are ignored). A row with no Slurm job that ended before `sinceMs` is
 * outside the window and ignored. When several Slurm jobs carry one key (job ids
 * reused after a reset), the latest counts.
 */
export function compareUsage(
  rows: readonly UsageRecord[],
  jobs: readonly SacctJob[],
  o: { readonly deployment: string; readonly toleranceS: number; readonly sinceMs: number },
): Comparison {
  const { deployment, toleranceS } = o;
  const slurm = new Map<string, SacctJob>();
  for (const j of jobs) {
    const key = keyOfComment(j.comment, deployment);
    if (key === null) continue;
    const seen = slurm.get(key);
    if (seen === undefined || (j.start ?? 0) >= (seen.start ?? 0)) slurm.set(key, j);
  }
  const mismatched: Mismatch[] = [];
  const onlyInGongjang: OnlyInGongjang[] = [];
  const corrections: Correction[] = [];
  const seenKeys = new Set<string>();
  let matched = 0;
  let open = 0;
  let running = 0;
  let gHours = 0;
  let sHours = 0;
  for (const r of rows) {
    const key = `${r.job_id}.${r.attempt}`;
    seenKeys.add(key);
    const j = slurm.get(key);
    const span = j === undefined ? null : slurmSpan(j);
    if (r.ended_at === null) {
      open++;
      continue;
    }
    const g = figures(r.started_at, r.ended_at, r.device_milli / 1000);
    if (j === undefined) {
      if (r.ended_at < o.sinceMs) continue;
      onlyInGongjang.push({ job: r.job_id, attempt: r.attempt, tenant: r.tenant, ...g });
      continue;
    }
    if (span === null) {
      running++;
      continue;
    }
    const s = figures(span.start, span.end, j.gpus);
    gHours += g.deviceHours;
    sHours += s.deviceHours;
    const dStart = (span.start - r.started_at) / 1000;
    const dEnd = (span.end - r.ended_at) / 1000;
    const timesOff = Math.abs(dStart) > toleranceS || Math.abs(dEnd) > toleranceS;
    // A job cancelled while pending has no allocation (0 GPUs) and ran for no time:
    // its device count is no difference.
    const devicesOff = span.end > span.start && g.devices !== s.devices;
    if (!timesOff && !devicesOff) {
      matched++;
      continue;
    }
    const m: Mismatch = {
      job: r.job_id,
      attempt: r.attempt,
      tenant: r.tenant,
      slurmJobId: j.id,
      slurmState: j.state,
      gongjang: g,
      slurm: s,
      deltaDeviceHours: round(s.deviceHours - g.deviceHours),
      deltaStartSeconds: dStart,
      deltaEndSeconds: dEnd,
    };
    mismatched.push(m);
    if (timesOff)
      corrections.push({ usageId: r.id, mismatch: m, startedAt: span.start, endedAt: span.end });
  }
  const onlyInSlurm: OnlyInSlurm[] = [];
  for (const [key, j] of slurm) {
    if (seenKeys.has(key)) continue;
    const span = slurmSpan(j);
    if (span === null) {
      running++;
      continue;
    }
    const [job, attempt] = key.split(".").map(Number);
    onlyInSlurm.push({
      job,
      attempt,
      slurmJobId: j.id,
      slurmState: j.state,
      ...figures(span.start, span.end, j.gpus),
    });
  }
  return {
    matched,
    mismatched,
    onlyInGongjang,
    onlyInSlurm,
    skipped: { open, running },
    totals: { gongjangDeviceHours: round(gHours), slurmDeviceHours: round(sHours) },
    corrections,
  };
}
