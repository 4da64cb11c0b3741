/**
 * Benchmark: a start-time forecast for 10,000 pending workloads on the 300,000-device
 * fleet of bench (c) (support/multi-tenant.ts: 37,500 nodes × 8, 4 sites, 50 queues
 * with quotas), from a snapshot with the fleet mostly busy (--running workloads, placed
 * once as the store would hold them) and --finished workloads of history, with --runs
 * Monte Carlo runs.
 * Target: under 10 s on 2 cores. Runs are handed to --workers worker threads one at a
 * time as each finishes one, with the cap the plan gives (each worker rebuilds the same
 * snapshot from the seed); cut runs that leave a quantile open are done again uncut; the
 * main thread merges them in run order, so the answer is the same for any worker count
 * (`digest`).
 *
 *   node bench/forecast-10k.ts [--pending 10000] [--running 11000] [--finished 5000]
 *        [--runs 20] [--workers 2] [--policy drf] [--nodes 37500] [--seed 1] [--no-censor]
 */
import { createHash } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createRng } from "../src/core/rng.ts";
import { lastStart } from "../src/forecast/censor.ts";
import {
  type ForecastSnapshot,
  planForecast,
  type RunResult,
  simulateRun,
} from "../src/forecast/index.ts";
import { backlog, drawWorkload, mixedFleet, tenancy50 } from "./support/multi-tenant.ts";
import { placeRunning } from "./support/placed.ts";

interface Args {
  pending: number;
  running: number;
  finished: number;
  runs: number;
  workers: number;
  policy: string;
  nodes: number;
  seed: number;
  censor: boolean;
}

/** A worker thread that does runs of the same forecast, one at a time. */
class RunWorker {
  private readonly worker: Worker;
  private waiting: { resolve(r: RunResult): void; reject(e: Error): void } | null = null;

  constructor(args: Args) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { args } });
    this.worker.on(
      "message",
      (m: { cutAt: number; starts: Float64Array; statuses: [number, never][] }) =>
        this.waiting?.resolve({ starts: m.starts, cutAt: m.cutAt, statuses: new Map(m.statuses) }),
    );
    this.worker.on("error", (e) => this.waiting?.reject(e));
  }

  run(k: number, cap: number): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage({ k, cap });
    });
  }

  close(): void {
    this.worker.postMessage({ k: -1, cap: 0 });
  }
}

/** The snapshot, the same for the same arguments. */
function snapshot(a: Args): ForecastSnapshot {
  const rng = createRng(a.seed);
  const fleet = mixedFleet(a.nodes);
  const { spec, leaves } = tenancy50(fleet, rng);
  const now = 100_000;
  const running = Array.from({ length: a.running }, (_, i) => {
    const w = drawWorkload(`r${i}`, now - 7200 - rng.int(3600), leaves, rng);
    return { workload: w, startTime: now - rng.int(7200) };
  });
  const pending = backlog(a.pending, leaves, rng).map((w) => ({
    ...w,
    submitTime: now + w.submitTime,
  }));
  const finished = Array.from({ length: a.finished }, (_, i) =>
    drawWorkload(`f${i}`, now - 86_400 + rng.int(80_000), leaves, rng),
  );
  return {
    fleet,
    tenancy: spec,
    policy: a.policy,
    now,
    // Placed once, as the store holds them, drawing after everything else.
    running: placeRunning(fleet, a.policy, running, rng),
    pending,
    finished,
    arrivalWindow: 86_400,
  };
}

const opts = { runs: 0, seed: 1, horizon: 7 * 86_400 };

if (!isMainThread) {
  const { args } = workerData as { args: Args };
  const plan = planForecast(snapshot(args), { ...opts, runs: args.runs, seed: args.seed });
  // Runs are handed out one at a time (their lengths differ by 10×) with their caps,
  // until a -1.
  parentPort!.on("message", ({ k, cap }: { k: number; cap: number }) => {
    if (k < 0) return parentPort!.close();
    const r = simulateRun(plan.prepared, k, cap);
    parentPort!.postMessage({ k, cutAt: r.cutAt, starts: r.starts, statuses: [...r.statuses] }, [
      r.starts.buffer as ArrayBuffer,
    ]);
  });
} else {
  const { values } = parseArgs({
    options: {
      pending: { type: "string", default: "10000" },
      running: { type: "string", default: "11000" },
      finished: { type: "string", default: "5000" },
      runs: { type: "string", default: "20" },
      workers: { type: "string", default: "2" },
      policy: { type: "string", default: "drf" },
      nodes: { type: "string", default: "37500" },
      seed: { type: "string", default: "1" },
      censor: { type: "boolean", default: true },
    },
    allowNegative: true,
  });
  const args: Args = {
    pending: Number(values.pending),
    running: Number(values.running),
    finished: Number(values.finished),
    runs: Number(values.runs),
    workers: Number(values.workers),
    policy: values.policy!,
    nodes: Number(values.nodes),
    seed: Number(values.seed),
    censor: values.censor!,
  };
  const t0 = performance.now();
  const snap = snapshot(args);
  const plan = planForecast(snap, {
    ...opts,
    runs: args.runs,
    seed: args.seed,
    censor: args.censor,
  });
  const t1 = performance.now();
  const results: RunResult[] = new Array(args.runs);
  let reruns: number[] = [];
  if (args.workers <= 0) {
    for (let k = 0; k < args.runs; k++)
      results[k] = simulateRun(plan.prepared, k, plan.cap(results));
    reruns = plan.reruns(results);
    for (const k of reruns) results[k] = simulateRun(plan.prepared, k);
  } else {
    const workers = Array.from({ length: args.workers }, () => new RunWorker(args));
    let next = 0;
    await Promise.all(
      workers.map(async (w) => {
        while (next < args.runs) {
          const k = next++;
          results[k] = await w.run(k, plan.cap(results));
        }
      }),
    );
    reruns = plan.reruns(results);
    const again = [...reruns];
    await Promise.all(
      workers.map(async (w) => {
        for (let k = again.shift(); k !== undefined; k = again.shift())
          results[k] = await w.run(k, Number.POSITIVE_INFINITY);
        w.close();
      }),
    );
  }
  const answer = plan.finish(results);
  const t2 = performance.now();
  const scheduled = answer.filter((f) => f.outcome === "scheduled");
  const p50s = scheduled.map((f) => f.p50!).sort((a, b) => a - b);
  let devices = 0;
  for (const s of snap.fleet.sites)
    for (const r of s.racks)
      for (const d of r.domains) for (const n of d.nodes) devices += n.devices;
  process.stdout.write(
    `${JSON.stringify({
      benchmark: "forecast-10k",
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      devices,
      policy: args.policy,
      pending: args.pending,
      running: args.running,
      runs: args.runs,
      workers: args.workers,
      cut: results.filter((r) => Number.isFinite(r.cutAt)).length,
      // When each run's last pending workload started (or where its cap cut it).
      runHours: results.map((r) => Math.round(Math.min(r.cutAt, lastStart(r)) / 36) / 100),
      reruns: reruns.length,
      setupSeconds: Math.round((t1 - t0) / 100) / 10,
      forecastSeconds: Math.round((t2 - t1) / 100) / 10,
      totalSeconds: Math.round((t2 - t0) / 100) / 10,
      outcomes: {
        scheduled: scheduled.length,
        beyondHorizon: answer.filter((f) => f.outcome === "beyond-horizon").length,
        never: answer.filter((f) => f.outcome === "never").length,
      },
      p50Hours: {
        median: Math.round(p50s[p50s.length >> 1] / 36) / 100,
        max: Math.round((p50s.at(-1) ?? 0) / 36) / 100,
      },
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      digest: createHash("sha1").update(JSON.stringify(answer)).digest("hex").slice(0, 16),
    })}\n`,
  );
}
