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
}

export interface AuditView {
  readonly t: number;
  readonly state: ClusterState;
  readonly tree: QueueTree;
  readonly decisions: readonly WorkloadDecision[];
  readonly running: readonly Run[];
  readonly grace: number;
}
