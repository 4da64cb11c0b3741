/**
 * Why a pending job waits, per accepted device type: quota and cohort, capacity,
 * node states, residency, topology and fragmentation, each with its numbers. Reads the
 * snapshot only; changes nothing (placement caches aside).
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import { candidateTypes, memberRequest } from "../../core/schedule/place.ts";
import type { PendingWorkload, RunningWorkload } from "../../core/schedule/types.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import { type Workload, workloadMilli } from "../../core/workload/index.ts";
import { largestBlocks, typeFree } from "./free.ts";
import { quotaLines } from "./quota.ts";
import { Constraint, type ExplainLine, fmt, line, plural } from "./types.ts";

/** What the per-type checks read from a snapshot. */
export interface PendingView {
  readonly state: ClusterState;
  readonly tree: QueueTree;
  readonly running: readonly RunningWorkload[];
}

/** Device capacity per type on schedulable nodes, in milli-devices (as the cycle counts it). */
export function capacityByType(state: ClusterState): Float64Array {
  const cap = new Float64Array(state.deviceTypes.length);
  for (let n = 0; n < state.nodeCount; n++) {
    const t = state.nodeType[n];
    if (t >= 0 && state.schedulable[n])
      cap[t] += (state.devOffset[n + 1] - state.devOffset[n]) * 1000;
  }
  return cap;
}

/**
 * Lines for every device type `entry` accepts (fastest first), blocking or not. The
 * job may start when some type has no blocking line.
 */
export function pendingLines(view: PendingView, entry: PendingWorkload): ExplainLine[] {
  const types = candidateTypes(view.state, entry.w);
  if (types.length === 0)
    return [
      line(
        Constraint.Capacity,
        true,
        null,
        `accepts only device types the fleet lacks (${entry.w.deviceTypes.join(", ")})`,
      ),
    ];
  const capacity = capacityByType(view.state);
  return types.flatMap((t) => typeLines(view, entry, t, capacity));
}

function typeLines(
  view: PendingView,
  entry: PendingWorkload,
  t: number,
  capacity: Float64Array,
): ExplainLine[] {
  const { state, tree } = view;
  const { w } = entry;
  const out: ExplainLine[] = [];
  const min = w.minMembers;
  if (t >= 0) out.push(...quotaLines(tree, entry.queue, t, workloadMilli(w, min), capacity[t]));
  const type = t >= 0 ? state.deviceTypes[t].id : null;
  const req = memberRequest(state, w, t);
  const f = typeFree(state, req, t);
  const per = (w.member.devices * w.member.deviceMilli) / 1000;
  const need = min * per;
  const shape = `${min < w.members ? `at least ${min} of ${w.members}` : min} × ${fmt(per)}`;
  const name = type ?? "devices";

  if (t < 0 || per === 0) {
    // CPU-only work: members fit by CPU and memory.
    out.push(
      line(
        Constraint.Capacity,
        f.members < min,
        type,
        `${plural(f.members, "member")} fit on schedulable nodes by CPU and memory; needs ${min}`,
        { members: f.members, needed: min },
      ),
    );
    return out;
  }

  const down =
    f.downNodes > 0
      ? `, not counting ${plural(f.downNodes, "cordoned or down node")} (${fmt(f.downDevices)} devices)`
      : "";
  // 128 devices − 3 cordoned nodes' 24 − 99 in use = 5 free
  out.push(
    line(
      Constraint.Capacity,
      f.free < need,
      type,
      `needs ${fmt(need)} ${name} (${shape}); ${fmt(f.free)} of ${fmt(f.devices)} are free on schedulable nodes${down}`,
      {
        needed: need,
        free: f.free,
        total: f.devices,
        downNodes: f.downNodes,
        downDevices: f.downDevices,
      },
    ),
  );
  if (f.downNodes > 0)
    out.push(
      line(
        Constraint.NodeState,
        f.free < need && f.free + f.downFree >= need,
        type,
        `${plural(f.downNodes, `${name} node`)} (${fmt(f.downDevices)} devices, ${fmt(f.downFree)} of them idle) ${f.downNodes === 1 ? "is" : "are"} cordoned, draining or down and take${f.downNodes === 1 ? "s" : ""} no new work`,
        { nodes: f.downNodes, devices: f.downDevices, idle: f.downFree, needed: need },
      ),
    );
  if (w.residency !== undefined) out.push(residencyLine(state, req.siteMask, w, f, need, name));
  if (f.freeAllowed >= need && f.members < min) {
    // 14 free in total, but members need 8 each on one node: largest is 5
    const largest = f.largestNode;
    const where =
      w.member.deviceMilli < 1000
        ? `${f.members === 0 ? "no single device has" : `only ${plural(f.members, "member")} of`} ${fmt(per)} ${f.members === 0 ? "free" : "fit on single devices"}, ${min} needed`
        : largest === null || largest.free < per
          ? `no node has ${fmt(per)} free (largest: ${fmt(largest?.free ?? 0)}${largest ? ` on ${largest.id}` : ""})`
          : `only ${plural(f.members, "member")} of ${fmt(per)} fit on single nodes (largest: ${fmt(largest.free)} on ${largest.id}), ${min} needed`;
    const short =
      f.cpuMemShort > 0
        ? `; ${plural(f.cpuMemShort, "node")} with enough free devices lack${f.cpuMemShort === 1 ? "s" : ""} CPU or memory`
        : "";
    out.push(
      line(
        Constraint.Fragmentation,
        true,
        type,
        `${fmt(f.freeAllowed)} ${name} free but ${where}${short}`,
        {
          free: f.freeAllowed,
          perMember: per,
          largestNodeFree: largest?.free ?? 0,
          largestNode: largest?.id ?? "",
          membersFit: f.members,
          needed: min,
          cpuMemShort: f.cpuMemShort,
        },
      ),
    );
  }
  const topo = topologyLine(state, w, t, req, per, name);
  if (topo !== null) out.push(topo);
  const exiting = view.running.filter((r) => r.terminating && r.type === t);
  if (exiting.length > 0) {
    const freeing = exiting.reduce(
      (s, r) => s + (r.placements.length * r.w.member.devices * r.w.member.deviceMilli) / 1000,
      0,
    );
    out.push(
      line(
        Constraint.Preemption,
        false,
        type,
        `${plural(exiting.length, "stopping job")} will free ${fmt(freeing)} ${name} when ${exiting.length === 1 ? "it exits" : "they exit"}`,
        { jobs: exiting.length, devices: freeing },
      ),
    );
  }
  return out;
}

function residencyLine(
  state: ClusterState,
  mask: number,
  w: Workload,
  f: ReturnType<typeof typeFree>,
  need: number,
  name: string,
): ExplainLine {
  const allowed = state.siteIds.filter((_, s) => ((mask >>> s) & 1) === 1);
  const withType = f.sites.filter((s) => s.allowed);
  const elsewhere = f.sites.filter((s) => !s.allowed).reduce((s, x) => s + x.free, 0);
  const others =
    elsewhere > 0
      ? `; ${fmt(elsewhere)} free at ${f.sites
          .filter((s) => !s.allowed && s.free > 0)
          .map((s) => s.site)
          .join(", ")}`
      : "";
  const sites = allowed.length === 1 ? `only site ${allowed[0]}` : `sites ${allowed.join(", ")}`;
  const numbers = {
    residency: w.residency ?? "",
    allowedSites: allowed.join(","),
    freeAllowed: f.freeAllowed,
    freeElsewhere: elsewhere,
    needed: need,
  };
  if (withType.length === 0)
    return line(
      Constraint.Residency,
      true,
      name,
      `residency ${w.residency}: ${sites} allowed, which ${allowed.length === 1 ? "has" : "have"} no ${name}${others}`,
      numbers,
    );
  // blocking only when residency is what cuts the free room below the need
  const blocking = f.freeAllowed < need && f.free > f.freeAllowed;
  return line(
    Constraint.Residency,
    blocking,
    name,
    `residency ${w.residency}: ${sites} allowed, which ${allowed.length === 1 ? "has" : "have"} ${fmt(f.freeAllowed)} free ${name} (needs ${fmt(need)})${others}`,
    numbers,
  );
}

/**
 * The topology line: a required scope blocks when no scope of that level holds all the
 * members; a preferred one (gangs prefer one domain) is a note.
 */
function topologyLine(
  state: ClusterState,
  w: Workload,
  t: number,
  req: ReturnType<typeof memberRequest>,
  per: number,
  name: string,
): ExplainLine | null {
  const level = w.topology?.level ?? (w.members > 1 ? "domain" : undefined);
  if (level === undefined) return null;
  const required = w.topology?.required ?? false;
  // A required scope places all members (no elastic fallback); a preference the minimum.
  const members = required ? w.members : w.minMembers;
  const { largest, roomiest } = largestBlocks(state, req, t, level);
  if (largest === null || roomiest === null) return null;
  const need = members * per;
  const fits = roomiest.members >= members;
  const numbers = {
    level,
    required: required ? "yes" : "no",
    needed: need,
    largestFree: largest.free,
    largestScope: largest.id,
    mostMembers: roomiest.members,
    mostMembersScope: roomiest.id,
  };
  const block = `the largest free block is ${fmt(largest.free)} in ${largest.id}`;
  const members_ =
    largest.free >= need && !fits
      ? `, but no ${level} fits ${members} members of ${fmt(per)} (at most ${roomiest.members}, in ${roomiest.id})`
      : "";
  const text = required
    ? fits
      ? `needs ${fmt(need)} ${name} in one ${level}: ${roomiest.id} has room (${fmt(roomiest.free)} free)`
      : `needs ${fmt(need)} ${name} (${members} × ${fmt(per)}) in one ${level}; ${block}${members_}`
    : fits
      ? `prefers one ${level}: ${roomiest.id} has room (${fmt(roomiest.free)} free)`
      : `prefers one ${level}, but ${block}${members_}, so its members would span ${level}s`;
  if (!required && fits && w.topology === undefined) return null;
  return line(Constraint.Topology, required && !fits, t >= 0 ? name : null, text, numbers);
}
