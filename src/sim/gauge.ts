/**
 * Cluster-wide allocation and FGD fragmentation, kept up to date incrementally: the
 * world reports each allocated or released share and each node it touched, and
 * refresh() recomputes fragmentation for the touched nodes only.
 */
import { type ClusterState, MILLI, totalDevices } from "../core/model/cluster.ts";
import { nodeFrag } from "../core/plugins/fgd/frag.ts";
import type { TypicalShape } from "../core/plugins/fgd/typical.ts";
import { NodeSet } from "./node-set.ts";

export class ClusterGauge {
  private readonly state: ClusterState;
  private readonly typical: readonly TypicalShape[];
  private readonly frag: Float64Array;
  private readonly touched: NodeSet;
  private readonly capacityMilli: number;
  private fragSum = 0;
  private allocatedMilli = 0;

  /** Measures `state` from scratch; `typical` is the workload's typical shapes. */
  constructor(state: ClusterState, typical: readonly TypicalShape[]) {
    this.state = state;
    this.typical = typical;
    this.frag = new Float64Array(state.nodeCount);
    this.touched = new NodeSet(state.nodeCount);
    this.capacityMilli = totalDevices(state) * MILLI;
    for (let n = 0; n < state.nodeCount; n++) this.touch(n);
    this.refresh();
  }

  /** Notes that `node` changed (placement, release, cordon, join). */
  touch(node: number): void {
    this.touched.add(node);
  }

  /** Adds (or, negative, removes) allocated device share in milli-devices. */
  allocate(milli: number): void {
    this.allocatedMilli += milli;
  }

  /**
   * Recomputes fragmentation on the touched nodes. A node that takes no work
   * (cordoned, failed, not yet joined) counts as absent, not as fragmented.
   */
  refresh(): void {
    const { list, count } = this.touched;
    for (let i = 0; i < count; i++) {
      const n = list[i];
      this.fragSum -= this.frag[n];
      this.frag[n] = this.state.schedulable[n] === 1 ? nodeFrag(this.state, n, this.typical) : 0;
      this.fragSum += this.frag[n];
    }
    this.touched.clear();
  }

  /** Allocated device share, % of every device in the fleet. */
  allocationPct(): number {
    return this.capacityMilli > 0 ? (this.allocatedMilli / this.capacityMilli) * 100 : 0;
  }

  /** Fragmented devices on schedulable nodes (whole devices, may be fractional). */
  fragmentedDevices(): number {
    return this.fragSum / MILLI;
  }

  /** Fragmented device share on schedulable nodes, % of every device in the fleet. */
  fragmentationPct(): number {
    return this.capacityMilli > 0 ? (this.fragSum / this.capacityMilli) * 100 : 0;
  }
}
