/**
 * Cross-checks of a scenario's parts against its fleet and tenancy: nodes, domains,
 * device types, residencies and queues must exist, and times must be in order.
 * Scenario files run them to report mistakes at their lines; the built-in scenarios'
 * tests run them to prove the built-ins are consistent.
 */
import type { TenancySpec } from "../core/tenancy/spec.ts";
import { bindingIssues, type ClassBindings } from "./class-bindings.ts";
import { deviceCapacity, domainDevices, nodeTypes } from "./fleet-facts.ts";
import { prefixed, tenancyFleetIssues } from "./tenancy-file.ts";
import type { Scenario } from "./types.ts";
import { mixIssues, type WorkloadMixOptions } from "./workload-mix.ts";
import type { PathIssue } from "./yaml-read.ts";

/** What a scenario is before its workloads are drawn, plus how they will be drawn. */
export interface ScenarioParts extends Omit<Scenario, "name" | "description" | "workloads"> {
  readonly mix: Omit<WorkloadMixOptions, "fleet" | "horizon">;
  readonly bindings: ClassBindings;
}

/**
 * Every inconsistency between the parts, by path as a scenario file spells it
 * (`tranches[0].nodes[3]`, `workload.tenants[2].queue`, `tenancy.queues[1].quota.x`).
 * Codes: GJ_ERR_TENANCY_INVALID for the tenancy and class bindings,
 * GJ_ERR_TENANT_UNKNOWN for queues the tenancy lacks, GJ_ERR_WORKLOAD_INVALID for the rest.
 */
export function scenarioIssues(parts: ScenarioParts): PathIssue[] {
  const { fleet, tenancy } = parts;
  const issues: PathIssue[] = [];
  const bad = (path: string, message: string) =>
    issues.push({ code: "GJ_ERR_WORKLOAD_INVALID", path, message });
  for (const i of tenancyFleetIssues(tenancy, fleet))
    issues.push({ ...i, path: prefixed("tenancy", i.path) });
  for (const i of bindingIssues(parts.bindings, tenancy))
    issues.push({ ...i, path: `workload.classes.${i.path}` });
  const nodes = nodeTypes(fleet);
  const unknownNode = (path: string, id: string) =>
    bad(path, `unknown node "${id}" in fleet ${fleet.name}`);

  const delivered = new Map<string, string>();
  parts.tranches.forEach((t, i) => {
    t.nodes.forEach((id, j) => {
      const at = `tranches[${i}].nodes[${j}]`;
      if (!nodes.has(id)) unknownNode(at, id);
      else if (delivered.has(id))
        bad(at, `node "${id}" is already delivered by ${delivered.get(id)}`);
      else delivered.set(id, `tranches[${i}]`);
    });
  });
  parts.maintenance.forEach((m, i) => {
    m.nodes.forEach((id, j) => {
      if (!nodes.has(id)) unknownNode(`maintenance[${i}].nodes[${j}]`, id);
    });
    if (!(m.drainStart <= m.start))
      bad(`maintenance[${i}].drainStart`, `${m.drainStart} is after start ${m.start}`);
    if (!(m.start < m.end)) bad(`maintenance[${i}].end`, `${m.end} is not after start ${m.start}`);
  });
  (parts.retirements ?? []).forEach((r, i) => {
    r.nodes.forEach((id, j) => {
      if (!nodes.has(id)) unknownNode(`retirements[${i}].nodes[${j}]`, id);
    });
    if (!(r.drainStart <= r.time))
      bad(`retirements[${i}].drainStart`, `${r.drainStart} is after time ${r.time}`);
  });
  const domains = domainDevices(fleet);
  const capacity = deviceCapacity(fleet);
  const queues = queuePaths(
    tenancy,
    parts.mix.tenants.map((t) => t.queue),
  );
  parts.reservations.forEach((r, i) => {
    const at = `reservations[${i}]`;
    if (!queues.has(r.queue))
      issues.push({
        code: "GJ_ERR_TENANT_UNKNOWN",
        path: `${at}.queue`,
        message: unknownQueue(r.queue, queues),
      });
    if (!(r.start < r.end)) bad(`${at}.end`, `${r.end} is not after start ${r.start}`);
    if ((r.domain === undefined) === (r.deviceType === undefined))
      bad(at, "give either domain, or deviceType and devices");
    if (r.domain !== undefined && !domains.has(r.domain))
      bad(
        `${at}.domain`,
        `unknown domain "${r.domain}"; domains are site/rack/domain, e.g. ${[...domains.keys()][0]}`,
      );
    if (r.deviceType !== undefined) {
      const cap = capacity.get(r.deviceType);
      if (cap === undefined)
        bad(
          `${at}.deviceType`,
          `unknown device type "${r.deviceType}"; fleet ${fleet.name} has ${[...capacity.keys()].join(", ")}`,
        );
      else if (r.devices === undefined) bad(`${at}.devices`, "required with deviceType");
      else if (r.devices > cap)
        bad(`${at}.devices`, `${r.devices} ${r.deviceType} asked for; the fleet has ${cap}`);
    }
  });
  for (const i of tenantQueueIssues(parts.mix.tenants, tenancy))
    issues.push({ ...i, path: `workload.${i.path}` });
  const mix = { ...parts.mix, fleet, horizon: parts.horizon };
  for (const i of mixIssues(mix)) issues.push({ ...i, path: `workload.${i.path}` });
  return issues;
}

/**
 * Workload tenants must submit to leaf queues of the tenancy (any queue when the
 * tenancy lists none). Paths are `tenants[i].queue`; code GJ_ERR_TENANT_UNKNOWN.
 */
export function tenantQueueIssues(
  tenants: readonly { readonly queue: string }[],
  tenancy: TenancySpec,
): PathIssue[] {
  if (tenancy.queues.length === 0) return [];
  const queues = queuePaths(tenancy, []);
  const issues: PathIssue[] = [];
  tenants.forEach((t, i) => {
    const path = `tenants[${i}].queue`;
    if (!queues.has(t.queue))
      issues.push({ code: "GJ_ERR_TENANT_UNKNOWN", path, message: unknownQueue(t.queue, queues) });
    else {
      const children = [...queues].filter((q) => q.startsWith(`${t.queue}/`));
      if (children.length > 0)
        issues.push({
          code: "GJ_ERR_TENANT_UNKNOWN",
          path,
          message: `queue "${t.queue}" is not a leaf; submit to one of ${children.join(", ")}`,
        });
    }
  });
  return issues;
}

/** Listed queues and their implied ancestors; with no queues listed, those of `extra`. */
function queuePaths(tenancy: TenancySpec, extra: readonly string[]): Set<string> {
  const out = new Set<string>();
  const listed = tenancy.queues.length > 0 ? tenancy.queues.map((q) => q.path) : extra;
  for (const p of listed) {
    const parts = p.split("/");
    for (let k = 1; k <= parts.length; k++) out.add(parts.slice(0, k).join("/"));
  }
  return out;
}

function unknownQueue(queue: string, known: ReadonlySet<string>): string {
  const list = [...known];
  const shown = list.length > 12 ? `${list.slice(0, 12).join(", ")}, …` : list.join(", ");
  return `unknown queue "${queue}" (tenancy queues: ${shown || "none"})`;
}
