/**
 * The node agent protocol's messages (HTTP + JSON under /v1/agents, token role `agent`).
 * Schemas for the routes and the plain types both sides share; src/agent imports the
 * types only, so the agent does not load the service.
 *
 *   POST /v1/agents/register   discovery + every run the agent knows → session id
 *   POST /v1/agents/heartbeat  health, samples and run states (long-polls up to waitMs)
 *                              → the runs the node should run, the ones to cancel, and
 *                                the ended runs the service has taken (ack)
 *
 * The reply is level-triggered: it always lists everything the node should be running,
 * so a lost reply costs nothing but latency, and the agent starts each run key at most once.
 */
import { type Static, Type } from "typebox";

const Key = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9._:-]+$" });
const NodeId = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9._:-]+$" });
const Uuid = Type.String({ minLength: 1, maxLength: 100 });
const Num = (o: object = {}) => Type.Union([Type.Number({ minimum: 0, ...o }), Type.Null()]);

/** One schedulable device as discovered: a GPU, or a MIG instance of one. */
export const AgentDevice = Type.Object(
  {
    uuid: Uuid,
    /** Model as nvidia-smi names it ("NVIDIA H100 80GB HBM3"). */
    model: Type.String({ maxLength: 200 }),
    memoryMiB: Num(),
    /** The MIG profile ("3g.40gb") for a MIG instance, else null. */
    mig: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type AgentDevice = Static<typeof AgentDevice>;

export const RUN_STATES = ["running", "succeeded", "failed", "cancelled", "lost"] as const;
export type AgentRunState = (typeof RUN_STATES)[number];

/** A run as the agent reports it. `lost`: the agent restarted and killed it. */
export const AgentRun = Type.Object(
  {
    key: Key,
    state: Type.Union([
      Type.Literal("running"),
      Type.Literal("succeeded"),
      Type.Literal("failed"),
      Type.Literal("cancelled"),
      Type.Literal("lost"),
    ]),
    exitCode: Type.Optional(Type.Union([Type.Integer({ minimum: -1, maximum: 255 }), Type.Null()])),
    signal: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    /** GPU memory held by the run's processes (MiB) and the mean utilisation (%) of their GPUs. */
    memoryMiB: Type.Optional(Num()),
    utilizationGpu: Type.Optional(Num({ maximum: 100 })),
  },
  { additionalProperties: false },
);
export type AgentRun = Static<typeof AgentRun>;

/** One GPU's health at a heartbeat. */
export const GpuHealth = Type.Object(
  {
    uuid: Uuid,
    utilizationGpu: Num({ maximum: 100 }),
    memoryUsedMiB: Num(),
    temperatureC: Num(),
    eccUncorrected: Num(),
  },
  { additionalProperties: false },
);
export type GpuHealth = Static<typeof GpuHealth>;

export const RegisterBody = Type.Object(
  {
    node: NodeId,
    hostname: Type.Optional(Type.String({ maxLength: 200 })),
    version: Type.Optional(Type.String({ maxLength: 50 })),
    driverVersion: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
    devices: Type.Array(AgentDevice, { maxItems: 1024 }),
    /** Every run the agent knows: running ones and ended ones it still remembers. */
    runs: Type.Array(AgentRun, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const RegisterReply = Type.Object({
  session: Type.String(),
  heartbeatMs: Type.Integer(),
  /** Missing heartbeats for this long marks the node down. */
  timeoutMs: Type.Integer(),
  /** The device UUIDs in the order of the fleet node's device indices. */
  devices: Type.Array(Type.String()),
});
export type RegisterReply = Static<typeof RegisterReply>;

export const HeartbeatBody = Type.Object(
  {
    node: NodeId,
    session: Type.String({ minLength: 1, maxLength: 100 }),
    /** Increases with every heartbeat of a session; the reply echoes it. */
    seq: Type.Integer({ minimum: 1 }),
    /** The seq of the last reply the agent acted on (0: none yet). */
    ack: Type.Integer({ minimum: 0 }),
    /** Hold the reply up to this long when there is nothing new (long poll). */
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
    gpus: Type.Array(GpuHealth, { maxItems: 1024 }),
    /** Running runs, and ended ones the service has not acknowledged yet. */
    runs: Type.Array(AgentRun, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type HeartbeatBody = Static<typeof HeartbeatBody>;

/** A run the node should be running: start it unless this key already ran. */
export const Assignment = Type.Object({
  key: Type.String(),
  command: Type.String(),
  env: Type.Record(Type.String(), Type.String()),
  /** CUDA_VISIBLE_DEVICES: GPU or MIG UUIDs. */
  devices: Type.Array(Type.String()),
});
export type Assignment = Static<typeof Assignment>;

export const HeartbeatReply = Type.Object({
  seq: Type.Integer(),
  run: Type.Array(Assignment),
  cancel: Type.Array(Type.String()),
  /** Ended runs the service has taken: stop reporting them. */
  ack: Type.Array(Type.String()),
});
export type HeartbeatReply = Static<typeof HeartbeatReply>;

/** The run key of member `member` of an execution: `${jobId}.${attempt}.${member}`. */
export function runKey(jobId: string, attempt: number, member: number): string {
  return `${jobId}.${attempt}.${member}`;
}
