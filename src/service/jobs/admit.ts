/**
 * Admission: the checks a submitted job must pass before it is stored, which need the
 * fleet and the tenancy. Each failure is a coded error with the JSON path it concerns.
 * The last check refuses a job that could never run even on the empty fleet, so that
 * nothing waits forever for capacity that does not exist.
 */
import { GongjangError } from "../../core/errors.ts";
import type { ClusterState } from "../../core/model/cluster.ts";
import { compileRequest, siteMask } from "../../core/model/request.ts";
import { fitsWhenEmpty } from "../../core/plugins/fit/index.ts";
import type { TenancySpec } from "../../core/tenancy/spec.ts";
import { memberJob, type Workload } from "../../core/workload/index.ts";
import type { JobSpec } from "./spec.ts";
import { toWorkload } from "./spec.ts";
import type { StoredSpec } from "./workload.ts";

const DEFAULT_PRIORITY = 0;

/** Resolves priority class and QoS; throws GJ_ERR_REQUEST_INVALID for unknown names. */
export function resolveSpec(
  spec: JobSpec,
  tenancy: Pick<TenancySpec, "priorityClasses" | "qos">,
): StoredSpec {
  let priority = spec.priority ?? DEFAULT_PRIORITY;
  let preemptible = spec.preemptible ?? true;
  let maxRuntime: number | undefined;
  if (spec.priorityClass !== undefined) {
    const pc = tenancy.priorityClasses?.find((c) => c.name === spec.priorityClass);
    if (pc === undefined)
      throw invalid(
        "priorityClass",
        `unknown priority class "${spec.priorityClass}"; known: ${names(tenancy.priorityClasses)}`,
      );
    priority = spec.priority ?? pc.value;
    preemptible = spec.preemptible ?? pc.preemptible;
  }
  if (spec.qos !== undefined) {
    const qos = tenancy.qos?.find((q) => q.name === spec.qos);
    if (qos === undefined)
      throw invalid("qos", `unknown QoS "${spec.qos}"; known: ${names(tenancy.qos)}`);
    priority += qos.priority;
    maxRuntime = qos.maxRuntime;
  }
  return { ...spec, priority, preemptible, ...(maxRuntime !== undefined && { maxRuntime }) };
}

/**
 * Checks a spec against the fleet: known device types, consistent sizes, and that
 * its minimum gang fits the empty fleet somewhere. Returns the workload it becomes.
 */
export function checkPlaceable(state: ClusterState, spec: StoredSpec): Workload {
  const known = new Set(state.deviceTypes.map((t) => t.id));
  (spec.deviceTypes ?? []).forEach((t, i) => {
    if (!known.has(t))
      throw invalid(
        `deviceTypes[${i}]`,
        `unknown device type "${t}"; the fleet has ${[...known].join(", ")}`,
      );
  });
  const members = spec.members ?? 1;
  if ((spec.minMembers ?? members) > members)
    throw invalid("minMembers", `minMembers ${spec.minMembers} is above members ${members}`);
  if (spec.deviceShare !== undefined && (spec.devices ?? 1) !== 1)
    throw invalid("deviceShare", "a device share needs devices = 1");
  const w = toWorkload(0, spec, spec, 0);
  if (spec.residency !== undefined && siteMask(state, spec.residency) === 0)
    throw new GongjangError(
      "GJ_ERR_JOB_UNPLACEABLE",
      `residency "${spec.residency}" matches no site; sites allow ${state.siteIds.map((s, i) => `${s} (${state.siteResidency[i].join(", ")})`).join("; ")}`,
      { path: "residency" },
    );
  const req = compileRequest(state, memberJob(w, 0));
  // Member slots per device type on the empty fleet: whole members that fit each node.
  const slots = new Float64Array(state.deviceTypes.length);
  let cpuSlots = 0;
  for (let n = 0; n < state.nodeCount; n++) {
    if (!fitsWhenEmpty(state, req, n)) continue;
    const devs = state.devOffset[n + 1] - state.devOffset[n];
    const k = w.member.devices === 0 ? 1 : Math.floor(devs / w.member.devices);
    if (state.nodeType[n] >= 0) slots[state.nodeType[n]] += k;
    else cpuSlots += k;
  }
  const best = Math.max(cpuSlots, ...slots);
  if (best < w.minMembers)
    throw new GongjangError(
      "GJ_ERR_JOB_UNPLACEABLE",
      `needs ${w.minMembers} member(s) of ${w.member.devices} device(s) each${w.deviceTypes.length > 0 ? ` of ${w.deviceTypes.join("|")}` : ""}; the empty fleet has room for ${best}`,
      { path: best === 0 ? "devices" : "members" },
    );
  return w;
}

function invalid(path: string, message: string): GongjangError {
  return new GongjangError("GJ_ERR_REQUEST_INVALID", message, { path });
}

function names(list: readonly { name: string }[] | undefined): string {
  return list === undefined || list.length === 0 ? "(none)" : list.map((x) => x.name).join(", ");
}
