/**
 * Benchmark (a): the FGD inflation experiment on openb_pod_list_default.
 * Runs 6 policies × 10 seeds in one thread to time each run and read peak RSS,
 * then the same 60 runs on all cores for wall time. Prints JSON.
 *
 *   node bench/fgd-experiment.ts [--traces DIR] [--seeds 42-51]
 */
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSeeds } from "../src/cli/options.ts";
import type { PolicyName } from "../src/core/registry.ts";
import { runExperiment } from "../src/experiments/fgd/experiment.ts";

const { values } = parseArgs({
  options: {
    traces: { type: "string", default: join("..", "shared", "traces", "alibaba-gpu-v2023-openb") },
    seeds: { type: "string", default: "42-51" },
  },
});
const policies: PolicyName[] = [
  "random",
  "dotprod",
  "gpuclustering",
  "gpupacking",
  "bestfit",
  "fgd",
];
const seeds = parseSeeds(values.seeds!);
const spec = { workloads: ["openb_pod_list_default"], policies, seeds, tracesDir: values.traces! };

const perPolicy = new Map<string, { ms: number[]; placements: number }>();
const t0 = performance.now();
await runExperiment({
  ...spec,
  workers: 0,
  onRunDone: (_d, _t, run, ms) => {
    const p = perPolicy.get(run.policy) ?? { ms: [], placements: 0 };
    p.ms.push(ms);
    p.placements += run.placements;
    perPolicy.set(run.policy, p);
  },
});
const serialSeconds = (performance.now() - t0) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const t1 = performance.now();
await runExperiment({ ...spec });
const parallelSeconds = (performance.now() - t1) / 1000;

// The first run of each thread also loads the trace and warms the JIT; report both.
const policyFigures = [...perPolicy.entries()].map(([policy, p]) => {
  const sorted = [...p.ms].sort((a, b) => a - b);
  return {
    policy,
    runs: p.ms.length,
    meanMsPerRun: Math.round(p.ms.reduce((s, x) => s + x, 0) / p.ms.length),
    medianMsPerRun: Math.round(sorted[Math.floor(sorted.length / 2)]),
    placementsPerSecond: Math.round(p.placements / (p.ms.reduce((s, x) => s + x, 0) / 1000)),
  };
});
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: "fgd-experiment",
      workload: "openb_pod_list_default",
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      runs: policies.length * seeds.length,
      serialSeconds: Math.round(serialSeconds * 10) / 10,
      parallelSeconds: Math.round(parallelSeconds * 10) / 10,
      workers: availableParallelism(),
      peakRssMiB: Math.round(peakRssMiB),
      policies: policyFigures,
    },
    null,
    2,
  )}\n`,
);
