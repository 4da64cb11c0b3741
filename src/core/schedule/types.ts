/**
 * What the multi-tenant scheduler reads and returns. Drivers (the simulator, the
 * service) own the pending and running sets and apply the decisions.
 */
import type { ClusterState } from "../model/cluster.ts";
import type { Placement } from "../model/ledger.ts";
import type { Request } from "../model/request.ts";
import type { Holds } from "../plugins/hold/index.ts";
import type { Policy } from "../plugins/types.ts";
import type { Rng } from "../rng.ts";
import type { Status } from "../status.ts";
import type { DecayedUsage } from "../tenancy/fairshare.ts";
import type { QueueTree } from "../tenancy/tree.ts";
import type { Workload } from "../workload/index.ts";

export interface PendingWorkload {
  readonly w: Workload;
  /** Leaf queue index in the tree. */
  readonly queue: number;
  /** Device-seconds of service received so far (2D-LAS reads it). */
  readonly attained: number;
}

export interface RunningWorkload {
  readonly w: Workload;
  readonly queue: number;
  /** Device type index charged to the quota; -1 for CPU-only work. */
  readonly type: number;
  readonly request: Request;
  readonly placements: readonly Placement[];
  /** When the current run started. */
  readonly startTime: number;
  /** When the run should end by its estimate (backfill plans with it). */
  readonly estimatedEnd: number;
  readonly attained: number;
  /** Preempted and exiting at the end of its grace period: do not preempt again. */
  readonly terminating: boolean;
}

export const ORDERS = ["fifo", "sjf", "priority", "drf", "fairshare", "las"] as const;
export type OrderName = (typeof ORDERS)[number];

export interface SchedulerPolicy {
  readonly name: string;
  readonly description: string;
  readonly order: OrderName;
  /** Node plugins (filters, scorers, device reserve) every member placement uses. */
  readonly node: Policy;
  /** Stop at the first workload that cannot start (Slurm without backfill). */
  readonly strict: boolean;
  /** EASY backfill: reserve for the blocked head, start others that do not delay it. */
  readonly backfill: boolean;
  /** Preempt borrowers when a queue within its guarantee cannot start. */
  readonly reclaim: boolean;
  /** Preempt lower-tier work (priority, or LAS level) of the same queue or of borrowers. */
  readonly preemptLowerTier: boolean;
  /** 2D-LAS queue thresholds in device-seconds, ascending. */
  readonly lasThresholds: readonly number[];
  /** Workloads tried per cycle at most (the rest wait for the next cycle). */
  readonly maxAttempts: number;
  /** Victim searches (reclaim or lower-tier preemption) per cycle at most. */
  readonly maxPreemptionSearches: number;
}

export interface ScheduleInput {
  readonly state: ClusterState;
  readonly tree: QueueTree;
  /** Pending workloads per leaf queue (index = queue), each sorted by withinQueue(). */
  readonly pending: readonly (readonly PendingWorkload[])[];
  readonly running: readonly RunningWorkload[];
  /**
   * The running workloads below their size (elastic, or a service that lost replicas),
   * where the caller tracks them; else found by scanning `running` every cycle.
   */
  readonly short?: readonly RunningWorkload[];
  readonly policy: SchedulerPolicy;
  readonly now: number;
  readonly rng: Rng;
  readonly holds?: Holds;
  /** See CycleContext.briefReasons. */
  readonly briefReasons?: boolean;
  /**
   * Pending workloads the room of terminating work was promised to in earlier cycles
   * (preemption beneficiaries, workloads told to wait for exits), in the order promised:
   * others count only the room left after them.
   */
  readonly promised?: readonly PendingWorkload[];
  /** Decayed usage, for the fairshare order. */
  readonly usage?: DecayedUsage;
  readonly nodeRank?: Int32Array;
}

export type PreemptReason = "reclaim" | "priority";

export type WorkloadDecision =
  | {
      readonly kind: "start";
      readonly entry: PendingWorkload;
      readonly type: number;
      readonly request: Request;
      readonly placements: readonly Placement[];
      /** Topology levels the members span. */
      readonly crossed: number;
    }
  | {
      readonly kind: "preempt";
      readonly victim: RunningWorkload;
      /** Members to stop (the newest ones); all of them unless it keeps a minimum. */
      readonly members: number;
      /** The workload the room is for. */
      readonly beneficiary: PendingWorkload;
      readonly reason: PreemptReason;
    }
  | { readonly kind: "wait"; readonly entry: PendingWorkload; readonly status: Status }
  | {
      /** New members for running work below its size (elastic, or a service regaining replicas). */
      readonly kind: "grow";
      readonly running: RunningWorkload;
      readonly placements: readonly Placement[];
    };
