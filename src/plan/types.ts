/**
 * Capacity planning's input: variants, each a named list of changes to one scenario
 * spec. The format is in docs/planning.md; variants-file.ts reads it, apply.ts
 * applies it.
 */
import type { WorkloadClass } from "../core/workload/index.ts";
import type { DemandChange } from "../scenario/demand-growth.ts";

/** The kinds of change, by the key a variants file spells them with. */
export const ChangeKind = {
  /** Move a delivery tranche by a signed number of seconds. */
  ShiftTranche: "shiftTranche",
  /** Buy devices: new nodes shaped like one of the fleet's, delivered at a time. */
  AddDevices: "addDevices",
  /** Give devices back: the last nodes of a type retire at a time. */
  RemoveDevices: "removeDevices",
  /** Named nodes retire at a time. */
  RetireNodes: "retireNodes",
  /** A tenant's or a class's demand steps and/or grows (a DemandChange). */
  ScaleDemand: "scaleDemand",
  /** A queue's guarantee (and limits) for one device type. */
  SetGuarantee: "setGuarantee",
  /** The device types a tenant's workloads of one class run on (e.g. ported to NPUs). */
  SetDeviceTypes: "setDeviceTypes",
} as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];
export const CHANGE_KINDS: readonly ChangeKind[] = Object.values(ChangeKind);

export type Change =
  | { readonly kind: typeof ChangeKind.ShiftTranche; readonly tranche: string; readonly by: number }
  | {
      readonly kind: typeof ChangeKind.AddDevices;
      readonly deviceType: string;
      readonly devices: number;
      /** Delivery time, seconds; 0: there from the start. */
      readonly at: number;
      /** The node to copy (CPU, memory, devices per node, site, domain size). */
      readonly like?: string;
    }
  | {
      readonly kind: typeof ChangeKind.RemoveDevices;
      readonly deviceType: string;
      readonly devices: number;
      readonly at: number;
    }
  | {
      readonly kind: typeof ChangeKind.RetireNodes;
      readonly nodes: readonly string[];
      readonly at: number;
      readonly drainStart?: number;
    }
  | { readonly kind: typeof ChangeKind.ScaleDemand; readonly demand: DemandChange }
  | {
      readonly kind: typeof ChangeKind.SetGuarantee;
      readonly queue: string;
      readonly deviceType: string;
      readonly guaranteed: number;
      readonly borrowLimit?: number;
      readonly lendLimit?: number;
    }
  | {
      readonly kind: typeof ChangeKind.SetDeviceTypes;
      readonly queue: string;
      readonly class: WorkloadClass;
      readonly deviceTypes: readonly string[];
    };

/** One variant: a named list of changes to the scenario. */
export interface Variant {
  readonly name: string;
  readonly description: string;
  readonly changes: readonly Change[];
}

/** The name of the variant that is the scenario unchanged; always run first. */
export const BASELINE = "baseline";
