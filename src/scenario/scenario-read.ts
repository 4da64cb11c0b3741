/**
 * The schema half of scenario files: walks the YAML with the YamlChecker and returns
 * what it could read, reporting type and shape problems at their lines. Checks that
 * need the fleet or tenancy are in scenario-check.ts; scenario-file.ts runs both.
 */
import { isScalar } from "yaml";
import type { TenancySpec } from "../core/tenancy/spec.ts";
import { WORKLOAD_CLASSES, type WorkloadClass } from "../core/workload/index.ts";
import type { Field, YamlChecker } from "../fleet/yaml-check.ts";
import type { ClassBinding, ClassBindings } from "./class-bindings.ts";
import type { DemandChange } from "./demand-growth.ts";
import { queuePath, readTenancy } from "./tenancy-file.ts";
import type {
  FailureModel,
  MaintenanceWindow,
  ReservationSpec,
  Retirement,
  Tranche,
} from "./types.ts";
import type { TenantMix } from "./workload-mix.ts";
import { seconds, strings } from "./yaml-read.ts";

/** A scenario file as read: references (fleet, tenancy file) not yet resolved. */
export interface ScenarioDraft {
  readonly name: string;
  readonly description: string;
  /** The `fleet:` value and its field, for messages. */
  readonly fleet?: { readonly spec: string; readonly field: Field };
  /** Inline tenancy, a path to a tenancy file, or absent (one open queue). */
  readonly tenancy:
    | { readonly inline: TenancySpec }
    | { readonly path: string; readonly field: Field }
    | undefined;
  readonly horizon?: number;
  readonly seed?: number;
  readonly tranches: readonly Tranche[];
  readonly maintenance: readonly MaintenanceWindow[];
  readonly retirements: readonly Retirement[];
  readonly failures?: FailureModel;
  readonly reservations: readonly ReservationSpec[];
  readonly tenants: readonly TenantMix[];
  readonly growth: readonly DemandChange[];
  readonly load?: number;
  readonly rate?: number;
  readonly diurnal?: number;
  readonly bindings: ClassBindings;
  /**
   * For each list (`tranches`, `maintenance`, `retirements`, `reservations`,
   * `workload.tenants`, `workload.growth`), the
   * index in the file of each entry read: entries that failed to read are left out,
   * and later checks must still name the file's index.
   */
  readonly indexes: ReadonlyMap<string, readonly number[]>;
}

const TOP_REQUIRED = ["name", "fleet", "horizon", "workload"] as const;
const TOP_OPTIONAL = [
  "description",
  "tenancy",
  "seed",
  "tranches",
  "maintenance",
  "retirements",
  "failures",
  "reservations",
] as const;

/** Reads the document at `root`; problems go to `c`. */
export function readScenario(c: YamlChecker, root: Field): ScenarioDraft {
  const top = c.object(root, TOP_REQUIRED, TOP_OPTIONAL) ?? new Map<string, Field>();
  const fleetField = top.get("fleet");
  const fleetSpec = c.string(fleetField);
  const tenancyField = top.get("tenancy");
  let tenancy: ScenarioDraft["tenancy"];
  if (tenancyField !== undefined) {
    const v = isScalar(tenancyField.node) ? tenancyField.node.value : undefined;
    if (typeof v === "string") tenancy = { path: c.string(tenancyField) ?? v, field: tenancyField };
    else tenancy = { inline: readTenancy(c, tenancyField) };
  }
  const indexes = new Map<string, number[]>();
  const track = (key: string): number[] => {
    const list: number[] = [];
    indexes.set(key, list);
    return list;
  };
  const workload = readWorkload(
    c,
    top.get("workload"),
    track("workload.tenants"),
    track("workload.growth"),
  );
  return {
    indexes,
    name: c.string(top.get("name")) ?? "",
    description: (top.has("description") ? c.string(top.get("description")) : "") ?? "",
    ...(fleetSpec !== undefined &&
      fleetField !== undefined && { fleet: { spec: fleetSpec, field: fleetField } }),
    tenancy,
    horizon: seconds(c, top.get("horizon"), { above: 0 }),
    seed: c.number(top.get("seed"), { integer: true, min: 0, max: 0xffff_ffff }),
    tranches: list(c, top.get("tranches"), "tranche", (f) => readTranche(c, f), track("tranches")),
    maintenance: list(
      c,
      top.get("maintenance"),
      "maintenance window",
      (f) => readMaintenance(c, f),
      track("maintenance"),
    ),
    retirements: list(
      c,
      top.get("retirements"),
      "retirement",
      (f) => readRetirement(c, f),
      track("retirements"),
    ),
    ...(top.has("failures") && { failures: readFailures(c, top.get("failures")!) }),
    reservations: list(
      c,
      top.get("reservations"),
      "reservation",
      (f) => readReservation(c, f),
      track("reservations"),
    ),
    ...workload,
  };
}

function readTranche(c: YamlChecker, f: Field): Tranche | undefined {
  const m = c.object(f, ["id", "time", "nodes"]);
  if (m === undefined) return undefined;
  const id = c.string(m.get("id"));
  const time = seconds(c, m.get("time"), { min: 0 });
  const nodes = nonEmpty(c, m.get("nodes"), "node");
  if (id === undefined || time === undefined || nodes === undefined) return undefined;
  return { id, time, nodes };
}

function readMaintenance(c: YamlChecker, f: Field): MaintenanceWindow | undefined {
  const m = c.object(f, ["id", "nodes", "start", "end"], ["drainStart"]);
  if (m === undefined) return undefined;
  const id = c.string(m.get("id"));
  const nodes = nonEmpty(c, m.get("nodes"), "node");
  const start = seconds(c, m.get("start"), { min: 0 });
  const end = seconds(c, m.get("end"), { min: 0 });
  const drainStart = m.has("drainStart") ? seconds(c, m.get("drainStart"), { min: 0 }) : start;
  if (
    id === undefined ||
    nodes === undefined ||
    start === undefined ||
    end === undefined ||
    drainStart === undefined
  )
    return undefined;
  return { id, nodes, drainStart, start, end };
}

function readRetirement(c: YamlChecker, f: Field): Retirement | undefined {
  const m = c.object(f, ["id", "time", "nodes"], ["drainStart"]);
  if (m === undefined) return undefined;
  const id = c.string(m.get("id"));
  const nodes = nonEmpty(c, m.get("nodes"), "node");
  const time = seconds(c, m.get("time"), { min: 0 });
  const drainStart = m.has("drainStart") ? seconds(c, m.get("drainStart"), { min: 0 }) : time;
  if (id === undefined || nodes === undefined || time === undefined || drainStart === undefined)
    return undefined;
  return { id, time, drainStart, nodes };
}

/**
 * One demand change (a `workload.growth` entry, or a plan's `scaleDemand`): keys
 * queue, class, from, factor, rate, per; problems go to `c`.
 */
export function readDemandChange(c: YamlChecker, f: Field): DemandChange | undefined {
  const m = c.object(f, [], ["queue", "class", "from", "factor", "rate", "per"]);
  if (m === undefined) return undefined;
  const queue = m.has("queue") ? queuePath(c, m.get("queue")) : undefined;
  const cls = c.string(m.get("class"));
  if (cls !== undefined && !(WORKLOAD_CLASSES as readonly string[]).includes(cls))
    c.report(
      m.get("class")!.line,
      m.get("class")!.path,
      `unknown workload class "${cls}" (classes: ${WORKLOAD_CLASSES.join(", ")})`,
    );
  const from = seconds(c, m.get("from"), { min: 0 });
  const factor = c.number(m.get("factor"), { min: 0 });
  const rate = c.number(m.get("rate"), { above: -1 });
  const per = seconds(c, m.get("per"), { above: 0 });
  if (!m.has("factor") && !m.has("rate"))
    c.report(f.line, f.path, "give factor (a step), rate (compounding growth) or both");
  const read = (key: string, v: unknown) => !m.has(key) || v !== undefined;
  const ok =
    read("queue", queue) &&
    read("from", from) &&
    read("factor", factor) &&
    read("rate", rate) &&
    read("per", per) &&
    (m.has("factor") || m.has("rate")) &&
    (cls === undefined || (WORKLOAD_CLASSES as readonly string[]).includes(cls));
  if (!ok) return undefined;
  return {
    ...(queue !== undefined && { queue }),
    ...(cls !== undefined && { class: cls as WorkloadClass }),
    ...(from !== undefined && { from }),
    ...(factor !== undefined && { factor }),
    ...(rate !== undefined && { rate }),
    ...(per !== undefined && { per }),
  };
}

function readFailures(c: YamlChecker, f: Field): FailureModel | undefined {
  const m = c.object(f, ["mtbf", "repair"]);
  const mtbf = seconds(c, m?.get("mtbf"), { above: 0 });
  const repair = seconds(c, m?.get("repair"), { min: 0 });
  return mtbf === undefined || repair === undefined ? undefined : { mtbf, repair };
}

function readReservation(c: YamlChecker, f: Field): ReservationSpec | undefined {
  const m = c.object(f, ["id", "queue", "start", "end"], ["domain", "deviceType", "devices"]);
  if (m === undefined) return undefined;
  const id = c.string(m.get("id"));
  const queue = queuePath(c, m.get("queue"));
  const start = seconds(c, m.get("start"), { min: 0 });
  const end = seconds(c, m.get("end"), { min: 0 });
  const domain = c.string(m.get("domain"));
  const deviceType = c.string(m.get("deviceType"));
  const devices = c.number(m.get("devices"), { integer: true, min: 1 });
  const unread = (key: string, v: unknown) => m.has(key) && v === undefined;
  if (id === undefined || queue === undefined || start === undefined || end === undefined)
    return undefined;
  if (unread("domain", domain) || unread("deviceType", deviceType) || unread("devices", devices))
    return undefined;
  return {
    id,
    queue,
    start,
    end,
    ...(domain !== undefined && { domain }),
    ...(deviceType !== undefined && { deviceType }),
    ...(devices !== undefined && { devices }),
  };
}

function readWorkload(
  c: YamlChecker,
  f: Field | undefined,
  indexes: number[],
  growthIndexes: number[],
): Pick<ScenarioDraft, "tenants" | "load" | "rate" | "diurnal" | "bindings" | "growth"> {
  const m =
    f === undefined
      ? undefined
      : c.object(f, ["tenants"], ["load", "rate", "diurnal", "classes", "growth"]);
  if (m === undefined) return { tenants: [], bindings: {}, growth: [] };
  const load = c.number(m.get("load"), { min: 0 });
  const rate = c.number(m.get("rate"), { min: 0 });
  const diurnal = c.number(m.get("diurnal"), { min: 0, max: 1 });
  const bindings: Partial<Record<WorkloadClass, ClassBinding>> = {};
  for (const [cls, b] of classMap(c, m.get("classes"))) {
    const bm = c.object(b, [], ["priorityClass", "qos"]);
    const priorityClass = c.string(bm?.get("priorityClass"));
    const qos = c.string(bm?.get("qos"));
    bindings[cls] = {
      ...(priorityClass !== undefined && { priorityClass }),
      ...(qos !== undefined && { qos }),
    };
  }
  const tenants = (c.array(m.get("tenants")) ?? []).flatMap((t, i) => {
    const r = readTenant(c, t);
    if (r !== undefined) indexes.push(i);
    return r === undefined ? [] : [r];
  });
  const growth = (c.array(m.get("growth")) ?? []).flatMap((g, i) => {
    const r = readDemandChange(c, g);
    if (r !== undefined) growthIndexes.push(i);
    return r === undefined ? [] : [r];
  });
  return {
    tenants,
    bindings,
    growth,
    ...(load !== undefined && { load }),
    ...(rate !== undefined && { rate }),
    ...(diurnal !== undefined && { diurnal }),
  };
}

function readTenant(c: YamlChecker, f: Field): TenantMix | undefined {
  const m = c.object(f, ["queue", "share", "mix"], ["residency", "residencyShare", "deviceTypes"]);
  if (m === undefined) return undefined;
  const queue = queuePath(c, m.get("queue"));
  const share = c.number(m.get("share"), { above: 0 });
  const mix: Partial<Record<WorkloadClass, number>> = {};
  for (const [cls, w] of classMap(c, m.get("mix"))) {
    const n = c.number(w, { min: 0 });
    if (n !== undefined) mix[cls] = n;
  }
  const residency = c.string(m.get("residency"));
  const residencyShare = c.number(m.get("residencyShare"), { min: 0, max: 1 });
  const deviceTypes: Partial<Record<WorkloadClass, readonly string[]>> = {};
  for (const [cls, list] of classMap(c, m.get("deviceTypes"))) {
    const types = nonEmpty(c, list, "device type");
    if (types !== undefined) deviceTypes[cls] = types;
  }
  if (queue === undefined || share === undefined) return undefined;
  return {
    queue,
    share,
    mix,
    ...(residency !== undefined && { residency }),
    ...(residencyShare !== undefined && { residencyShare }),
    ...(m.has("deviceTypes") && { deviceTypes }),
  };
}

/** A mapping keyed by workload class names (unknown names reported with a suggestion). */
function classMap(c: YamlChecker, f: Field | undefined): [WorkloadClass, Field][] {
  if (f === undefined) return [];
  const m = c.object(f, [], WORKLOAD_CLASSES);
  return m === undefined ? [] : ([...m] as [WorkloadClass, Field][]);
}

function nonEmpty(c: YamlChecker, f: Field | undefined, what: string): string[] | undefined {
  const items = strings(c, f);
  if (f !== undefined && items !== undefined && items.length === 0) {
    c.report(f.line, f.path, `expected at least one ${what}`);
    return undefined;
  }
  return items;
}

/**
 * Reads a list of entries with ids; a repeated id is reported where it repeats. The
 * file index of each entry kept is pushed to `indexes`.
 */
function list<T extends { readonly id: string }>(
  c: YamlChecker,
  f: Field | undefined,
  what: string,
  read: (item: Field) => T | undefined,
  indexes: number[],
): T[] {
  const seen = new Map<string, Field>();
  const out: T[] = [];
  for (const [i, item] of (c.array(f) ?? []).entries()) {
    const v = read(item);
    if (v === undefined) continue;
    const first = seen.get(v.id);
    if (first !== undefined) {
      c.report(
        item.line,
        `${item.path}.id`,
        `duplicate ${what} id "${v.id}" (first at ${first.path}, line ${first.line})`,
      );
      continue;
    }
    seen.set(v.id, item);
    out.push(v);
    indexes.push(i);
  }
  return out;
}
