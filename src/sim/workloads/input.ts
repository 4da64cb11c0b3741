/** What simulateWorkloads() takes, and what its audit hook sees after every cycle. */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import type { SchedulerPolicy, WorkloadDecision } from "../../core/schedule/types.ts";
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
  /** Decayed fair-share usage per queue path at t = 0 (the `fairshare` order reads it). */
  readonly initialUsage?: Readonly<Record<string, number>>;
  /** Checked after each instant `t`; true ends the run there (e.g. every watched job started). */
  readonly stopWhen?: (t: number) => boolean;
  /**
   * A policy built already (by createSchedulerPolicy for `policy` on this fleet): runs
   * that share one skip compiling its typical shapes again. Its caches are keyed by the
   * cluster state, so runs may share it one after another, never at once.
   */
  readonly schedulerPolicy?: SchedulerPolicy;
  /**
   * Seconds: the events up to the next multiple of it apply at their own times, then one
   * cycle runs at the last of them (a forecast needs minutes, not seconds, and cycles
   * are its cost). A start comes less than `quantum` late, and only when other events
   * share its step. Default 0: every event time gets its own cycle.
   */
  readonly quantum?: number;
  /**
   * With `quantum`: the step doubles while it stays under this fraction of the time
   * (0.05, quantum 60 s: events 10 h in wait for the next multiple of 16 min), so
   * far-off cycles are few. Default 0.
   */
  readonly relativeQuantum?: number;
  /**
   * Pass the core no holds while none is in force, as the live loop does; its failure
   * memo then answers repeated shapes within a cycle. Default false (the holds object is
   * always passed; kept so that existing outputs stay byte-identical).
   */
  readonly liveHolds?: boolean;
  /**
   * Cycles after this time give brief wait reasons (CycleContext.briefReasons): the
   * decisions are the same, only the per-node refusal counts are not made. A forecast
   * reads reasons at its first cycle only. Default: every cycle gives full reasons.
   */
  readonly briefReasonsAfter?: number;
}

/** A workload already running when the simulation starts. */
export interface InitialRun {
  /** `duration` is the work left (seconds at speed 1); `maxRuntime` counts from 0. */
  readonly workload: Workload;
  /** Seconds it has run: its attained service (2D-LAS) is elapsed × devices. */
  readonly elapsed: number;
  /**
   * Where it really runs: kept when those devices are there and free (in input order),
   * else it is placed again by the policy's node plugins like work without `at`.
   */
  readonly at?: InitialAt;
}

/** A running workload's real placement, in fleet terms. */
export interface InitialAt {
  /** Its device type id; null for CPU-only work. */
  readonly deviceType: string | null;
  /** One entry per member: node id and device indices local to that node. */
  readonly members: readonly { readonly node: string; readonly devices: readonly number[] }[];
}

export interface AuditView {
  readonly t: number;
  readonly state: ClusterState;
  readonly tree: QueueTree;
  readonly decisions: readonly WorkloadDecision[];
  readonly running: readonly Run[];
  readonly grace: number;
}
