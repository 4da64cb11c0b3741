import { GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import type {
  PriorityClassSpec,
  QosSpec,
  QueueSpec,
  QuotaSpec,
  TenancySpec,
} from "../core/tenancy/spec.ts";
import { compileTenancy, type QueueTree } from "../core/tenancy/tree.ts";
import { type Field, readYamlFile, type YamlChecker } from "../fleet/yaml-check.ts";
import { deviceCapacity } from "./fleet-facts.ts";
import {
  boolean,
  fileError,
  formatDetails,
  type LineIndex,
  lineOf,
  numberRecord,
  openYaml,
  type PathIssue,
  record,
  seconds,
  unique,
} from "./yaml-read.ts";

/** One segment of a queue path: lower-case, digits, `_` and `-`; starts alphanumeric. */
export const QUEUE_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

/** Where a tenancy came from, so later checks can point at lines. */
export interface TenancySource {
  readonly file: string;
  readonly lines: LineIndex;
  /** JSON path of the tenancy inside its document ("" for a tenancy file, "tenancy" inline). */
  readonly prefix: string;
}

export interface LocatedTenancy {
  readonly spec: TenancySpec;
  readonly source: TenancySource;
}

/**
 * Parses a tenancy file's text (`file` names it in messages). Throws
 * GJ_ERR_TENANCY_INVALID listing every problem: wrong types, negative numbers,
 * malformed or duplicate queue paths, duplicate priority class or QoS names,
 * unknown keys, YAML syntax errors.
 */
export function parseTenancyYaml(text: string, file: string): TenancySpec {
  return parseTenancyDocument(text, file).spec;
}

/** As {@link parseTenancyYaml}, also returning the line index for later checks. */
export function parseTenancyDocument(text: string, file: string): LocatedTenancy {
  const { checker, lines, ok } = openYaml(text);
  const spec = ok ? readTenancy(checker, checker.root()) : { queues: [] };
  if (checker.issues.length > 0)
    throw fileError(
      "GJ_ERR_TENANCY_INVALID",
      file,
      "tenancy file",
      formatDetails(file, checker.issues),
    );
  return { spec, source: { file, lines, prefix: "" } };
}

/** Reads a tenancy file. GJ_ERR_FILE_NOT_FOUND when `path` is not a file; else as parseTenancyYaml. */
export function loadTenancyFile(path: string): TenancySpec {
  return loadTenancyDocument(path).spec;
}

/** As {@link loadTenancyFile}, also returning the line index. */
export function loadTenancyDocument(path: string): LocatedTenancy {
  return parseTenancyDocument(readYamlFile(path, "tenancy file"), path);
}

/**
 * Reads a tenancy mapping at `f` (a whole file, or `tenancy:` inside a scenario),
 * reporting problems to `c`. Returns what it could read; callers throw if `c` has issues.
 */
export function readTenancy(c: YamlChecker, f: Field): TenancySpec {
  const top = c.object(
    f,
    ["queues"],
    ["reclaimGrace", "halfLife", "chargeWeights", "priorityClasses", "qos"],
  );
  if (top === undefined) return { queues: [] };
  const reclaimGrace = seconds(c, top.get("reclaimGrace"), { min: 0 });
  const halfLife = seconds(c, top.get("halfLife"), { above: 0 });
  const chargeWeights = numberRecord(c, top.get("chargeWeights"));
  const queues = unique(c, c.array(top.get("queues")), "queue path", "path", (q) =>
    readQueue(c, q),
  );
  const priorityClasses = unique(
    c,
    c.array(top.get("priorityClasses")),
    "priority class",
    "name",
    (p) => readPriorityClass(c, p),
  );
  const qos = unique(c, c.array(top.get("qos")), "QoS", "name", (q) => readQos(c, q));
  return {
    queues,
    ...(top.has("priorityClasses") && { priorityClasses }),
    ...(top.has("qos") && { qos }),
    ...(reclaimGrace !== undefined && { reclaimGrace }),
    ...(halfLife !== undefined && { halfLife }),
    ...(chargeWeights !== undefined && { chargeWeights }),
  };
}

function readQueue(c: YamlChecker, f: Field): QueueSpec | undefined {
  const m = c.object(f, ["path"], ["weight", "quota"]);
  if (m === undefined) return undefined;
  const path = queuePath(c, m.get("path"));
  const weight = c.number(m.get("weight"), { above: 0 });
  const quotaFields = record(c, m.get("quota"));
  const quota: Record<string, QuotaSpec> = {};
  let quotaOk = true;
  for (const [type, q] of quotaFields ?? []) {
    const qm = c.object(q, ["guaranteed"], ["borrowLimit", "lendLimit"]);
    const guaranteed = c.number(qm?.get("guaranteed"), { min: 0 });
    const borrowLimit = c.number(qm?.get("borrowLimit"), { min: 0 });
    const lendLimit = c.number(qm?.get("lendLimit"), { min: 0 });
    const bad =
      qm === undefined ||
      guaranteed === undefined ||
      (qm.has("borrowLimit") && borrowLimit === undefined) ||
      (qm.has("lendLimit") && lendLimit === undefined);
    if (bad) quotaOk = false;
    else
      quota[type] = {
        guaranteed,
        ...(borrowLimit !== undefined && { borrowLimit }),
        ...(lendLimit !== undefined && { lendLimit }),
      };
  }
  if (path === undefined || (m.has("weight") && weight === undefined) || !quotaOk) return undefined;
  if (m.has("quota") && quotaFields === undefined) return undefined;
  return {
    path,
    ...(weight !== undefined && { weight }),
    ...(quotaFields !== undefined && { quota }),
  };
}

/** A slash-separated path of {@link QUEUE_SEGMENT}s, e.g. `hyundai/robotics/sim`. */
export function queuePath(c: YamlChecker, f: Field | undefined): string | undefined {
  const path = c.string(f);
  if (f === undefined || path === undefined) return undefined;
  const bad = path.split("/").find((s) => !QUEUE_SEGMENT.test(s));
  if (bad !== undefined) {
    const what = bad === "" ? "an empty segment" : `segment "${bad}"`;
    c.report(
      f.line,
      f.path,
      `invalid queue path "${path}": ${what} (segments: a-z, 0-9, "_", "-"; start a-z or 0-9)`,
    );
    return undefined;
  }
  return path;
}

function readPriorityClass(c: YamlChecker, f: Field): PriorityClassSpec | undefined {
  const m = c.object(f, ["name", "value", "preemptible"]);
  if (m === undefined) return undefined;
  const name = c.string(m.get("name"));
  const value = c.number(m.get("value"));
  const preemptible = boolean(c, m.get("preemptible"));
  if (name === undefined || value === undefined || preemptible === undefined) return undefined;
  return { name, value, preemptible };
}

function readQos(c: YamlChecker, f: Field): QosSpec | undefined {
  const m = c.object(f, ["name"], ["priority", "maxRuntime"]);
  if (m === undefined) return undefined;
  const name = c.string(m.get("name"));
  const priority = m.has("priority") ? c.number(m.get("priority")) : 0;
  const maxRuntime = seconds(c, m.get("maxRuntime"), { above: 0 });
  if (name === undefined || priority === undefined) return undefined;
  if (m.has("maxRuntime") && maxRuntime === undefined) return undefined;
  return { name, priority, ...(maxRuntime !== undefined && { maxRuntime }) };
}

/**
 * Problems between a tenancy and a fleet, by path inside the tenancy: quotas and
 * charge weights on device types the fleet lacks, children guaranteed more than
 * their parent (compileTenancy's check, which stops at the first), and top-level
 * guarantees above the fleet's devices of a type.
 */
export function tenancyFleetIssues(spec: TenancySpec, fleet: Fleet): PathIssue[] {
  const types = fleet.deviceTypes.map((t) => t.id);
  const known = (t: string) => types.includes(t);
  const issues: PathIssue[] = [];
  const unknownType = (path: string, type: string) =>
    issues.push({
      code: "GJ_ERR_TENANCY_INVALID",
      path,
      message: `unknown device type "${type}"; fleet ${fleet.name} has ${types.join(", ") || "none"}`,
    });
  spec.queues.forEach((q, i) => {
    for (const type of Object.keys(q.quota ?? {}))
      if (!known(type)) unknownType(`queues[${i}].quota.${type}`, type);
  });
  for (const type of Object.keys(spec.chargeWeights ?? {}))
    if (!known(type)) unknownType(`chargeWeights.${type}`, type);
  if (issues.length > 0) return issues;
  let tree: QueueTree;
  try {
    tree = compileTenancy(spec, fleet.deviceTypes);
  } catch (err) {
    if (!(err instanceof GongjangError)) throw err;
    issues.push({ code: err.code, path: err.location.path ?? "queues", message: stripCode(err) });
    return issues;
  }
  if (tree.open) return issues;
  // Top level (implied parents included): what is guaranteed must exist, counting
  // every tranche as delivered.
  const capacity = deviceCapacity(fleet);
  tree.typeIds.forEach((type, t) => {
    let sum = 0;
    for (const q of tree.children[0]) sum += tree.guaranteed[q * tree.typeIds.length + t] / 1000;
    const cap = capacity.get(type) ?? 0;
    if (sum > cap + 1e-9)
      issues.push({
        code: "GJ_ERR_TENANCY_INVALID",
        path: "queues",
        message: `top-level queues are guaranteed ${sum} ${type} in all, more than the fleet's ${cap}`,
      });
  });
  return issues;
}

/**
 * Checks a tenancy against a fleet and compiles it. Throws GJ_ERR_TENANCY_INVALID
 * listing every problem of {@link tenancyFleetIssues}, at the lines of `source` when
 * given. Returns the compiled queue tree.
 */
export function checkTenancyAgainstFleet(
  spec: TenancySpec,
  fleet: Fleet,
  source?: TenancySource,
): QueueTree {
  const issues = tenancyFleetIssues(spec, fleet);
  if (issues.length > 0) {
    const file = source?.file ?? "(tenancy)";
    const located = issues.map((i) => {
      const path = prefixed(source?.prefix ?? "", i.path);
      return { line: source ? lineOf(source.lines, path) : 1, path, message: i.message };
    });
    throw fileError(
      "GJ_ERR_TENANCY_INVALID",
      file,
      `tenancy for fleet ${fleet.name}`,
      formatDetails(file, located),
    );
  }
  return compileTenancy(spec, fleet.deviceTypes);
}

/** `prefix.path`, or `path` alone at the document root. */
export function prefixed(prefix: string, path: string): string {
  return prefix === "" ? path : `${prefix}.${path}`;
}

/** The message of a GongjangError without its "GJ_ERR_X: location: " head. */
function stripCode(err: GongjangError): string {
  const loc = err.location.path;
  const head = `${err.code}: ${loc !== undefined ? `${loc}: ` : ""}`;
  return err.message.startsWith(head) ? err.message.slice(head.length) : err.message;
}
