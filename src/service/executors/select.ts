/**
 * Builds the executor `gongjang serve --executor` names: `sim` (wall-clock sleeps),
 * `slurm` (a real Slurm cluster through its CLI) or `agent` (GPU node agents). With
 * `agent`, `agentNodes` may limit the agents to some nodes; the rest then run on the
 * sim executor, through a RoutedExecutor.
 */
import { GongjangError } from "../../core/errors.ts";
import type { Fleet } from "../../core/model/fleet.ts";
import { AgentHub } from "../agents/hub.ts";
import { AgentExecutor } from "./agent/index.ts";
import { RoutedExecutor } from "./router.ts";
import { SimExecutor } from "./sim/index.ts";
import { SlurmCli } from "./slurm/cli.ts";
import { SlurmExecutor } from "./slurm/executor.ts";
import type { Executor } from "./types.ts";

export const EXECUTORS = ["sim", "slurm", "agent"] as const;
export type ExecutorKind = (typeof EXECUTORS)[number];

export interface ExecutorChoice {
  readonly kind: string;
  readonly fleet: Fleet;
  /** sim: run jobs this many times faster than declared. */
  readonly speedup?: number;
  /** agent: node ids or `prefix*` patterns served by agents; default every node. */
  readonly agentNodes?: readonly string[];
  readonly heartbeatMs?: number;
  readonly timeoutMs?: number;
  /** slurm: where job output goes (a filesystem the nodes share). */
  readonly slurmLogDir?: string;
  readonly slurmPartition?: string;
  readonly slurmCli?: SlurmCli;
}

/** A node matcher for `patterns` (`gpu-1`, `gpu-*`); every node when undefined. */
export function nodeMatcher(patterns: readonly string[] | undefined): (node: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  const exact = new Set(patterns.filter((p) => !p.endsWith("*")));
  const prefixes = patterns.filter((p) => p.endsWith("*")).map((p) => p.slice(0, -1));
  return (node) => exact.has(node) || prefixes.some((p) => node.startsWith(p));
}

/**
 * The executor and the agent hub for a serve. GJ_ERR_ARGUMENT for an unknown kind
 * or a Slurm executor without a log directory.
 */
export function buildExecutor(c: ExecutorChoice): { executor: Executor; agents?: AgentHub } {
  const kind = c.kind as ExecutorKind;
  switch (kind) {
    case "sim":
      return { executor: new SimExecutor({ speedup: c.speedup }) };
    case "slurm": {
      if (c.slurmLogDir === undefined)
        throw new GongjangError("GJ_ERR_ARGUMENT", "--executor slurm needs --slurm-log-dir", {
          path: "--slurm-log-dir",
        });
      return {
        executor: new SlurmExecutor({
          cli: c.slurmCli ?? new SlurmCli(),
          logDir: c.slurmLogDir,
          ...(c.slurmPartition !== undefined && { partition: c.slurmPartition }),
        }),
      };
    }
    case "agent": {
      checkPatterns(c.fleet, c.agentNodes ?? []);
      const serves = nodeMatcher(c.agentNodes);
      const agents = new AgentHub({
        fleet: c.fleet,
        serves,
        heartbeatMs: c.heartbeatMs,
        timeoutMs: c.timeoutMs,
      });
      const agent = new AgentExecutor({ hub: agents });
      if (c.agentNodes === undefined || c.agentNodes.length === 0)
        return { executor: agent, agents };
      const sim = new SimExecutor({ speedup: c.speedup });
      return {
        executor: new RoutedExecutor([{ executor: agent, nodes: serves }, { executor: sim }]),
        agents,
      };
    }
    default: {
      const never: never = kind;
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--executor: expected one of ${EXECUTORS.join(", ")}, got "${never}"`,
        { path: "--executor" },
      );
    }
  }
}

/** GJ_ERR_ARGUMENT for an --agent-nodes pattern no fleet node matches (a typo would send every job to sim). */
function checkPatterns(fleet: Fleet, patterns: readonly string[]): void {
  const ids: string[] = [];
  for (const s of fleet.sites)
    for (const r of s.racks) for (const d of r.domains) for (const n of d.nodes) ids.push(n.id);
  for (const p of patterns) {
    const match = nodeMatcher([p]);
    if (!ids.some(match))
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--agent-nodes: "${p}" matches no node of the fleet (${ids.length} nodes, e.g. ${ids.slice(0, 3).join(", ")})`,
        { path: "--agent-nodes" },
      );
  }
}
