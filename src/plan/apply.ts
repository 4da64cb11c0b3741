/**
 * Applying a variant to a scenario spec: pure, so every variant starts from the same
 * spec and one variant's changes never leak into another's. Each change is checked
 * against the spec as it stands when the change applies (changes apply in order),
 * and the result is cross-checked as a whole, as a scenario file is.
 */
import type { QueueSpec, TenancySpec } from "../core/tenancy/spec.ts";
import { nodeTypes } from "../scenario/fleet-facts.ts";
import { scenarioIssues } from "../scenario/scenario-check.ts";
import type { ScenarioSpec } from "../scenario/spec.ts";
import type { Retirement, Tranche } from "../scenario/types.ts";
import type { PathIssue } from "../scenario/yaml-read.ts";
import { addNodes, nodesToRemove, templateNode } from "./fleet-patch.ts";
import { type Change, ChangeKind, type Variant } from "./types.ts";

/** A variant applied: the new spec, and problems by path inside the variant (`changes[1].…`). */
export interface Applied {
  readonly spec: ScenarioSpec;
  readonly issues: readonly PathIssue[];
}

/**
 * Applies `variant`'s changes to `spec`, in order. Problems (an unknown tranche,
 * node, device type or queue; too few devices to remove; a tenancy the changes
 * broke) come back as issues with code GJ_ERR_VARIANT_INVALID: paths `changes[j].<kind>.<key>`
 * for a change, and `changes` for what only the whole result shows. Never throws.
 */
export function applyVariant(spec: ScenarioSpec, variant: Variant): Applied {
  const issues: PathIssue[] = [];
  let s = spec;
  variant.changes.forEach((change, j) => {
    const bad = (key: string, message: string) =>
      issues.push({
        code: "GJ_ERR_VARIANT_INVALID",
        path: `changes[${j}].${change.kind}${key === "" ? "" : `.${key}`}`,
        message,
      });
    s = applyChange(s, change, `p${j + 1}`, bad);
  });
  if (issues.length === 0)
    for (const i of scenarioIssues(s))
      issues.push({
        code: "GJ_ERR_VARIANT_INVALID",
        path: "changes",
        message: `after the changes, ${i.path}: ${i.message}`,
      });
  return { spec: s, issues };
}

type Bad = (key: string, message: string) => void;

function applyChange(s: ScenarioSpec, c: Change, tag: string, bad: Bad): ScenarioSpec {
  const types = s.fleet.deviceTypes.map((t) => t.id);
  const typeKnown = (type: string): boolean => {
    if (types.includes(type)) return true;
    bad(
      "deviceType",
      `unknown device type "${type}"; fleet ${s.fleet.name} has ${types.join(", ")}`,
    );
    return false;
  };
  switch (c.kind) {
    case ChangeKind.ShiftTranche: {
      const k = s.tranches.findIndex((t) => t.id === c.tranche);
      if (k < 0) {
        const ids = s.tranches.map((t) => t.id).join(", ") || "none";
        bad("tranche", `unknown tranche "${c.tranche}" (tranches: ${ids})`);
        return s;
      }
      const tranches = s.tranches.map((t, i) =>
        i === k ? { ...t, time: Math.max(0, t.time + c.by) } : t,
      );
      return { ...s, tranches };
    }
    case ChangeKind.AddDevices: {
      if (!typeKnown(c.deviceType)) return s;
      const template = templateNode(s.fleet, c.deviceType, c.like);
      if (template === undefined || template.node.deviceType !== c.deviceType) {
        if (c.like !== undefined)
          bad("like", `"${c.like}" is not a ${c.deviceType} node of fleet ${s.fleet.name}`);
        else bad("deviceType", `fleet ${s.fleet.name} has no ${c.deviceType} node to copy`);
        return s;
      }
      const count = Math.ceil(c.devices / template.node.devices);
      const added = addNodes(s.fleet, template, count, tag);
      if (c.at <= 0) return { ...s, fleet: added.fleet };
      const tranche: Tranche = {
        id: uniqueId(s.tranches, `plan-${tag}`),
        time: c.at,
        nodes: added.nodes,
      };
      return { ...s, fleet: added.fleet, tranches: [...s.tranches, tranche] };
    }
    case ChangeKind.RemoveDevices: {
      if (!typeKnown(c.deviceType)) return s;
      const gone = new Set((s.retirements ?? []).flatMap((r) => r.nodes));
      const nodes = nodesToRemove(s.fleet, c.deviceType, c.devices, gone);
      if (nodes === undefined) {
        bad(
          "devices",
          `fleet ${s.fleet.name} has fewer than ${c.devices} ${c.deviceType} devices left to remove`,
        );
        return s;
      }
      return retire(s, { id: `plan-${tag}`, time: c.at, drainStart: c.at, nodes });
    }
    case ChangeKind.RetireNodes: {
      const known = nodeTypes(s.fleet);
      c.nodes.forEach((id, k) => {
        if (!known.has(id)) bad(`nodes[${k}]`, `unknown node "${id}" in fleet ${s.fleet.name}`);
      });
      const drainStart = c.drainStart ?? c.at;
      if (drainStart > c.at) bad("drainStart", `${drainStart} is after at ${c.at}`);
      return retire(s, { id: `plan-${tag}`, time: c.at, drainStart, nodes: c.nodes });
    }
    case ChangeKind.ScaleDemand: {
      const q = c.demand.queue;
      if (q !== undefined && s.tenancy.queues.length > 0 && !queuePaths(s.tenancy).has(q)) {
        bad("queue", `unknown queue "${q}" in the tenancy`);
        return s;
      }
      return { ...s, mix: { ...s.mix, growth: [...(s.mix.growth ?? []), c.demand] } };
    }
    case ChangeKind.SetGuarantee: {
      if (!typeKnown(c.deviceType)) return s;
      const tenancy = setGuarantee(s.tenancy, c);
      if (tenancy === undefined) {
        bad("queue", `unknown queue "${c.queue}" in the tenancy`);
        return s;
      }
      return { ...s, tenancy };
    }
    case ChangeKind.SetDeviceTypes: {
      const k = s.mix.tenants.findIndex((t) => t.queue === c.queue);
      if (k < 0) {
        const queues = s.mix.tenants.map((t) => t.queue).join(", ");
        bad("queue", `"${c.queue}" is not a tenant of the workload (tenants: ${queues})`);
        return s;
      }
      c.deviceTypes.forEach((type, i) => {
        if (!types.includes(type))
          bad(
            `deviceTypes[${i}]`,
            `unknown device type "${type}"; fleet ${s.fleet.name} has ${types.join(", ")}`,
          );
      });
      const tenants = s.mix.tenants.map((t, i) =>
        i === k ? { ...t, deviceTypes: { ...t.deviceTypes, [c.class]: c.deviceTypes } } : t,
      );
      return { ...s, mix: { ...s.mix, tenants } };
    }
    default: {
      const never: never = c;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

function retire(s: ScenarioSpec, r: Retirement): ScenarioSpec {
  const all = s.retirements ?? [];
  return { ...s, retirements: [...all, { ...r, id: uniqueId(all, r.id) }] };
}

function uniqueId(list: readonly { readonly id: string }[], id: string): string {
  const ids = new Set(list.map((x) => x.id));
  let out = id;
  for (let k = 2; ids.has(out); k++) out = `${id}-${k}`;
  return out;
}

/** Listed queues and their implied ancestors. */
function queuePaths(tenancy: TenancySpec): Set<string> {
  const out = new Set<string>();
  for (const q of tenancy.queues) {
    const parts = q.path.split("/");
    for (let k = 1; k <= parts.length; k++) out.add(parts.slice(0, k).join("/"));
  }
  return out;
}

/** The tenancy with the queue's quota for one type replaced; an implied queue is listed. */
function setGuarantee(
  tenancy: TenancySpec,
  c: Extract<Change, { kind: typeof ChangeKind.SetGuarantee }>,
): TenancySpec | undefined {
  if (!queuePaths(tenancy).has(c.queue)) return undefined;
  const patch = (q: QueueSpec): QueueSpec => {
    const old = q.quota?.[c.deviceType];
    const borrowLimit = c.borrowLimit ?? old?.borrowLimit;
    const lendLimit = c.lendLimit ?? old?.lendLimit;
    const quota = {
      guaranteed: c.guaranteed,
      ...(borrowLimit !== undefined && { borrowLimit }),
      ...(lendLimit !== undefined && { lendLimit }),
    };
    return { ...q, quota: { ...q.quota, [c.deviceType]: quota } };
  };
  const listed = tenancy.queues.some((q) => q.path === c.queue);
  const queues = listed
    ? tenancy.queues.map((q) => (q.path === c.queue ? patch(q) : q))
    : [...tenancy.queues, patch({ path: c.queue })];
  return { ...tenancy, queues };
}
