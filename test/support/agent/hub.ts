/**
 * Drives an AgentHub the way node agents and the agent executor do, on a fake clock,
 * for the hub's unit tests (src/service/agents/hub*.test.ts).
 */

import { AgentHub } from "../../../src/service/agents/hub.ts";
import type {
  AgentDevice,
  AgentRun,
  HeartbeatReply,
} from "../../../src/service/agents/protocol.ts";
import { AgentExecutor } from "../../../src/service/executors/agent/index.ts";
import type { ExecJob, ExecStatus } from "../../../src/service/executors/types.ts";
import { fleet } from "../builders.ts";

/** gpu-a and gpu-b with 2 GPUs each (agents serve them), cpu-c with none. */
export const FLEET = fleet()
  .node("gpu-a", "h100", 2)
  .node("gpu-b", "h100", 2)
  .node("cpu-c", null, 0)
  .build();

/** `n` H100s as an agent discovers them, with UUIDs `GPU-<node>-<index>`. */
export const devices = (node: string, n = 2): AgentDevice[] =>
  Array.from({ length: n }, (_, i) => ({
    uuid: `GPU-${node}-${i}`,
    model: "NVIDIA H100 80GB HBM3",
    memoryMiB: 81_559,
    mig: null,
  }));

/** An agent as the protocol sees it: a session, an increasing seq, the last reply acted on. */
export class Agent {
  session = "";
  seq = 0;
  ack = 0;
  readonly hub: AgentHub;
  readonly node: string;
  constructor(hub: AgentHub, node: string) {
    [this.hub, this.node] = [hub, node];
  }
  /** Opens a new session listing `runs`; seq and ack restart. */
  register(runs: AgentRun[] = []) {
    const reply = this.hub.register({ node: this.node, devices: devices(this.node), runs });
    [this.session, this.seq, this.ack] = [reply.session, 0, 0];
    return reply;
  }
  /** One heartbeat reporting `runs`; acks this reply (unless `ack` says otherwise). */
  async beat(runs: AgentRun[] = [], o: { ack?: number; waitMs?: number } = {}) {
    const reply = await this.hub.heartbeat({
      node: this.node,
      session: this.session,
      seq: ++this.seq,
      ack: o.ack ?? this.ack,
      gpus: [],
      runs,
      ...(o.waitMs !== undefined && { waitMs: o.waitMs }),
    });
    this.ack = reply.seq;
    return reply;
  }
}

/** Agents serve the gpu-* nodes (the default), or only `node`. */
export const GPUS = (n: string) => n.startsWith("gpu-");
export const ONLY = (node: string) => (n: string) => n === node;

/**
 * A hub on a fake clock (heartbeat 1 s, timeout 3 s), the executor on top of it, and an
 * agent per node in `register` (registered at t=0, their `up` events already taken).
 */
export function setup(serves: (node: string) => boolean = GPUS, ...register: string[]) {
  const clock = { t: 0 };
  const now = () => clock.t;
  const hub = new AgentHub({
    fleet: FLEET,
    serves,
    heartbeatMs: 1_000,
    timeoutMs: 3_000,
    now,
  });
  const agents = register.map((node) => new Agent(hub, node));
  for (const a of agents) a.register();
  hub.takeNodeEvents();
  return { clock, hub, ex: new AgentExecutor({ hub, now }), agents };
}

/** An execution with one member per `node:devices` ("gpu-a:0,1"). */
export function exec(jobId: string, ...members: string[]): ExecJob {
  return {
    ...{ jobId, attempt: 1, tenant: "t", queue: "q", duration: 60, startedAt: 0 },
    members: members.map((m) => {
      const [node, devs] = m.split(":");
      return { node, devices: devs.split(",").map(Number), deviceMilli: 1000, deviceType: "h100" };
    }),
  };
}
/** Starts every job through the executor. */
export const execs = (ex: AgentExecutor, ...jobs: ExecJob[]) =>
  Promise.all(jobs.map((j) => ex.start(j)));

/** A run as an agent reports it. */
export const run = (
  key: string,
  state: AgentRun["state"],
  extra: Partial<AgentRun> = {},
): AgentRun => ({
  key,
  state,
  ...extra,
});
/** The runs `keys`, all running. */
export const running = (...keys: string[]) => keys.map((k) => run(k, "running"));
/** The run keys a heartbeat reply tells the node to run. */
export const keys = (r: HeartbeatReply) => r.run.map((a) => a.key);
/** "job:state exit N (detail)", one line per status. */
export const brief = (ss: readonly ExecStatus[]) =>
  ss.map(
    (s) =>
      `${s.jobId}:${s.state}${s.exitCode === undefined ? "" : ` exit ${s.exitCode}`}` +
      `${s.detail === undefined ? "" : ` (${s.detail})`}`,
  );
