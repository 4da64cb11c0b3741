/** The agent hub's options and what it reports (see ./hub.ts). */
import type { Fleet } from "../../core/model/fleet.ts";
import type { GpuHealth } from "./protocol.ts";

export interface AgentHubOptions {
  readonly fleet: Fleet;
  /** Nodes served by agents; default none (a service without the agent executor). */
  readonly serves?: (node: string) => boolean;
  /** How often agents heartbeat; default 5 s. */
  readonly heartbeatMs?: number;
  /** Silence after which a node is down; default 3 heartbeats. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** A node state change for the store (node table and audit). */
export interface NodeEvent {
  readonly node: string;
  readonly state: "down" | "up";
  readonly reason: string;
}

/** What the hub knows about a node's agent (also the GET /v1/agents view). */
export interface AgentInfo {
  readonly node: string;
  readonly session: string;
  readonly hostname: string | null;
  readonly version: string | null;
  readonly driverVersion: string | null;
  readonly registeredAt: number;
  lastSeen: number;
  readonly devices: readonly string[];
  gpus: readonly GpuHealth[];
  seq: number;
}
