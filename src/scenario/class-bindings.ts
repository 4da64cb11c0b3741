/**
 * Binds workload classes to the tenancy's priority classes and QoS by name
 * (`interactive: { priorityClass: critical, qos: interactive }`) and turns the
 * binding into what the generator stamps on workloads: priority = the class's
 * value + the QoS's priority; preemptible = the class's flag; maxRuntime = the
 * QoS's limit.
 */
import type { TenancySpec } from "../core/tenancy/spec.ts";
import { WORKLOAD_CLASSES, type WorkloadClass } from "../core/workload/index.ts";
import { type ClassSettings, DEFAULT_CLASS_SETTINGS } from "./workload-classes.ts";
import type { PathIssue } from "./yaml-read.ts";

export interface ClassBinding {
  /** A priority class of the tenancy; absent keeps the class's default priority. */
  readonly priorityClass?: string;
  /** A QoS of the tenancy; absent adds nothing and sets no run limit. */
  readonly qos?: string;
}

export type ClassBindings = Readonly<Partial<Record<WorkloadClass, ClassBinding>>>;

/**
 * Names in `bindings` the tenancy does not define, by path inside the bindings
 * (`interactive.qos`), as GJ_ERR_TENANCY_INVALID.
 */
export function bindingIssues(bindings: ClassBindings, tenancy: TenancySpec): PathIssue[] {
  const issues: PathIssue[] = [];
  const classes = (tenancy.priorityClasses ?? []).map((p) => p.name);
  const qos = (tenancy.qos ?? []).map((q) => q.name);
  for (const [cls, b] of Object.entries(bindings)) {
    if (b?.priorityClass !== undefined && !classes.includes(b.priorityClass))
      issues.push({
        code: "GJ_ERR_TENANCY_INVALID",
        path: `${cls}.priorityClass`,
        message: `unknown priority class "${b.priorityClass}" (tenancy has ${classes.join(", ") || "none"})`,
      });
    if (b?.qos !== undefined && !qos.includes(b.qos))
      issues.push({
        code: "GJ_ERR_TENANCY_INVALID",
        path: `${cls}.qos`,
        message: `unknown QoS "${b.qos}" (tenancy has ${qos.join(", ") || "none"})`,
      });
  }
  return issues;
}

/**
 * The generator settings for each bound class. A class bound to a priority class
 * takes its value (plus the QoS's priority) and its preemptible flag; a class
 * without a binding keeps
 * DEFAULT_CLASS_SETTINGS. Unknown names are ignored here (see bindingIssues).
 */
export function settingsFromBindings(
  bindings: ClassBindings,
  tenancy: TenancySpec,
): Partial<Record<WorkloadClass, ClassSettings>> {
  const out: Partial<Record<WorkloadClass, ClassSettings>> = {};
  for (const cls of WORKLOAD_CLASSES) {
    const b = bindings[cls];
    if (b === undefined) continue;
    const pc = tenancy.priorityClasses?.find((p) => p.name === b.priorityClass);
    const q = tenancy.qos?.find((x) => x.name === b.qos);
    const base = pc?.value ?? DEFAULT_CLASS_SETTINGS[cls].priority;
    out[cls] = {
      priority: base + (q?.priority ?? 0),
      ...(pc !== undefined && { preemptible: pc.preemptible }),
      ...(q?.maxRuntime !== undefined && { maxRuntime: q.maxRuntime }),
    };
  }
  return out;
}
