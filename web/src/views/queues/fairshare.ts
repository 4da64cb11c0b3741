/**
 * An instantaneous fair-share factor per queue, computed from GET /v1/queues the way
 * Slurm's is (src/core/tenancy/fairshare.ts), but with devices in use now instead of
 * decayed usage: F = 2^(−U/S), U the queue's share of all devices in use, S its share of
 * weights down the tree (product of weight / sum of siblings' weights). 1 for an idle
 * queue, 0.5 at exactly its share, towards 0 as it overuses. Pure.
 */
import type { Queue } from "../../types.ts";

const parentOf = (path: string): string | null => {
  const i = path.lastIndexOf("/");
  return i < 0 ? null : path.slice(0, i);
};

/** Devices in use by `q`, summed over device types. */
export const usedDevices = (q: Pick<Queue, "types">): number =>
  Object.values(q.types).reduce((s, v) => s + v.used, 0);

/** Queue path → fair-share factor, for every queue in `queues`. */
export function fairShareFactors(queues: readonly Queue[]): Map<string, number> {
  const byPath = new Map(queues.map((q) => [q.path, q]));
  const siblings = new Map<string | null, number>();
  for (const q of queues) {
    const p = parentOf(q.path);
    siblings.set(p, (siblings.get(p) ?? 0) + q.weight);
  }
  const total = queues
    .filter((q) => parentOf(q.path) === null)
    .reduce((s, q) => s + usedDevices(q), 0);
  const out = new Map<string, number>();
  for (const q of queues) {
    let share = 1;
    for (let a: string | null = q.path; a !== null; a = parentOf(a)) {
      const node = byPath.get(a);
      if (node === undefined) break;
      share *= node.weight / (siblings.get(parentOf(a)) ?? node.weight);
    }
    const u = total > 0 ? usedDevices(q) / total : 0;
    out.set(q.path, share > 0 ? 2 ** (-u / share) : 0);
  }
  return out;
}
