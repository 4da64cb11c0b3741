/**
 * Benchmark: a start-time forecast for 10,000 pending workloads on the 300,000-device
 * fleet of bench (c) (support/multi-tenant.ts: 37,500 nodes × 8, 4 sites, 50 queues
 * with quotas), from a snapshot with the fleet mostly busy (--running workloads placed
 * at the snapshot) and --finished workloads of history, with --runs Monte Carlo runs.
 * Target: under 10 s on 2 cores. Runs are handed to --workers worker threads one at a
 * time as each finishes one (each worker rebuilds the same snapshot from the seed); the
 * main thread merges them in run order, so the answer is the same for any worker count
 * (`digest`).
 *
 *   node bench/forecast-10k.ts [--pending 10000] [--running 11000] [--finished 5000]
 *        [--runs 20] [--workers 2] [--policy drf] [--nodes 37500] [--seed 1]
 */
import { createHash } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createRng } from "../src/core/rng.ts";
import {
  type ForecastSnapshot,
  planForecast,
  type RunResult,
  simulateRun,
} from "../src/forecast/index.ts";
import { backlog, drawWorkload, mixedFleet, tenancy50 } from "./support/multi-tenant.ts";

interface Args {
  pending: number;
  running: number;
  finished: number;
  runs: number;
  workers: number;
  policy: string;
  nodes: number;
  seed: number;
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
    running,
    pending,
    finished,
    arrivalWindow: 86_400,
  };
}

const opts = { runs: 0, seed: 1, horizon: 7 * 86_400 };

if (!isMainThread) {
  const { args } = workerData as { args: Args };
  const plan = planForecast(snapshot(args), { ...opts, runs: args.runs, seed: args.seed });
  // Runs are handed out one at a time (their lengths differ by 10×), until a -1.
  parentPort!.on("message", (k: number) => {
    if (k < 0) return parentPort!.close();
    const r = simulateRun(plan.prepared, k);
    parentPort!.postMessage({ k, starts: r.starts, statuses: [...r.statuses] }, [
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
    },
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
  };
  const t0 = performance.now();
  const snap = snapshot(args);
  const plan = planForecast(snap, { ...opts, runs: args.runs, seed: args.seed });
  const t1 = performance.now();
  const results: RunResult[] = new Array(args.runs);
  if (args.workers <= 0) {
    for (let k = 0; k < args.runs; k++) results[k] = simulateRun(plan.prepared, k);
  } else {
    let next = 0;
    const hand = () => (next < args.runs ? next++ : -1);
    await Promise.all(
      Array.from(
        { length: args.workers },
        () =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), { workerData: { args } });
            worker.on(
              "message",
              (m: { k: number; starts: Float64Array; statuses: [number, never][] }) => {
                results[m.k] = { starts: m.starts, statuses: new Map(m.statuses) };
                worker.postMessage(hand());
              },
            );
            worker.on("error", reject);
            worker.on("exit", () => resolve());
            worker.postMessage(hand());
          }),
      ),
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
