/**
 * Workload: what a tenant submits. A gang of `members` identical members, each a
 * single-node request, placed all or nothing. Elastic workloads may start with
 * `minMembers` and grow; inference services keep at least `minMembers` replicas.
 * Times are seconds on the driver's clock.
 */
import type { Job } from "../model/job.ts";

export const WorkloadClass = {
  /** Gang training: rigid or elastic, usually preemptible with checkpoints. */
  Batch: "batch",
  /** A long-running service: never ends, never preempted below minMembers. */
  Inference: "inference",
  /** Physical-AI simulation / RL: many small fractional-device jobs. */
  Simulation: "simulation",
  /** Notebooks: short, small, high priority. */
  Interactive: "interactive",
} as const;
export type WorkloadClass = (typeof WorkloadClass)[keyof typeof WorkloadClass];
export const WORKLOAD_CLASSES: readonly WorkloadClass[] = Object.values(WorkloadClass);

/** Topology levels, finest first; the index is the number of levels crossed. */
export const TOPOLOGY_LEVELS = ["domain", "rack", "site", "fleet"] as const;
export type TopologyLevel = (typeof TOPOLOGY_LEVELS)[number];

/** Per-member resources: one node's worth, as in Job. */
export interface MemberShape {
  readonly devices: number;
  /** Share of each device in thousandths (1..1000; 1000 when devices > 1). */
  readonly deviceMilli: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

export interface Workload {
  readonly id: string;
  /** Leaf queue path, e.g. "hyundai/robotics/sim". */
  readonly queue: string;
  readonly class: WorkloadClass;
  readonly submitTime: number;
  /**
   * Run time with all members on speed-1.0 devices; Infinity for a service. An
   * elastic job with k < members runs members/k times longer (work is conserved).
   */
  readonly duration: number;
  /** The user's runtime estimate (backfill and reservations trust it); default duration. */
  readonly estimate?: number;
  readonly members: number;
  /** Members it can start with (elastic) or must keep (inference); = members when rigid. */
  readonly minMembers: number;
  readonly member: MemberShape;
  /** Device types accepted; empty accepts any. */
  readonly deviceTypes: readonly string[];
  /** Gavel-style throughput per device type (relative, speed-1.0 = H100); default: the type's speed. */
  readonly speeds?: Readonly<Record<string, number>>;
  /** Larger is more important. */
  readonly priority: number;
  readonly preemptible: boolean;
  /** Killed when a run lasts longer than this (its QoS's limit), seconds. */
  readonly maxRuntime?: number;
  /** A site id or a jurisdiction label; the workload may only run where it matches. */
  readonly residency?: string;
  /** Prefer (or require) all members inside one domain, rack or site. */
  readonly topology?: {
    readonly level: Exclude<TopologyLevel, "fleet">;
    readonly required: boolean;
  };
}

/** Member k of a workload as a single-node Job, so the node plugins can place it. */
export function memberJob(w: Workload, k: number): Job {
  return {
    id: `${w.id}#${k}`,
    submitTime: w.submitTime,
    duration: w.duration,
    devices: w.member.devices,
    deviceMilli: w.member.deviceMilli,
    cpuMilli: w.member.cpuMilli,
    memoryMiB: w.member.memoryMiB,
    deviceTypes: w.deviceTypes,
    priority: w.priority,
    tenant: w.queue,
    residency: w.residency,
  };
}

/** Device demand of `members` members, in milli-devices (e.g. 4 × 8 × 1000). */
export function workloadMilli(w: Workload, members: number = w.members): number {
  return members * w.member.devices * w.member.deviceMilli;
}

/** The runtime estimate backfill and reservations use. */
export function estimateOf(w: Workload): number {
  return w.estimate ?? w.duration;
}
