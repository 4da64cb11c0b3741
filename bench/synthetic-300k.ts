/**
 * Benchmark (b): a synthetic 300,000-GPU fleet (37,500 nodes × 8) and 1,000,000 jobs
 * with arrivals and completions, through the ordinary simulator. Prints JSON.
 *
 * The workload is seeded and offered at about 85 % of capacity: Poisson arrivals,
 * log-normal run times (median 30 min, capped at 6 h), shapes 40 % 1 GPU, 15 % 2, 15 % 4, 25 % 8 and
 * 5 % fractional, CPU and memory in proportion.
 *
 *   node bench/synthetic-300k.ts [--nodes 37500] [--jobs 1000000] [--policy bestfit]
 *                                [--nodes-to-score adaptive|all|N]
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import type { Job } from "../src/core/model/job.ts";
import type { PolicyName } from "../src/core/registry.ts";
import { createRng } from "../src/core/rng.ts";
import { syntheticFleet } from "../src/fleet/synthetic.ts";
import { simulate } from "../src/sim/world.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "37500" },
    jobs: { type: "string", default: "1000000" },
    policy: { type: "string", default: "bestfit" },
    seed: { type: "string", default: "1" },
    "nodes-to-score": { type: "string", default: "adaptive" },
  },
});
const nodes = Number(values.nodes);
const jobCount = Number(values.jobs);
const devices = nodes * 8;

/** Seeded synthetic jobs; see the header for the mix. */
function syntheticJobs(count: number, seed: number): Job[] {
  const rng = createRng(seed);
  const meanDevices = 0.4 * 1 + 0.15 * 2 + 0.15 * 4 + 0.25 * 8 + 0.05 * 0.5;
  const meanDuration = 1800 * Math.exp(0.5); // log-normal, median 1800 s, sigma 1
  const rate = (0.85 * devices) / (meanDevices * meanDuration); // jobs per second
  const jobs: Job[] = new Array(count);
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - rng.next()) / rate;
    const u = rng.next();
    const [n, milli] =
      u < 0.4
        ? [1, 1000]
        : u < 0.55
          ? [2, 1000]
          : u < 0.7
            ? [4, 1000]
            : u < 0.95
              ? [8, 1000]
              : [1, 500];
    const gauss = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    jobs[i] = {
      id: `j${i}`,
      submitTime: Math.round(t),
      duration: Math.min(6 * 3600, Math.max(60, Math.round(1800 * Math.exp(gauss)))),
      devices: n,
      deviceMilli: milli,
      cpuMilli: Math.round((n * milli) / 1000) * 12_000 || 4_000,
      memoryMiB: Math.round((n * milli) / 1000) * 65_536 || 16_384,
      deviceTypes: [],
      priority: 0,
      tenant: `t${rng.int(8)}`,
    };
  }
  return jobs;
}

const t0 = performance.now();
const fleet = syntheticFleet({
  nodes,
  devicesPerNode: 8,
  cpuMilliPerNode: 112_000,
  memoryMiBPerNode: 2_097_152,
});
const jobs = syntheticJobs(jobCount, Number(values.seed));
const setupSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const nts = values["nodes-to-score"]!;
const nodesToScore = nts === "all" || nts === "adaptive" ? nts : Number(nts);
const result = simulate({
  fleet,
  jobs,
  policy: values.policy as PolicyName,
  seed: Number(values.seed),
  traceName: "synthetic",
  nodesToScore,
});
const simSeconds = (performance.now() - t1) / 1000;
const m = result.metrics;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: "synthetic-300k",
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      nodes,
      devices,
      jobs: jobCount,
      policy: values.policy,
      nodesToScore,
      setupSeconds: Math.round(setupSeconds * 10) / 10,
      simSeconds: Math.round(simSeconds * 10) / 10,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      events: result.events,
      cycles: result.cycles,
      placements: result.placements,
      eventsPerSecond: Math.round(result.events / simSeconds),
      completed: m.completed,
      meanAllocationPct: Math.round(m.meanAllocation * 10) / 10,
      makespanSeconds: Math.round(m.makespan),
      lastSubmitSeconds: jobs[jobs.length - 1].submitTime,
      meanQueueingDelaySeconds: Math.round(m.queueingDelay.mean),
    },
    null,
    2,
  )}\n`,
);
