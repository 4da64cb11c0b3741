/**
 * Every policy by name, in one place. A policy is a queue order, filters, weighted
 * scorers and a device reserve. The six FGD-paper policies keep the published
 * simulator's pairing of node scorer and device choice.
 */
import { GongjangError } from "./errors.ts";
import type { DeviceType } from "./model/fleet.ts";
import type { Job } from "./model/job.ts";
import * as bestfit from "./plugins/bestfit/index.ts";
import * as devices from "./plugins/device-select.ts";
import * as dotprod from "./plugins/dotprod/index.ts";
import * as fgd from "./plugins/fgd/index.ts";
import { typicalShapes } from "./plugins/fgd/typical.ts";
import * as firstfit from "./plugins/firstfit/index.ts";
import * as fit from "./plugins/fit/index.ts";
import * as gpuclustering from "./plugins/gpuclustering/index.ts";
import * as gpupacking from "./plugins/gpupacking/index.ts";
import { QUEUE_ORDERS, type QueueOrderName } from "./plugins/queue-sort.ts";
import * as random from "./plugins/random/index.ts";
import type { Policy, ReservePlugin, ScorePlugin } from "./plugins/types.ts";

export interface PolicyOptions {
  /** Device types of the cluster the policy will run on (FGD needs them). */
  readonly deviceTypes: readonly DeviceType[];
  /** The workload FGD takes its target distribution from (typically the whole trace). */
  readonly workload?: readonly Job[];
  readonly queue?: QueueOrderName;
  readonly blocking?: boolean;
  /** See Policy.nodesToScore; default "adaptive" (a full scan up to 2,000 nodes). */
  readonly nodesToScore?: Policy["nodesToScore"];
}

interface PolicyDef {
  /** The published label, e.g. "06-FGD"; absent for policies outside the paper. */
  readonly label?: string;
  readonly description: string;
  readonly build: (o: PolicyOptions) => { score: ScorePlugin; reserve: ReservePlugin };
}

export const POLICIES = {
  random: {
    label: "01-Random",
    description: "a uniformly random feasible node",
    build: () => ({ score: random.create(), reserve: devices.random }),
  },
  dotprod: {
    label: "02-DotProd",
    description: "Tetris-style alignment of free resources and request",
    build: () => ({ score: dotprod.create(), reserve: devices.bestFit }),
  },
  gpuclustering: {
    label: "03-GpuClustering",
    description: "keep jobs of one shape on the same nodes",
    build: () => ({ score: gpuclustering.create(), reserve: devices.bestFit }),
  },
  gpupacking: {
    label: "04-GpuPacking",
    description: "share used devices first, then used nodes, then empty nodes",
    build: () => ({ score: gpupacking.create(), reserve: devices.bestFit }),
  },
  bestfit: {
    label: "05-BestFit",
    description: "least CPU and device share left after placement",
    build: () => ({ score: bestfit.create(), reserve: devices.bestFit }),
  },
  fgd: {
    label: "06-FGD",
    description: "fragmentation gradient descent over the workload's typical shapes",
    build: (o) => {
      const plugin = fgd.create({ typical: typicalShapes(o.workload ?? [], o.deviceTypes) });
      return { score: plugin, reserve: plugin };
    },
  },
  firstfit: {
    description: "the first feasible node in fleet order",
    build: () => ({ score: firstfit.create(), reserve: devices.firstFit }),
  },
} as const satisfies Record<string, PolicyDef>;

export type PolicyName = keyof typeof POLICIES;

export function isPolicyName(name: string): name is PolicyName {
  return Object.hasOwn(POLICIES, name);
}

/** Builds a named policy. Unknown names throw GJ_ERR_POLICY_UNKNOWN listing the valid ones. */
export function createPolicy(name: string, options: PolicyOptions): Policy {
  if (!isPolicyName(name)) {
    throw new GongjangError(
      "GJ_ERR_POLICY_UNKNOWN",
      `unknown policy "${name}"; known: ${Object.keys(POLICIES).join(", ")}`,
    );
  }
  const queue = options.queue ?? "fifo";
  const { score, reserve } = POLICIES[name].build(options);
  return {
    name,
    sort: QUEUE_ORDERS[queue],
    filters: [fit.create()],
    scores: [{ plugin: score, weight: 1 }],
    reserve,
    blocking: options.blocking ?? false,
    nodesToScore: options.nodesToScore ?? "adaptive",
  };
}

/** The label the FGD paper's results use for a policy, e.g. "06-FGD". */
export function policyLabel(name: PolicyName): string {
  const def: PolicyDef = POLICIES[name];
  return def.label ?? name;
}
