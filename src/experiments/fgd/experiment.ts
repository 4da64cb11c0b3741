/**
 * The whole FGD inflation experiment: every (workload, policy, seed) run, spread over
 * worker threads. Each run is deterministic, and results come back sorted by
 * (workload, policy label, seed), so the output files do not depend on scheduling.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PolicyName } from "../../core/registry.ts";
import type { FgdRunResult } from "./run.ts";

export interface ExperimentSpec {
  readonly workloads: readonly string[];
  readonly policies: readonly PolicyName[];
  readonly seeds: readonly number[];
  /** Folder holding `<workload>.csv` pod lists (the openb trace). */
  readonly tracesDir: string;
  readonly tune?: number;
  /** Worker threads; default: available cores. 0 runs in this thread. */
  readonly workers?: number;
  readonly onRunDone?: (done: number, total: number, run: FgdRunResult, ms: number) => void;
}

export interface RunTask {
  readonly workload: string;
  readonly policy: PolicyName;
  readonly seed: number;
  readonly tracesDir: string;
  readonly tune: number;
}

export interface RunReply {
  readonly result?: FgdRunResult;
  readonly ms: number;
  readonly error?: string;
}

/** Runs every combination; resolves with results in canonical order. */
export async function runExperiment(spec: ExperimentSpec): Promise<FgdRunResult[]> {
  const tasks: RunTask[] = [];
  for (const workload of spec.workloads)
    for (const policy of spec.policies)
      for (const seed of spec.seeds)
        tasks.push({
          workload,
          policy,
          seed,
          tracesDir: spec.tracesDir,
          tune: spec.tune ?? 1.3,
        });
  const workers = Math.min(spec.workers ?? availableParallelism(), tasks.length);
  const results =
    workers === 0 ? await runInline(tasks, spec) : await runPooled(tasks, workers, spec);
  return results.sort(
    (a, b) =>
      a.workload.localeCompare(b.workload) || a.label.localeCompare(b.label) || a.seed - b.seed,
  );
}

async function runInline(tasks: RunTask[], spec: ExperimentSpec): Promise<FgdRunResult[]> {
  const { executeTask } = await import("./task.ts");
  const out: FgdRunResult[] = [];
  for (const task of tasks) {
    const reply = executeTask(task);
    if (!reply.result) throw new Error(reply.error);
    out.push(reply.result);
    spec.onRunDone?.(out.length, tasks.length, reply.result, reply.ms);
  }
  return out;
}

function runPooled(
  tasks: RunTask[],
  workers: number,
  spec: ExperimentSpec,
): Promise<FgdRunResult[]> {
  return new Promise((resolve, reject) => {
    const out: FgdRunResult[] = [];
    let next = 0;
    let alive = workers;
    let failed = false;
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url));
      const feed = () => {
        if (failed || next >= tasks.length) {
          void worker.terminate();
          if (--alive === 0 && !failed) resolve(out);
          return;
        }
        worker.postMessage(tasks[next++]);
      };
      worker.on("message", (reply: RunReply) => {
        if (!reply.result) {
          failed = true;
          void worker.terminate();
          reject(new Error(reply.error));
          return;
        }
        out.push(reply.result);
        spec.onRunDone?.(out.length, tasks.length, reply.result, reply.ms);
        feed();
      });
      worker.on("error", (err) => {
        failed = true;
        reject(err);
      });
      feed();
    }
  });
}
