/**
 * The agent hub: the service's side of the node agent protocol. It keeps, in memory,
 * each node's agent session, the executions placed on agent nodes and their member
 * runs (ledger.ts), and the reports waiting for the scheduler loop. The AgentExecutor
 * drives it from the loop (assign, cancel, adopt, poll); the /v1/agents routes drive
 * it from the agents (register, heartbeat).
 *
 * Life of a node, as the hub sees it (changes only in register, heartbeat, liveness):
 *
 *   unseen ─register─► up (session) ─heartbeat─► up
 *     │                  │  └─register again─► up (new session: runs it forgot are lost)
 *     └──────────────────┴─(no heartbeat for timeoutMs)─► down: its runs lost, session dropped
 *   down ─register─► up
 *
 * After a service restart the hub starts empty: agents keep running their jobs, their
 * next heartbeat is refused (unknown session), they register again listing every run,
 * and adopt() (the executor's reconcile) matches those runs to what the store expects.
 * Runs reported before adopt() wait in `unclaimed`; once adopted, a running run nobody
 * expects is an orphan and is cancelled.
 */
import { randomUUID } from "node:crypto";
import { GongjangError } from "../../core/errors.ts";
import type { FleetNode } from "../../core/model/fleet.ts";
import { fleetNodes } from "../../core/model/fleet.ts";
import type { ExecJob, ExecStatus } from "../executors/types.ts";
import type { AgentHubOptions, AgentInfo, NodeEvent } from "./hub-types.ts";
import {
  type Execution,
  execKey,
  isEnded,
  loseMember,
  type Member,
  memberEnv,
  newExecution,
  report,
  settle,
} from "./ledger.ts";
import type {
  AgentRun,
  Assignment,
  HeartbeatBody,
  HeartbeatReply,
  RegisterBody,
  RegisterReply,
} from "./protocol.ts";
import { checkDevices } from "./registration.ts";

export type { AgentHubOptions, AgentInfo, NodeEvent } from "./hub-types.ts";

export class AgentHub {
  readonly heartbeatMs: number;
  readonly timeoutMs: number;
  readonly #serves: (node: string) => boolean;
  readonly #now: () => number;
  /** When liveness was first checked: nodes never registered count their silence from then. */
  #startedAt: number | null = null;
  readonly #execs = new Map<string, Execution>();
  readonly #members = new Map<string, { e: Execution; m: Member }>();
  readonly #agents = new Map<string, AgentInfo>();
  readonly #down = new Set<string>();
  /** Runs agents reported before adopt() (node → run key → run). */
  readonly #unclaimed = new Map<string, Map<string, AgentRun>>();
  /** Running runs nobody expects, to cancel (node → keys). */
  readonly #orphans = new Map<string, Set<string>>();
  readonly #waiters = new Map<string, Set<() => void>>();
  #outbox: ExecStatus[] = [];
  #events: NodeEvent[] = [];
  #adopted = false;
  readonly #nodes = new Map<string, FleetNode>();

  constructor(o: AgentHubOptions) {
    this.#serves = o.serves ?? (() => false);
    this.heartbeatMs = o.heartbeatMs ?? 5_000;
    this.timeoutMs = o.timeoutMs ?? 3 * this.heartbeatMs;
    this.#now = o.now ?? Date.now;
    for (const { node } of fleetNodes(o.fleet)) this.#nodes.set(node.id, node);
  }

  /** Whether agents serve `node`. */
  serves(node: string): boolean {
    return this.#serves(node);
  }

  // ── the executor's side ──────────────────────────────────────────────────────────

  /** Places an execution's member runs on their nodes. Idempotent per jobId.attempt. */
  assign(job: ExecJob): void {
    const k = execKey(job.jobId, job.attempt);
    if (this.#execs.has(k)) return;
    const e = newExecution(job);
    this.#execs.set(k, e);
    for (const m of e.members) {
      this.#members.set(m.key, { e, m });
      if (this.#down.has(m.node)) loseMember(m, `node ${m.node} is down (no agent)`);
    }
    this.#settle(e);
    this.#wake(e);
  }

  /** Asks an execution to stop. One that was never delivered ends cancelled at once. */
  cancel(jobId: string, attempt: number): void {
    const e = this.#execs.get(execKey(jobId, attempt));
    if (e === undefined || e.cancel) return;
    e.cancel = true;
    for (const m of e.members)
      if (m.state === "assigned" && m.deliveredSeq === null) m.state = "cancelled";
    this.#settle(e);
    this.#wake(e);
  }

  /**
   * After a service restart: takes the executions the store says run on agent nodes,
   * matches them with the runs agents reported so far, and cancels runs nobody expects.
   * Returns `running` for each execution still going; ended ones come through poll.
   */
  adopt(expected: readonly ExecJob[]): ExecStatus[] {
    this.#adopted = true;
    const out: ExecStatus[] = [];
    for (const job of expected) {
      this.assign(job);
      const e = this.#execs.get(execKey(job.jobId, job.attempt));
      if (e === undefined) continue;
      for (const m of e.members) {
        const agent = this.#agents.get(m.node);
        const run = this.#unclaimed.get(m.node)?.get(m.key);
        this.#unclaimed.get(m.node)?.delete(m.key);
        if (run !== undefined && agent !== undefined) {
          m.deliveredSeq = 0;
          m.session = agent.session;
          report(m, run);
        }
      }
      this.#settle(e);
      if (e.final === null)
        out.push({ jobId: job.jobId, attempt: job.attempt, state: "running", at: this.#now() });
    }
    for (const [node, runs] of this.#unclaimed)
      for (const run of runs.values()) if (run.state === "running") this.#orphan(node, run.key);
    this.#unclaimed.clear();
    return out;
  }

  /** Ends reported since the last call. */
  takeReports(): ExecStatus[] {
    const out = this.#outbox;
    this.#outbox = [];
    return out;
  }

  /**
   * Marks nodes down whose agent has been silent for timeoutMs (a node never registered
   * counts from the first check), losing their runs. The executor calls it every poll.
   */
  liveness(): void {
    const now = this.#now();
    // From the first check, not from construction: a slow start-up (migrations, a busy
    // machine) must not eat the agents' time to register again after a restart.
    this.#startedAt ??= now;
    for (const node of this.#nodes.values()) {
      if (!this.#serves(node.id) || this.#down.has(node.id)) continue;
      const agent = this.#agents.get(node.id);
      const seen = agent?.lastSeen ?? this.#startedAt;
      if (now - seen <= this.timeoutMs) continue;
      const secs = Math.round((now - seen) / 1000);
      const reason =
        agent === undefined
          ? `no agent registered in ${secs} s`
          : `agent silent for ${secs} s (timeout ${this.timeoutMs / 1000} s)`;
      this.#down.add(node.id);
      this.#agents.delete(node.id);
      this.#events.push({ node: node.id, state: "down", reason });
      for (const { e, m } of this.#members.values())
        if (m.node === node.id) {
          loseMember(m, `node ${node.id} down: ${reason}`);
          this.#settle(e);
        }
    }
  }

  /** Node state changes since the last call (downs, and the `up` of each registration). */
  takeNodeEvents(): NodeEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** Executions being tracked: key → member run keys (for tests and diagnostics). */
  tracked(): Map<string, string[]> {
    return new Map([...this.#execs].map(([k, e]) => [k, e.members.map((m) => m.key)]));
  }

  /** The registered agents with their last health report and runs. */
  agents(): { agent: AgentInfo; runs: Member[] }[] {
    return [...this.#agents.values()].map((agent) => ({
      agent,
      runs: [...this.#members.values()].filter(({ m }) => m.node === agent.node).map((x) => x.m),
    }));
  }

  /** Releases every long poll (the service is stopping). */
  close(): void {
    for (const ws of this.#waiters.values()) for (const w of ws) w();
    this.#waiters.clear();
  }

  // ── the agents' side ─────────────────────────────────────────────────────────────

  /**
   * Registers (or re-registers) the agent of `body.node`: checks its devices against
   * the fleet (GJ_ERR_NOT_FOUND, GJ_ERR_AGENT_MISMATCH), opens a new session, and
   * takes its runs: members delivered to an older session that it does not list are lost.
   */
  register(body: RegisterBody): RegisterReply {
    const fleetNode = this.#nodes.get(body.node);
    if (fleetNode === undefined)
      throw new GongjangError("GJ_ERR_NOT_FOUND", `no node "${body.node}" in the fleet`, {
        path: "body.node",
      });
    if (!this.#serves(body.node))
      throw new GongjangError(
        "GJ_ERR_AGENT_MISMATCH",
        `node ${body.node} is not served by agents here (see serve --executor, --agent-nodes)`,
        { path: "body.node" },
      );
    const devices = checkDevices(fleetNode, body.devices);
    const now = this.#now();
    const agent: AgentInfo = {
      node: body.node,
      session: randomUUID(),
      hostname: body.hostname ?? null,
      version: body.version ?? null,
      driverVersion: body.driverVersion ?? null,
      registeredAt: now,
      lastSeen: now,
      devices,
      gpus: [],
      seq: 0,
    };
    this.#agents.set(body.node, agent);
    this.#down.delete(body.node);
    this.#events.push({
      node: body.node,
      state: "up",
      reason: `agent registered (${devices.length} devices)`,
    });
    const runs = new Map(body.runs.map((r) => [r.key, r]));
    for (const { e, m } of this.#members.values()) {
      if (m.node !== body.node || isEnded(m)) continue;
      const run = runs.get(m.key);
      if (run !== undefined) {
        m.deliveredSeq = 0;
        m.session = agent.session;
        report(m, run);
      } else if (m.deliveredSeq !== null) {
        loseMember(m, `the agent on ${m.node} registered again without run ${m.key}`);
      }
      this.#settle(e);
    }
    this.#takeStrays(body.node, body.runs);
    return {
      session: agent.session,
      heartbeatMs: this.heartbeatMs,
      timeoutMs: this.timeoutMs,
      devices,
    };
  }

  /**
   * A heartbeat: records health and run reports, loses delivered runs the agent says
   * it does not have, and replies (after up to waitMs, at most one heartbeat period,
   * when nothing is to be done) with
   * what the node should run and cancel. GJ_ERR_AGENT_SESSION: register again.
   */
  async heartbeat(body: HeartbeatBody): Promise<HeartbeatReply> {
    const agent = this.#session(body);
    agent.lastSeen = this.#now();
    agent.gpus = body.gpus;
    agent.seq = Math.max(agent.seq, body.seq);
    const reported = new Set(body.runs.map((r) => r.key));
    for (const { e, m } of this.#members.values()) {
      if (m.node !== body.node || isEnded(m)) continue;
      const run = body.runs.find((r) => r.key === m.key);
      if (run !== undefined) report(m, run);
      else if (
        m.session === agent.session &&
        m.deliveredSeq !== null &&
        body.ack >= m.deliveredSeq &&
        !reported.has(m.key)
      )
        loseMember(m, `the agent on ${m.node} does not run ${m.key}`);
      this.#settle(e);
    }
    this.#takeStrays(body.node, body.runs);
    const ack = body.runs.filter((r) => r.state !== "running").map((r) => r.key);
    let reply = this.#work(agent, body.seq);
    if (
      reply.run.every((a) => reported.has(a.key)) &&
      reply.cancel.length === 0 &&
      (body.waitMs ?? 0) > 0
    ) {
      // Never longer than a heartbeat: liveness sees only when a heartbeat arrived, so a
      // wait past the timeout would mark a connected agent's node down.
      await this.#wait(body.node, Math.min(body.waitMs ?? 0, this.heartbeatMs));
      const now = this.#agents.get(body.node);
      if (now?.session !== agent.session) throw this.#sessionError(body.node);
      now.lastSeen = this.#now();
      reply = this.#work(now, body.seq);
    }
    return { ...reply, ack };
  }

  // ── internals ────────────────────────────────────────────────────────────────────

  #session(body: { node: string; session: string }): AgentInfo {
    const agent = this.#agents.get(body.node);
    if (agent === undefined || agent.session !== body.session) throw this.#sessionError(body.node);
    return agent;
  }

  #sessionError(node: string): GongjangError {
    return new GongjangError(
      "GJ_ERR_AGENT_SESSION",
      `no current agent session for node ${node}: register again`,
      { path: "body.session" },
    );
  }

  /** Runs that match no member: kept for adopt() until it ran, else orphans to cancel. */
  #takeStrays(node: string, runs: readonly AgentRun[]): void {
    const orphans = this.#orphans.get(node);
    for (const key of orphans ?? [])
      if (!runs.some((r) => r.key === key && r.state === "running")) orphans?.delete(key);
    for (const run of runs) {
      const own = this.#members.get(run.key);
      if (own !== undefined && own.m.node === node) continue;
      if (!this.#adopted) {
        const u = this.#unclaimed.get(node) ?? this.#unclaimed.set(node, new Map()).get(node)!;
        u.set(run.key, run);
      } else if (run.state === "running") this.#orphan(node, run.key);
    }
  }

  #orphan(node: string, key: string): void {
    (this.#orphans.get(node) ?? this.#orphans.set(node, new Set()).get(node)!).add(key);
  }

  /** What `agent`'s node should run and cancel now; records first deliveries at `seq`. */
  #work(agent: AgentInfo, seq: number): Omit<HeartbeatReply, "ack"> {
    const run: Assignment[] = [];
    const cancel = [...(this.#orphans.get(agent.node) ?? [])];
    for (const { e, m } of this.#members.values()) {
      if (m.node !== agent.node || isEnded(m)) continue;
      if (e.cancel) {
        if (m.deliveredSeq !== null) cancel.push(m.key);
        continue;
      }
      if (m.session !== agent.session) {
        m.session = agent.session;
        m.deliveredSeq = seq;
      }
      run.push({
        key: m.key,
        command: e.job.command ?? `sleep ${Math.max(0, Math.round(e.job.duration))}`,
        env: memberEnv(e.job, m.index),
        devices: m.devices.map((d) => agent.devices[d]).filter((u) => u !== undefined),
      });
    }
    return { seq, run, cancel };
  }

  #settle(e: Execution): void {
    const s = settle(e, this.#now());
    if (s !== null) this.#outbox.push(s);
    if (e.members.every(isEnded)) {
      this.#execs.delete(execKey(e.job.jobId, e.job.attempt));
      for (const m of e.members) this.#members.delete(m.key);
    } else if (s !== null) this.#wake(e);
  }

  #wake(e: Execution): void {
    for (const m of e.members) {
      const ws = this.#waiters.get(m.node);
      this.#waiters.delete(m.node);
      for (const w of ws ?? []) w();
    }
  }

  #wait(node: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const ws = this.#waiters.get(node) ?? this.#waiters.set(node, new Set()).get(node)!;
      const done = () => {
        clearTimeout(timer);
        ws.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      ws.add(done);
    });
  }
}
