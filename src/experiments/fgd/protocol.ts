/**
 * The FGD paper's workload-inflation protocol (USENIX ATC'23, §6; the published
 * simulator's generate_config_and_run.py and simulator.go):
 *   1. GPU nodes only; 2. pods sorted by name, then shuffled with the seed;
 *   3. the list tuned to `ratio` × cluster GPU capacity (random pods dropped, or
 *      random copies of workload pods appended); 4. pods placed one at a time, never
 *      removed; a pod that fits nowhere fails but still counts as arrived.
 * One seeded rng drives shuffle, tuning and tie-breaks, so a seed fixes the run.
 */
import { MILLI } from "../../core/model/cluster.ts";
import { type Job, jobDeviceMilli } from "../../core/model/job.ts";
import { type Rng, shuffle } from "../../core/rng.ts";

/** Orders pods by name and shuffles them with `rng` (protocol step 2). */
export function shuffledByName(jobs: readonly Job[], rng: Rng): Job[] {
  const sorted = [...jobs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return shuffle(sorted, rng);
}

/**
 * Drops or appends pods until the total device request is about `ratio` × capacity
 * (protocol step 3). Appended pods are copies of random workload pods, named
 * `<id>-tuned-<i>`. As published, appending stops at the first pod whose per-device
 * share would overshoot the target.
 */
export function tuneToCapacity(
  pods: Job[],
  workload: readonly Job[],
  totalDevices: number,
  ratio: number,
  rng: Rng,
): Job[] {
  const target = ratio * totalDevices * MILLI;
  let total = pods.reduce((s, p) => s + jobDeviceMilli(p), 0);
  const out = [...pods];
  if (total > target) {
    while (total > target && out.length > 0) {
      const [removed] = out.splice(rng.int(out.length), 1);
      total -= jobDeviceMilli(removed);
    }
    return out;
  }
  const source = [...workload].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; ; i++) {
    const pick = source[rng.int(source.length)];
    if (total + pick.deviceMilli > target) break;
    out.push({ ...pick, id: `${pick.id}-tuned-${i}` });
    total += jobDeviceMilli(pick);
  }
  return out;
}
