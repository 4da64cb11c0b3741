/**
 * The simulator's holds: reservation windows (fixed by the scenario) plus room freed
 * by preemption, held for the workloads it was freed for until they start (or the
 * hold lapses), so that nobody else, the victims included, takes it first.
 */
import type { ClusterState } from "../../core/model/cluster.ts";
import type { Hold, Holds } from "../../core/plugins/hold/index.ts";
import type { CompiledDisruptions } from "./disruptions.ts";

/** How long freed room stays held for the workload a preemption was for (s). */
export const BENEFICIARY_HOLD = 600;

export class HoldBook {
  private readonly state: ClusterState;
  private readonly disruptions: CompiledDisruptions;
  /** Beneficiary run index → its hold and the nodes freed for it. */
  private readonly freed = new Map<number, { hold: Hold; nodes: Set<number> }>();
  #built: Holds | null = null;
  /** The time of the last change, while `current` is out of date. */
  #changedAt: number | null = 0;

  constructor(state: ClusterState, disruptions: CompiledDisruptions) {
    this.state = state;
    this.disruptions = disruptions;
  }

  /**
   * What the core reads, as of the last change. Built when read, not on every change:
   * a step's exits and starts change it many times before its one cycle reads it.
   */
  get current(): Holds {
    if (this.#changedAt !== null || this.#built === null) {
      this.#built = this.build(this.#changedAt ?? 0);
      this.#changedAt = null;
    }
    return this.#built;
  }

  /**
   * Holds `nodes` from `t` for each owner (a run index and its workload), adding to what
   * it holds already, and refreshes the holds when there was any owner.
   */
  holdFor(
    owners: readonly { readonly index: number; readonly w: { readonly id: string } }[],
    nodes: readonly number[],
    t: number,
  ): void {
    for (const { index, w } of owners) {
      const held = this.freed.get(index);
      const before = held !== undefined && held.hold.end > t ? held : undefined; // lapsed: gone
      this.freed.set(index, {
        hold: {
          id: `preempted-for:${w.id}`,
          workload: w.id,
          start: before?.hold.start ?? t,
          end: t + BENEFICIARY_HOLD,
        },
        nodes: before === undefined ? new Set(nodes) : addAll(before.nodes, nodes),
      });
    }
    if (owners.length > 0) this.refresh(t);
  }

  /**
   * What the core gets: `current`, or with `live` nothing while no hold is in force (as
   * the live loop does; the core's failure memo then answers repeated shapes).
   */
  forCore(live: boolean): Holds | undefined {
    return live && this.current.list.length === 0 ? undefined : this.current;
  }

  /** Drops run `owner`'s freed-room hold (it started); true when it had one. */
  drop(owner: number): boolean {
    return this.freed.delete(owner);
  }

  /** The holds changed at `t` (`current` recomputes them when next read). */
  refresh(t: number): void {
    this.#changedAt = t;
  }

  /** Reservations still open at `t`, then freed-room holds over them. */
  private build(t: number): Holds {
    const byNode = new Int32Array(this.state.nodeCount).fill(-1);
    const list: Hold[] = [];
    this.disruptions.holds.forEach((h, i) => {
      if (h.end <= t) return;
      for (const n of this.disruptions.holdNodes[i]) byNode[n] = list.length;
      list.push(h);
    });
    // A node freed for several beneficiaries is held for all of them, not the last one.
    // Holds that lapsed are forgotten: their room is free again (and must not hide a
    // reservation on the same node).
    const owners = new Map<number, Hold[]>();
    for (const [index, { hold, nodes }] of this.freed) {
      if (hold.end <= t) {
        this.freed.delete(index);
        continue;
      }
      for (const n of nodes) {
        const hs = owners.get(n);
        if (hs === undefined) owners.set(n, [hold]);
        else hs.push(hold);
      }
    }
    const shared = new Map<string, number>();
    for (const [n, hs] of owners) {
      const key = hs.length === 1 ? hs[0].id : hs.map((h) => h.id).join("+");
      let h = shared.get(key);
      if (h === undefined) {
        h = list.length;
        shared.set(key, h);
        list.push(
          hs.length === 1
            ? hs[0]
            : {
                id: key,
                workloads: new Set(hs.map((x) => x.workload!)),
                start: Math.min(...hs.map((x) => x.start)),
                end: Math.max(...hs.map((x) => x.end)),
              },
        );
      }
      byNode[n] = h;
    }
    return { byNode, list };
  }
}

function addAll<T>(set: Set<T>, xs: readonly T[]): Set<T> {
  for (const x of xs) set.add(x);
  return set;
}
