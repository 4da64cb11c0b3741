/**
 * Variants files: YAML → variants applied to a scenario spec. The format is in
 * docs/planning.md. As with scenario files, every problem is reported at once, as
 * `file:line json.path: message`, in one GJ_ERR_VARIANT_INVALID: first the schema
 * (shapes, types, names), then each variant applied to the scenario (unknown
 * tranches, nodes, device types, queues; a tenancy the changes broke).
 */
import { isMap } from "yaml";
import { WORKLOAD_CLASSES, type WorkloadClass } from "../core/workload/index.ts";
import { type Field, readYamlFile, type YamlChecker } from "../fleet/yaml-check.ts";
import { readDemandChange } from "../scenario/scenario-read.ts";
import type { ScenarioSpec } from "../scenario/spec.ts";
import { queuePath } from "../scenario/tenancy-file.ts";
import {
  fileError,
  formatDetails,
  lineOf,
  openYaml,
  parseDuration,
  seconds,
  strings,
} from "../scenario/yaml-read.ts";
import { applyVariant } from "./apply.ts";
import { BASELINE, CHANGE_KINDS, type Change, ChangeKind, type Variant } from "./types.ts";

/** A variant with its changes applied to the scenario. */
export interface PlanVariant extends Variant {
  readonly spec: ScenarioSpec;
}

/** What a variants file holds: its description and the variants, applied to `base`. */
export interface VariantsFile {
  readonly description: string;
  readonly variants: readonly PlanVariant[];
}

/**
 * Parses a variants file's text and applies each variant to `base`. `file` names it
 * in messages. Throws one GJ_ERR_VARIANT_INVALID listing every problem.
 */
export function parseVariantsYaml(text: string, file: string, base: ScenarioSpec): VariantsFile {
  const { checker: c, lines, ok } = openYaml(text);
  if (!ok)
    throw fileError("GJ_ERR_VARIANT_INVALID", file, "variants file", formatDetails(file, c.issues));
  const top = c.object(c.root(), ["variants"], ["description"]);
  const description = (top?.has("description") ? c.string(top.get("description")) : "") ?? "";
  const read: { at: number; variant: Variant }[] = [];
  const names = new Map<string, Field>();
  for (const [i, f] of (c.array(top?.get("variants")) ?? []).entries()) {
    const v = readVariant(c, f, names);
    if (v !== undefined) read.push({ at: i, variant: v });
  }
  if (top?.has("variants") && read.length === 0 && c.issues.length === 0)
    c.report(top.get("variants")!.line, "variants", "expected at least one variant");
  const issues = [...c.issues];
  const variants: PlanVariant[] = [];
  for (const { at, variant } of read) {
    const applied = applyVariant(base, variant);
    for (const i of applied.issues) {
      const path = `variants[${at}].${i.path}`;
      issues.push({ line: lineOf(lines, path), path, message: i.message });
    }
    variants.push({ ...variant, spec: applied.spec });
  }
  if (issues.length > 0)
    throw fileError("GJ_ERR_VARIANT_INVALID", file, "variants file", formatDetails(file, issues));
  return { description, variants };
}

/**
 * Reads a variants file from disk and applies it to `base`: GJ_ERR_FILE_NOT_FOUND
 * when `path` is not a file, otherwise as {@link parseVariantsYaml}.
 */
export function loadVariantsFile(path: string, base: ScenarioSpec): VariantsFile {
  return parseVariantsYaml(readYamlFile(path, "variants file"), path, base);
}

/** One variant; undefined when any part of it failed to read (reported). */
function readVariant(c: YamlChecker, f: Field, names: Map<string, Field>): Variant | undefined {
  const m = c.object(f, ["name", "changes"], ["description"]);
  if (m === undefined) return undefined;
  const name = c.string(m.get("name"));
  const nameField = m.get("name");
  let nameOk = name !== undefined;
  if (name !== undefined && nameField !== undefined) {
    const first = names.get(name);
    if (name === BASELINE) {
      c.report(
        nameField.line,
        nameField.path,
        `"${BASELINE}" is the scenario unchanged and always runs; pick another name`,
      );
      nameOk = false;
    } else if (first !== undefined) {
      c.report(
        nameField.line,
        nameField.path,
        `duplicate variant name "${name}" (first at ${first.path}, line ${first.line})`,
      );
      nameOk = false;
    } else names.set(name, nameField);
  }
  const description = m.has("description") ? c.string(m.get("description")) : "";
  const items = c.array(m.get("changes"));
  const changesField = m.get("changes");
  if (items !== undefined && items.length === 0 && changesField !== undefined)
    c.report(changesField.line, changesField.path, "expected at least one change");
  const changes = (items ?? []).map((item) => readChange(c, item));
  if (!nameOk || description === undefined || items === undefined || items.length === 0)
    return undefined;
  if (changes.some((x) => x === undefined)) return undefined;
  return { name: name!, description, changes: changes as Change[] };
}

/** One change: a mapping with exactly one key, the change's kind. */
function readChange(c: YamlChecker, f: Field): Change | undefined {
  const m = c.object(f, [], CHANGE_KINDS);
  if (m === undefined) return undefined;
  if (m.size !== 1) {
    if (isMap(f.node) && f.node.items.length > 0 && m.size === 0) return undefined; // unknown key, reported
    c.report(f.line, f.path, `expected exactly one change, one of: ${CHANGE_KINDS.join(", ")}`);
    return undefined;
  }
  const [[kind, body]] = [...m];
  const o = (required: readonly string[], optional: readonly string[] = []) =>
    c.object(body, required, optional);
  const has = (x: Map<string, Field>, key: string, v: unknown) => !x.has(key) || v !== undefined;
  switch (kind as ChangeKind) {
    case ChangeKind.ShiftTranche: {
      const x = o(["tranche", "by"]);
      const tranche = c.string(x?.get("tranche"));
      const by = signedSeconds(c, x?.get("by"));
      return tranche === undefined || by === undefined
        ? undefined
        : { kind: ChangeKind.ShiftTranche, tranche, by };
    }
    case ChangeKind.AddDevices:
    case ChangeKind.RemoveDevices: {
      const add = kind === ChangeKind.AddDevices;
      const x = o(["deviceType", "devices"], add ? ["at", "like"] : ["at"]);
      if (x === undefined) return undefined;
      const deviceType = c.string(x.get("deviceType"));
      const devices = c.number(x.get("devices"), { integer: true, min: 1 });
      const when = seconds(c, x.get("at"), { min: 0 });
      const like = c.string(x.get("like"));
      if (deviceType === undefined || devices === undefined) return undefined;
      if (!has(x, "at", when) || !has(x, "like", like)) return undefined;
      const at = when ?? 0;
      if (!add) return { kind: ChangeKind.RemoveDevices, deviceType, devices, at };
      return {
        kind: ChangeKind.AddDevices,
        deviceType,
        devices,
        at,
        ...(like !== undefined && { like }),
      };
    }
    case ChangeKind.RetireNodes: {
      const x = o(["nodes", "at"], ["drainStart"]);
      if (x === undefined) return undefined;
      const nodes = strings(c, x.get("nodes"));
      if (nodes !== undefined && nodes.length === 0)
        c.report(x.get("nodes")!.line, x.get("nodes")!.path, "expected at least one node");
      const at = seconds(c, x.get("at"), { min: 0 });
      const drainStart = seconds(c, x.get("drainStart"), { min: 0 });
      if (
        nodes === undefined ||
        nodes.length === 0 ||
        at === undefined ||
        !has(x, "drainStart", drainStart)
      )
        return undefined;
      return {
        kind: ChangeKind.RetireNodes,
        nodes,
        at,
        ...(drainStart !== undefined && { drainStart }),
      };
    }
    case ChangeKind.ScaleDemand: {
      const before = c.issues.length;
      const demand = readDemandChange(c, body);
      return demand === undefined || c.issues.length > before
        ? undefined
        : { kind: ChangeKind.ScaleDemand, demand };
    }
    case ChangeKind.SetGuarantee: {
      const x = o(["queue", "deviceType", "guaranteed"], ["borrowLimit", "lendLimit"]);
      if (x === undefined) return undefined;
      const queue = queuePath(c, x.get("queue"));
      const deviceType = c.string(x.get("deviceType"));
      const guaranteed = c.number(x.get("guaranteed"), { min: 0 });
      const borrowLimit = c.number(x.get("borrowLimit"), { min: 0 });
      const lendLimit = c.number(x.get("lendLimit"), { min: 0 });
      if (queue === undefined || deviceType === undefined || guaranteed === undefined)
        return undefined;
      if (!has(x, "borrowLimit", borrowLimit) || !has(x, "lendLimit", lendLimit)) return undefined;
      return {
        kind: ChangeKind.SetGuarantee,
        queue,
        deviceType,
        guaranteed,
        ...(borrowLimit !== undefined && { borrowLimit }),
        ...(lendLimit !== undefined && { lendLimit }),
      };
    }
    case ChangeKind.SetDeviceTypes: {
      const x = o(["queue", "class", "deviceTypes"]);
      if (x === undefined) return undefined;
      const queue = queuePath(c, x.get("queue"));
      const cls = c.string(x.get("class"));
      const clsField = x.get("class");
      const known = cls !== undefined && (WORKLOAD_CLASSES as readonly string[]).includes(cls);
      if (cls !== undefined && !known && clsField !== undefined)
        c.report(
          clsField.line,
          clsField.path,
          `unknown workload class "${cls}" (classes: ${WORKLOAD_CLASSES.join(", ")})`,
        );
      const deviceTypes = strings(c, x.get("deviceTypes"));
      if (deviceTypes !== undefined && deviceTypes.length === 0)
        c.report(
          x.get("deviceTypes")!.line,
          x.get("deviceTypes")!.path,
          "expected at least one device type",
        );
      if (queue === undefined || !known || deviceTypes === undefined || deviceTypes.length === 0)
        return undefined;
      return { kind: ChangeKind.SetDeviceTypes, queue, class: cls as WorkloadClass, deviceTypes };
    }
    default:
      return undefined;
  }
}

/** Seconds that may be negative: a number, or a duration string with an optional leading "-". */
function signedSeconds(c: YamlChecker, f: Field | undefined): number | undefined {
  if (f === undefined) return undefined;
  const raw = (f.node as { value?: unknown } | null)?.value;
  if (typeof raw === "string" && raw.trim().startsWith("-")) {
    const v = parseDuration(raw.trim().slice(1));
    if (v !== undefined) return -v;
    c.report(f.line, f.path, `expected seconds or a duration such as "30d" or "-7d", got "${raw}"`);
    return undefined;
  }
  if (typeof raw === "number") return c.number(f);
  return seconds(c, f, {});
}
