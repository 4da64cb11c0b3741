/** What simulateWorkloads() takes, and what its audit hook sees after every cycle. */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import type { WorkloadDecision } from "../../core/schedule/types.ts";
import type { TenancySpec } from "../../core/tenancy/spec.ts";
import type { QueueTree } from "../../core/tenancy/tree.ts";
import type { Workload } from "../../core/workload/index.ts";
import type { Disruptions } from "./disruptions.ts";
import type { Run } from "./runs.ts";

export interface WorkloadSimInput extends Disruptions {
  readonly name?: string;
  readonly fleet: Fleet;
  readonly tenancy: TenancySpec;
  readonly workloads: readonly Workload[];
  readonly policy: string;
  readonly seed: number;
  /** Stop here (seconds); default: when all work is done. */
  readonly horizon?: number;
  readonly maxAttempts?: number;
  readonly nodesToScore?: "all" | "adaptive" | number;
  readonly lasThresholds?: readonly number[];
  /** Called after each cycle's decisions are applied (property tests check invariants here). */
  readonly audit?: (view: AuditView) => void;
  /**
   * Work already running at time 0 (a forecast starts from live state): placed before
   * anything else, quota charged, its progress counted from 0. Work that no longer fits
   * (the snapshot's fleet shrank) queues as if it arrived at 0.
   */
  readonly initialRunning?: readonly InitialRun[];
  /** Checked after each instant; true ends the run there (e.g. every watched job started). */
  readonly stopWhen?: () => boolean;
}

/** A workload already running when the simulation starts. */
export interface InitialRun {
  /** `duration` is the work left (seconds at speed 1); `maxRuntime` counts from 0. */
  readonly workload: Workload;
  /** Seconds it has run: its attained service (2D-LAS) is elapsed × devices. */
  readonly elapsed: number;
}

export interface AuditView {
  readonly t: number;
  readonly state: ClusterState;
  readonly tree: QueueTree;
  readonly decisions: readonly WorkloadDecision[];
  readonly running: readonly Run[];
  readonly grace: number;
}
