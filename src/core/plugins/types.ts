/**
 * Plugin phases, after the Kubernetes scheduler framework: Sort orders the queue,
 * Filter rejects nodes, Score ranks the survivors, Reserve picks the devices.
 * A plugin implements only the phases it needs; a Policy lists them.
 */
import type { ClusterState } from "../model/cluster.ts";
import type { Request } from "../model/request.ts";
import type { Rng } from "../rng.ts";
import type { Holds } from "./hold/index.ts";

/** What a plugin sees during one cycle: a read-only snapshot, the time and the seeded rng. */
export interface CycleContext {
  readonly state: Readonly<ClusterState>;
  readonly now: number;
  readonly rng: Rng;
  /** Optional tie-break order over nodes; see CycleInput.nodeRank. */
  readonly nodeRank?: Int32Array;
  /** Nodes reserved for someone; see ./hold/index.ts. */
  readonly holds?: Holds;
  /**
   * A miss says only whether the request could ever fit, not how many nodes refused it
   * for what: the per-node recount is most of a miss's cost, and a simulation that
   * reads no reasons need not pay it. Decisions are the same either way.
   */
  readonly briefReasons?: boolean;
}

export interface SortPlugin {
  readonly name: string;
  /** Negative when `a` should be tried before `b`. Must be a total order (break ties on id). */
  compare(a: Request, b: Request): number;
}

export interface FilterPlugin {
  readonly name: string;
  /** Human reasons, indexed by the codes that filter() returns (index 0 unused). */
  readonly reasons: readonly string[];
  /** 0 when `node` can host `req`, else an index into `reasons`. Hot path: no allocation. */
  filter(ctx: CycleContext, req: Request, node: number): number;
}

export interface ScorePlugin {
  readonly name: string;
  /** Higher is better. Called only for nodes that passed every filter. */
  score(ctx: CycleContext, req: Request, node: number): number;
  /** Optional rescaling of the raw scores of all feasible nodes, in place. */
  normalize?(scores: Float64Array, count: number): void;
}

export interface ReservePlugin {
  readonly name: string;
  /** Global indices of the devices to take on `node` (empty for CPU-only work), or null if none fit. */
  selectDevices(ctx: CycleContext, req: Request, node: number): number[] | null;
}

export interface WeightedScore {
  readonly plugin: ScorePlugin;
  readonly weight: number;
}

export interface Policy {
  readonly name: string;
  readonly sort: SortPlugin;
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly WeightedScore[];
  readonly reserve: ReservePlugin;
  /**
   * Strict order: stop the cycle at the first job that cannot start (Slurm-style FIFO).
   * When false, later jobs may start past a blocked one (Kubernetes-style).
   */
  readonly blocking: boolean;
  /**
   * How many feasible nodes to find before scoring: "all" scans the whole fleet (the
   * FGD paper's setting); "adaptive" follows kube-scheduler's percentageOfNodesToScore
   * (50 % − nodes/125, at least 5 % and 100 nodes) from a seeded random start, which
   * keeps 300k-device fleets fast; a number fixes the count.
   */
  readonly nodesToScore: "all" | "adaptive" | number;
}
