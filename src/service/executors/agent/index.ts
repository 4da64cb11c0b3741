/**
 * The agent executor: runs executions on nodes served by `gongjang agent` processes,
 * through the AgentHub (src/service/agents) that the /v1/agents routes feed.
 *
 *   start ─► assigned ─(agent's heartbeat takes it)─► running ─► succeeded | failed | cancelled
 *                 └─(node silent for the timeout, or the agent forgot it)─► lost
 *
 * Nothing here is durable: after a service restart the agents still run their jobs
 * and register again; reconcile() hands the hub what the store expects, and the hub
 * re-adopts what the agents report (see hub.ts). Each poll also checks heartbeats; the
 * node state changes that follow (down, up again) are stored by the service's loop
 * housekeeping (server.ts), in the same transaction as the lost runs' requeues.
 */
import type { AgentHub } from "../../agents/hub.ts";
import type { ExecJob, ExecStatus, Executor } from "../types.ts";

export interface AgentExecutorOptions {
  readonly hub: AgentHub;
  readonly now?: () => number;
}

export class AgentExecutor implements Executor {
  readonly name = "agent";
  readonly hub: AgentHub;
  readonly #now: () => number;

  constructor(o: AgentExecutorOptions) {
    this.hub = o.hub;
    this.#now = o.now ?? Date.now;
  }

  /** Queues the members' runs for their nodes' agents; resolves at once as running. */
  async start(job: ExecJob): Promise<ExecStatus> {
    this.hub.assign(job);
    return { jobId: job.jobId, attempt: job.attempt, state: "running", at: this.#now() };
  }

  /** The agents stop the runs at their next heartbeat (long polls are woken). */
  async cancel(jobId: string, attempt: number): Promise<void> {
    this.hub.cancel(jobId, attempt);
  }

  /** Heartbeat check (nodes down → their runs lost), then every end reported since. */
  async poll(): Promise<readonly ExecStatus[]> {
    this.hub.liveness();
    return this.hub.takeReports();
  }

  async reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]> {
    const running = this.hub.adopt(expected);
    return [...running, ...this.hub.takeReports()];
  }

  async close(): Promise<void> {
    this.hub.close();
  }
}
