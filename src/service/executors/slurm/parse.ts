/**
 * Reads the JSON that Slurm's CLI prints (`squeue --json`, `sinfo --json`) into the few
 * fields the executor and fleet import need.
 *
 * Written against Slurm 22.05 (Debian bookworm, OpenAPI plugin v0.0.38) and tolerant of
 * the 23.02+ shapes where they differ: numbers may come wrapped as
 * `{set, infinite, number}`, `job_state` / node `state` may be arrays of flags, and
 * `exit_code` may be `{status, return_code, signal}` instead of a raw wait status.
 */
import { GongjangError } from "../../../core/errors.ts";

/** One Slurm job as `squeue --json --states=all` reports it. */
export interface SlurmJob {
  readonly id: string;
  readonly name: string;
  readonly comment: string;
  /** Base state, upper case: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, NODE_FAIL, … */
  readonly state: string;
  readonly reason: string;
  /** Compressed node list (`gj-n[1-2]`); empty while pending. */
  readonly nodes: string;
  /** Exit status of the batch script, or null when a signal ended it (or not ended yet). */
  readonly exitCode: number | null;
  readonly signal: number | null;
  /** Allocated GRES per node while running, e.g. `gpu:h100:4(IDX:0-3)`. */
  readonly gresDetail: readonly string[];
}

/** One GRES entry of a node: `gpu:h100:4(S:0-1)` → { name: gpu, type: h100, count: 4 }. */
export interface Gres {
  readonly name: string;
  readonly type: string | null;
  readonly count: number;
}

/** One node as `sinfo --json` reports it. */
export interface SlurmNode {
  readonly name: string;
  /** Base state, lower case: idle, mixed, allocated, down, drained, … */
  readonly state: string;
  /** Extra flags (DRAIN, NOT_RESPONDING, …), upper case. */
  readonly flags: readonly string[];
  readonly cpus: number;
  readonly realMemoryMiB: number;
  readonly gres: readonly Gres[];
  readonly features: readonly string[];
  readonly partitions: readonly string[];
  readonly reason: string;
}

function bad(source: string, message: string, path?: string): GongjangError {
  return new GongjangError("GJ_ERR_SLURM_OUTPUT", message, { file: source, path });
}

/**
 * The `key` array of a Slurm JSON document. GJ_ERR_SLURM_OUTPUT for text that is not
 * such a document, or one with errors other than the `benign` error numbers.
 */
export function parseDoc(
  text: string,
  source: string,
  key: string,
  benign: readonly number[] = [],
): Record<string, unknown>[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(source, `not JSON: ${(e as Error).message}`);
  }
  const list = (doc as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw bad(source, `no "${key}" array`, key);
  const all = (doc as Record<string, unknown>).errors;
  const errors = Array.isArray(all)
    ? all.filter((e) => !benign.includes((e as { error_number?: unknown })?.error_number as number))
    : [];
  if (errors.length > 0)
    throw bad(source, `Slurm reported errors: ${JSON.stringify(errors).slice(0, 200)}`, "errors");
  return list as Record<string, unknown>[];
}

/** A number that 22.05 prints bare and 23.02+ may wrap as {set, infinite, number}. */
export function slurmNumber(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (v !== null && typeof v === "object") {
    const o = v as { set?: boolean; infinite?: boolean; number?: unknown };
    if (o.set === false || o.infinite === true) return null;
    return typeof o.number === "number" ? o.number : null;
  }
  return null;
}

export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function baseState(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return str(v);
}

/**
 * Splits a job's exit code into exit status and signal. 22.05 prints the raw wait
 * status (768 = exit 3; 15 = killed by SIGTERM); 23.02+ prints an object.
 */
export function exitOf(v: unknown): { exitCode: number | null; signal: number | null } {
  if (typeof v === "number") {
    const signal = v & 0x7f;
    return signal === 0 ? { exitCode: (v >> 8) & 0xff, signal: null } : { exitCode: null, signal };
  }
  if (v !== null && typeof v === "object") {
    const o = v as { return_code?: unknown; signal?: { id?: unknown; signal_id?: unknown } };
    const signal = slurmNumber(o.signal?.id ?? o.signal?.signal_id);
    if (signal !== null && signal !== 0) return { exitCode: null, signal };
    return { exitCode: slurmNumber(o.return_code), signal: null };
  }
  return { exitCode: null, signal: null };
}

/** Parses `squeue --json` (22.05 ignores squeue's filters with --json: filter the result). */
export function parseSqueueJson(text: string): SlurmJob[] {
  const src = "squeue --json";
  return parseDoc(text, src, "jobs").map((j, i) => {
    const id = slurmNumber(j.job_id);
    if (id === null) throw bad(src, "job without a job_id", `jobs[${i}].job_id`);
    return {
      id: String(id),
      name: str(j.name),
      comment: str(j.comment),
      state: baseState(j.job_state).toUpperCase(),
      reason: str(j.state_reason),
      nodes: str(j.nodes),
      ...exitOf(j.exit_code),
      gresDetail: Array.isArray(j.gres_detail) ? j.gres_detail.map(str) : [],
    };
  });
}

/** Parses a GRES string: `gpu:h100:4(S:0-1),shard:8` → two entries. "(null)" → []. */
export function parseGres(text: string): Gres[] {
  const out: Gres[] = [];
  for (const raw of text.split(/,(?![^(]*\))/)) {
    const item = raw.replace(/\(.*\)$/, "").trim();
    if (item === "" || item === "(null)" || item === "N/A") continue;
    const parts = item.split(":");
    const last = parts.at(-1) ?? "";
    const hasCount = /^\d+[KMG]?$/.test(last);
    const count = hasCount ? Number.parseInt(last, 10) * multiplier(last) : 1;
    const name = parts[0];
    const typeParts = hasCount ? parts.slice(1, -1) : parts.slice(1);
    out.push({ name, type: typeParts.length > 0 ? typeParts.join(":") : null, count });
  }
  return out;
}

function multiplier(count: string): number {
  return count.endsWith("K")
    ? 1024
    : count.endsWith("M")
      ? 1024 ** 2
      : count.endsWith("G")
        ? 1024 ** 3
        : 1;
}

/** Parses `sinfo --json` (one entry per node; 22.05's scontrol has no --json). */
export function parseSinfoJson(text: string): SlurmNode[] {
  const src = "sinfo --json";
  return parseDoc(text, src, "nodes").map((n, i) => {
    const name = str(n.name);
    if (name === "") throw bad(src, "node without a name", `nodes[${i}].name`);
    const states = Array.isArray(n.state) ? n.state.map(str) : [str(n.state)];
    const flags = [
      ...states.slice(1),
      ...(Array.isArray(n.state_flags) ? n.state_flags.map(str) : []),
    ];
    const features = Array.isArray(n.features) ? n.features.map(str) : str(n.features).split(",");
    return {
      name,
      state: states[0].toLowerCase(),
      flags: flags.map((f) => f.toUpperCase()),
      cpus: slurmNumber(n.cpus) ?? 0,
      realMemoryMiB: slurmNumber(n.real_memory) ?? 0,
      gres: parseGres(str(n.gres)),
      features: features.filter((f) => f !== ""),
      partitions: Array.isArray(n.partitions) ? n.partitions.map(str) : [],
      reason: str(n.reason),
    };
  });
}
