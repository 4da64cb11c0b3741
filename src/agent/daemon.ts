/**
 * The GPU node agent (`gongjang agent`): discovers the node's GPUs with nvidia-smi,
 * registers the node with the service, heartbeats (GPU health, per-run GPU usage and
 * run states), and runs what the replies assign with runner.ts, reporting how each
 * run ended until the service acknowledges it.
 *
 * Life of the agent (changes only in `run()`'s loop and `stop()`):
 *
 *   discover ─► register ─► heartbeat ⟲ (long poll; a run's end cuts the wait short)
 *                  ▲            │ GJ_ERR_AGENT_SESSION (the service restarted, or
 *                  └────────────┘  declared this node down): register again
 *   stop(): the loop ends; running jobs are killed and recorded lost
 *
 * Life of a run on this node: assigned (reply lists it) ─► starting ─► running ─► ended
 * (succeeded | failed | cancelled) ─► reported until acked ─► remembered (state.ts).
 * A run key starts at most once per work dir, so a repeated assignment never runs twice.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import type {
  AgentDevice,
  AgentRun,
  Assignment,
  GpuHealth,
  HeartbeatReply,
  RegisterReply,
} from "../service/agents/protocol.ts";
import { discoverGpus, listComputeApps, type NvidiaSmiOptions, sampleGpus } from "./nvidia-smi.ts";
import type { GpuInventory } from "./nvidia-smi-xml.ts";
import { type JobRun, startRun } from "./runner.ts";
import { type RunRecord, RunStore } from "./state.ts";
import { attributeUsage } from "./usage.ts";

export interface AgentOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8080. */
  readonly server: string;
  /** A token of role `agent`. */
  readonly token: string;
  /** The fleet node id this machine is; default the short host name. */
  readonly node?: string;
  /** Logs and run records live here. */
  readonly workDir: string;
  readonly nvidiaSmi?: NvidiaSmiOptions;
  /** Grace between SIGTERM and SIGKILL when a run is cancelled; default 10 s. */
  readonly cancelGraceMs?: number;
  readonly log?: (line: string) => void;
}

/** Schedulable devices of an inventory: MIG instances where MIG is on, else whole GPUs. */
export function agentDevices(inv: GpuInventory): AgentDevice[] {
  return inv.gpus.flatMap((g): AgentDevice[] =>
    g.migCurrent === "enabled" && g.migDevices.length > 0
      ? g.migDevices.flatMap((m) =>
          m.uuid === null
            ? []
            : [{ uuid: m.uuid, model: g.name, memoryMiB: m.memoryTotalMiB, mig: m.profile }],
        )
      : [{ uuid: g.uuid, model: g.name, memoryMiB: g.memoryTotalMiB, mig: null }],
  );
}

class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(`${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

interface Live {
  run: JobRun | null;
  cancel: boolean;
}

export class NodeAgent {
  readonly node: string;
  readonly #o: AgentOptions;
  readonly #store: RunStore;
  readonly #log: (line: string) => void;
  readonly #live = new Map<string, Live>();
  readonly #ended = new Map<string, RunRecord>();
  readonly #unacked = new Set<string>();
  #devices: AgentDevice[] = [];
  #driver: string | null = null;
  #session: string | null = null;
  #heartbeatMs = 5_000;
  #seq = 0;
  #ack = 0;
  #stopped = false;
  #inflight: AbortController | null = null;
  #wake: (() => void) | null = null;
  #usage = new Map<string, { memoryMiB: number; utilizationGpu: number | null }>();

  constructor(o: AgentOptions) {
    this.#o = o;
    this.node = o.node ?? hostname().split(".")[0];
    this.#store = new RunStore(o.workDir);
    this.#log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** The session id of the current registration (null before one). */
  get session(): string | null {
    return this.#session;
  }

  /** Discovers the GPUs (throws GJ_ERR_NVIDIA_SMI_* when nvidia-smi fails). */
  async discover(): Promise<AgentDevice[]> {
    const inv = await discoverGpus(this.#o.nvidiaSmi);
    this.#devices = agentDevices(inv);
    this.#driver = inv.driverVersion;
    return this.#devices;
  }

  /** Runs until stop(): discovery, recovery of earlier runs, then register + heartbeat. */
  async run(): Promise<void> {
    await this.discover();
    for (const r of this.#store.recover(Date.now())) this.#ended.set(r.key, r);
    this.#log(
      `agent ${this.node}: ${this.#devices.length} device(s), ${this.#ended.size} remembered run(s)`,
    );
    while (!this.#stopped) {
      const began = Date.now();
      let busy = false;
      try {
        if (this.#session === null) await this.#register();
        busy = this.#handle(await this.#heartbeat());
      } catch (e) {
        if (this.#stopped) break;
        if (e instanceof HttpError && e.code === "GJ_ERR_AGENT_SESSION") {
          this.#log(`agent ${this.node}: session gone; registering again`);
          this.#session = null;
          continue;
        }
        if (!(e instanceof Error && e.name === "AbortError"))
          this.#log(`agent ${this.node}: ${(e as Error).message}`);
        if (e instanceof HttpError && e.status < 500 && this.#session === null) throw e;
      }
      // Pace the loop: at most one heartbeat per interval unless there is news.
      if (!busy && this.#unacked.size === 0)
        await this.#sleep(this.#heartbeatMs - (Date.now() - began));
    }
  }

  /** Ends the loop and kills running jobs (recorded lost: their exit status is unknown). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#inflight?.abort();
    this.#wake?.();
    await Promise.all(
      [...this.#live.values()].map(async (l) => {
        if (l.run === null) return;
        await l.run.cancel(2_000);
      }),
    );
  }

  async #register(): Promise<void> {
    const runs: AgentRun[] = [...this.#liveRuns(), ...[...this.#ended.values()].map(report)];
    const reply = await this.#post<RegisterReply>("/v1/agents/register", {
      node: this.node,
      hostname: hostname(),
      version: "1",
      driverVersion: this.#driver,
      devices: this.#devices,
      runs,
    });
    this.#session = reply.session;
    this.#heartbeatMs = reply.heartbeatMs;
    this.#seq = 0;
    this.#ack = 0;
    // Everything ended was just reported in full; the service takes it from here.
    this.#unacked.clear();
    this.#log(`agent ${this.node}: registered (session ${reply.session.slice(0, 8)})`);
  }

  async #heartbeat(): Promise<HeartbeatReply> {
    const gpus = await this.#sample();
    const seq = ++this.#seq;
    return this.#post<HeartbeatReply>("/v1/agents/heartbeat", {
      node: this.node,
      session: this.#session,
      seq,
      ack: this.#ack,
      waitMs: this.#unacked.size > 0 ? 0 : this.#heartbeatMs,
      gpus,
      runs: [
        ...this.#liveRuns(),
        ...[...this.#unacked].flatMap((k) => {
          const r = this.#ended.get(k);
          return r === undefined ? [] : [report(r)];
        }),
      ],
    });
  }

  /** Acts on a reply (synchronously, before the next heartbeat); true if it held news. */
  #handle(reply: HeartbeatReply): boolean {
    this.#ack = reply.seq;
    for (const k of reply.ack) this.#unacked.delete(k);
    let news = false;
    for (const a of reply.run) {
      if (this.#live.has(a.key) || this.#ended.has(a.key)) continue;
      news = true;
      this.#start(a);
    }
    for (const k of reply.cancel) {
      const l = this.#live.get(k);
      if (l === undefined || l.cancel) continue;
      news = true;
      l.cancel = true;
      void l.run?.cancel(this.#o.cancelGraceMs);
    }
    return news;
  }

  #start(a: Assignment): void {
    const live: Live = { run: null, cancel: false };
    this.#live.set(a.key, live);
    this.#log(`agent ${this.node}: start ${a.key} on [${a.devices.join(",")}]`);
    startRun({
      key: a.key,
      command: a.command,
      devices: a.devices,
      env: a.env,
      logDir: join(this.#o.workDir, "logs"),
    }).then(
      (run) => {
        live.run = run;
        this.#store.save({ key: a.key, state: "running", pid: run.pid, endedAt: null });
        if (live.cancel || this.#stopped) void run.cancel(this.#o.cancelGraceMs);
        void run.done.then((res) => {
          const lost = this.#stopped && res.state !== "succeeded" && res.state !== "failed";
          this.#finish({
            key: a.key,
            state: lost ? "lost" : res.state,
            exitCode: res.exitCode,
            signal: res.signal,
            pid: null,
            endedAt: res.endedAt,
          });
        });
      },
      (err: Error) => {
        this.#log(`agent ${this.node}: ${a.key} did not start: ${err.message}`);
        this.#finish({
          key: a.key,
          state: "failed",
          exitCode: 127,
          signal: null,
          pid: null,
          endedAt: Date.now(),
        });
      },
    );
  }

  #finish(r: RunRecord): void {
    this.#store.save(r);
    this.#live.delete(r.key);
    this.#usage.delete(r.key);
    this.#ended.set(r.key, r);
    this.#unacked.add(r.key);
    this.#log(
      `agent ${this.node}: ${r.key} ${r.state}${r.exitCode === null ? "" : ` (exit ${r.exitCode})`}`,
    );
    // Report now: cut the long poll (its reply is re-sent, level-triggered) and the sleep.
    this.#inflight?.abort();
    this.#wake?.();
  }

  #liveRuns(): AgentRun[] {
    return [...this.#live.keys()].map((key) => {
      const u = this.#usage.get(key);
      return { key, state: "running", ...(u !== undefined && u) };
    });
  }

  /** GPU health, and each run's GPU memory and utilisation; empty when nvidia-smi fails. */
  async #sample(): Promise<GpuHealth[]> {
    try {
      const [samples, apps] = await Promise.all([
        sampleGpus(this.#o.nvidiaSmi),
        listComputeApps(this.#o.nvidiaSmi),
      ]);
      const groups = new Map<string, number>();
      for (const [k, l] of this.#live) if (l.run !== null) groups.set(k, l.run.pid);
      for (const [k, u] of attributeUsage(groups, apps, samples))
        this.#usage.set(k, { memoryMiB: u.memoryMiB, utilizationGpu: u.utilizationGpu });
      return samples.map((s) => ({
        uuid: s.uuid,
        utilizationGpu: s.utilizationGpu,
        memoryUsedMiB: s.memoryUsedMiB,
        temperatureC: s.temperatureC,
        eccUncorrected: s.eccUncorrectedVolatile,
      }));
    } catch (e) {
      this.#log(`agent ${this.node}: sampling failed: ${(e as Error).message}`);
      return [];
    }
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const ctl = new AbortController();
    this.#inflight = ctl;
    const timer = setTimeout(() => ctl.abort(), this.#heartbeatMs + 30_000);
    try {
      const res = await fetch(new URL(path, this.#o.server), {
        method: "POST",
        headers: { authorization: `Bearer ${this.#o.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: ctl.signal,
      });
      const json = (await res.json().catch(() => ({}))) as {
        error?: { code: string; message: string };
      };
      if (!res.ok)
        throw new HttpError(
          res.status,
          json.error?.code ?? "HTTP",
          json.error?.message ?? res.statusText,
        );
      return json as T;
    } finally {
      clearTimeout(timer);
      if (this.#inflight === ctl) this.#inflight = null;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }
}

/** A run record as the protocol reports it. */
function report(r: RunRecord): AgentRun {
  return {
    key: r.key,
    state: r.state,
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? null,
  };
}
