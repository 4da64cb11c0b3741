/**
 * The multi-tenant policies by name. Each pairs a queue order and its preemption and
 * backfill switches with node plugins; every one of them places gangs topology-aware
 * and honours quotas, holds and residency (those are not optional).
 */
import { GongjangError } from "../errors.ts";
import type { DeviceType } from "../model/fleet.ts";
import type { Job } from "../model/job.ts";
import * as hold from "../plugins/hold/index.ts";
import { createPolicy, type PolicyName } from "../registry.ts";
import type { SchedulerPolicy } from "./types.ts";

/** Tiresias's 2D-LAS default: two queues split at 3,250 GPU-seconds of attained service. */
export const TIRESIAS_THRESHOLDS: readonly number[] = [3250];

interface Def {
  readonly description: string;
  readonly order: SchedulerPolicy["order"];
  readonly strict: boolean;
  readonly backfill: boolean;
  readonly reclaim: boolean;
  readonly preemptLowerTier: boolean;
  readonly node: PolicyName;
}

export const SCHEDULER_POLICIES = {
  fifo: {
    description:
      "strict first-come first-served; the head blocks the queue (Slurm without backfill)",
    order: "fifo",
    strict: true,
    backfill: false,
    reclaim: false,
    preemptLowerTier: false,
    node: "bestfit",
  },
  sjf: {
    description: "shortest runtime estimate first, non-preemptive",
    order: "sjf",
    strict: false,
    backfill: false,
    reclaim: false,
    preemptLowerTier: false,
    node: "bestfit",
  },
  backfill: {
    description: "FIFO with EASY backfill: a reservation for the head, others start around it",
    order: "fifo",
    strict: true,
    backfill: true,
    reclaim: false,
    preemptLowerTier: false,
    node: "bestfit",
  },
  priority: {
    description: "priority classes, preempting lower priorities in the same queue or borrowers",
    order: "priority",
    strict: false,
    backfill: false,
    reclaim: true,
    preemptLowerTier: true,
    node: "bestfit",
  },
  las: {
    description: "Tiresias discretised 2D-LAS: least attained device-seconds first, preemptive",
    order: "las",
    strict: false,
    backfill: false,
    reclaim: false,
    preemptLowerTier: true,
    node: "bestfit",
  },
  drf: {
    description: "hierarchical DRF across queues (Kueue-style fair sharing) with reclaim",
    order: "drf",
    strict: false,
    backfill: false,
    reclaim: true,
    preemptLowerTier: false,
    node: "bestfit",
  },
  fairshare: {
    description: "Slurm multifactor: priority, then decayed fair-share factor; EASY backfill",
    order: "fairshare",
    strict: true,
    backfill: true,
    reclaim: true,
    preemptLowerTier: false,
    node: "bestfit",
  },
  "gongjang-default": {
    description:
      "DRF + reclaim + priority preemption + EASY backfill, fragmentation-aware (FGD) placement",
    order: "drf",
    strict: true,
    backfill: true,
    reclaim: true,
    preemptLowerTier: true,
    node: "fgd",
  },
} as const satisfies Record<string, Def>;

export type SchedulerPolicyName = keyof typeof SCHEDULER_POLICIES;

export interface SchedulerPolicyOptions {
  readonly deviceTypes: readonly DeviceType[];
  /** Member jobs of the workload, for FGD's typical shapes. */
  readonly memberJobs?: readonly Job[];
  readonly lasThresholds?: readonly number[];
  readonly maxAttempts?: number;
  readonly maxPreemptionSearches?: number;
  readonly nodesToScore?: "all" | "adaptive" | number;
}

export function isSchedulerPolicyName(name: string): name is SchedulerPolicyName {
  return Object.hasOwn(SCHEDULER_POLICIES, name);
}

/** Builds a named policy; unknown names throw GJ_ERR_POLICY_UNKNOWN listing the known ones. */
export function createSchedulerPolicy(name: string, o: SchedulerPolicyOptions): SchedulerPolicy {
  if (!isSchedulerPolicyName(name))
    throw new GongjangError(
      "GJ_ERR_POLICY_UNKNOWN",
      `unknown scheduling policy "${name}"; known: ${Object.keys(SCHEDULER_POLICIES).join(", ")}`,
    );
  const def: Def = SCHEDULER_POLICIES[name];
  const node = createPolicy(def.node, {
    deviceTypes: o.deviceTypes,
    workload: o.memberJobs,
    nodesToScore: o.nodesToScore,
  });
  return {
    name,
    description: def.description,
    order: def.order,
    node: { ...node, filters: [...node.filters, hold.create()] },
    strict: def.strict,
    backfill: def.backfill,
    reclaim: def.reclaim,
    preemptLowerTier: def.preemptLowerTier,
    lasThresholds: o.lasThresholds ?? TIRESIAS_THRESHOLDS,
    maxAttempts: o.maxAttempts ?? 128,
    maxPreemptionSearches: o.maxPreemptionSearches ?? 32,
  };
}
