/**
 * Routes executions to executors by node, for fleets where some nodes are served by
 * node agents and the rest by another executor (sim, or Slurm). An execution goes to
 * the first route whose `nodes` accepts all of its members' nodes, else to the last
 * route (the default); a gang straddling the two kinds goes to the default too.
 * The router keeps no state of its own beyond which executor took which execution.
 */
import type { ExecJob, ExecStatus, Executor } from "./types.ts";

export interface Route {
  readonly executor: Executor;
  /** Whether this executor serves `node`; omitted on the default (last) route. */
  readonly nodes?: (node: string) => boolean;
}

export class RoutedExecutor implements Executor {
  readonly name: string;
  readonly #routes: readonly Route[];
  readonly #owner = new Map<string, Executor>();

  /** `routes`: specific ones first, the default last. */
  constructor(routes: readonly Route[]) {
    if (routes.length === 0) throw new Error("RoutedExecutor needs at least one route");
    this.#routes = routes;
    this.name = routes.map((r) => r.executor.name).join("+");
  }

  /** The executor that runs `job`. */
  pick(job: ExecJob): Executor {
    const hit = this.#routes.find(
      (r) =>
        r.nodes !== undefined &&
        job.members.length > 0 &&
        job.members.every((m) => r.nodes!(m.node)),
    );
    return (hit ?? this.#routes[this.#routes.length - 1]).executor;
  }

  async start(job: ExecJob): Promise<ExecStatus> {
    const ex = this.pick(job);
    this.#owner.set(`${job.jobId}.${job.attempt}`, ex);
    return ex.start(job);
  }

  async cancel(jobId: string, attempt: number): Promise<void> {
    const ex = this.#owner.get(`${jobId}.${attempt}`);
    if (ex !== undefined) await ex.cancel(jobId, attempt);
    else for (const r of this.#routes) await r.executor.cancel(jobId, attempt);
  }

  async poll(): Promise<readonly ExecStatus[]> {
    const out: ExecStatus[] = [];
    for (const r of this.#routes) out.push(...(await r.executor.poll()));
    for (const s of out) if (s.state !== "running") this.#owner.delete(`${s.jobId}.${s.attempt}`);
    return out;
  }

  attach(deployment: string): void {
    for (const r of this.#routes) r.executor.attach?.(deployment);
  }

  async reconcile(expected: readonly ExecJob[]): Promise<readonly ExecStatus[]> {
    const out: ExecStatus[] = [];
    for (const r of this.#routes) {
      const mine = expected.filter((j) => this.pick(j) === r.executor);
      for (const j of mine) this.#owner.set(`${j.jobId}.${j.attempt}`, r.executor);
      out.push(...(await r.executor.reconcile(mine)));
    }
    return out;
  }

  async close(): Promise<void> {
    for (const r of this.#routes) await r.executor.close();
  }
}
