/**
 * The quota side of explain: the queue's and each ancestor's guarantee, usage and
 * borrowing limit, and the idle capacity of the cohort (the rest of the tree) it could
 * borrow. The same arithmetic as quotaBlock() in src/core/tenancy/tree.ts, spelled out.
 */
import type { QueueTree } from "../../core/tenancy/tree.ts";
import { Constraint, devices, type ExplainLine, fmt, line } from "./types.ts";

/**
 * Quota and cohort lines for `milli` more of type `t` in queue `q`. A blocking line per
 * level whose guarantee + borrowing limit it would pass; else one note for the lowest
 * level it would borrow at (or that it stays within its guarantee). A cohort line when
 * it would borrow, or when the idle capacity left to it is too small. `capacity` is the
 * type's capacity on schedulable nodes, in milli-devices.
 */
export function quotaLines(
  tree: QueueTree,
  q: number,
  t: number,
  milli: number,
  capacity: number,
): ExplainLine[] {
  const type = tree.typeIds[t];
  if (tree.open) return [line(Constraint.Quota, false, type, "open tenancy: no queue has a quota")];
  const T = tree.typeIds.length;
  const asked = devices(milli);
  const out: ExplainLine[] = [];
  let borrowsAt = -1;
  for (let a = q; a > 0; a = tree.parent[a]) {
    const k = a * T + t;
    const g = tree.guaranteed[k];
    const b = tree.borrowLimit[k];
    const used = tree.usage[k];
    const numbers = {
      queue: tree.paths[a],
      guaranteed: devices(g),
      used: devices(used),
      asked,
      borrowLimit: devices(b),
      limit: devices(g + b),
    };
    if (used + milli > g + b + 1e-6) {
      // 24 used + 8 asked = 32 > 8 guaranteed + 16 borrowable = 24
      out.push(
        line(
          Constraint.Quota,
          true,
          type,
          `queue ${tree.paths[a]} would use ${fmt(devices(used + milli))} ${type} (${fmt(devices(used))} in use + ${fmt(asked)} asked), over its guarantee of ${fmt(devices(g))} + borrowing limit of ${fmt(devices(b))} = ${fmt(devices(g + b))}`,
          numbers,
        ),
      );
    } else if (used + milli > g + 1e-6 && borrowsAt < 0) borrowsAt = a;
  }
  if (out.length === 0) {
    const a = borrowsAt < 0 ? q : borrowsAt;
    const k = a * T + t;
    const g = tree.guaranteed[k];
    const used = tree.usage[k];
    // The tightest guarantee + borrowing limit on the path: what it may still add.
    let room = Number.POSITIVE_INFINITY;
    let by = "";
    for (let x = q; x > 0; x = tree.parent[x]) {
      const kx = x * T + t;
      const left = tree.guaranteed[kx] + tree.borrowLimit[kx] - tree.usage[kx];
      if (left < room) {
        room = left;
        by = tree.paths[x];
      }
    }
    const numbers = {
      queue: tree.paths[a],
      guaranteed: devices(g),
      used: devices(used),
      asked,
      borrowLimit: devices(tree.borrowLimit[k]),
      room: devices(room),
    };
    // 0 used of 12 guaranteed + 16 asked: 16 − 12 = 4 borrowed
    const limits = Number.isFinite(room)
      ? `; its limits leave room for ${fmt(devices(room))} (queue ${by}'s guarantee + borrowing limit)`
      : "; no borrowing limit applies";
    const text =
      borrowsAt < 0
        ? `queue ${tree.paths[a]} uses ${fmt(devices(used))} of its guarantee of ${fmt(devices(g))} ${type}; the ${fmt(asked)} asked stay within it`
        : `queue ${tree.paths[a]} uses ${fmt(devices(used))} of its guarantee of ${fmt(devices(g))} ${type}, so it would borrow ${fmt(devices(used + milli - Math.max(g, used)))} of the ${fmt(asked)} asked${limits}`;
    out.push(line(Constraint.Quota, false, type, text, numbers));
  }
  const cohort = cohortLine(tree, q, t, milli, capacity);
  if (cohort.blocking || borrowsAt >= 0 || out.some((l) => l.blocking)) out.push(cohort);
  return out;
}

/**
 * Idle capacity left to queue `q`: the type's capacity on schedulable nodes minus all
 * usage, minus the unused guarantees of the siblings along its path that they may not
 * lend (their guarantee − lending limit − usage).
 */
function cohortLine(
  tree: QueueTree,
  q: number,
  t: number,
  milli: number,
  capacity: number,
): ExplainLine {
  const T = tree.typeIds.length;
  const type = tree.typeIds[t];
  let kept = 0;
  for (let a = q; a > 0; a = tree.parent[a])
    for (const s of tree.children[tree.parent[a]]) {
      if (s === a) continue;
      const k = s * T + t;
      kept += Math.max(0, tree.guaranteed[k] - tree.lendLimit[k] - tree.usage[k]);
    }
  const allocated = tree.usage[t];
  const idle = Math.max(0, capacity - allocated);
  const open = Math.max(0, idle - kept);
  const blocking = idle - kept < milli - 1e-6;
  // 128 on schedulable nodes − 120 allocated = 8 idle; 8 − 0 kept = 8 open to it
  const text = `the cohort has ${fmt(devices(idle))} ${type} idle (${fmt(devices(capacity))} on schedulable nodes − ${fmt(devices(allocated))} allocated)${kept > 0 ? `, ${fmt(devices(kept))} of it kept by other queues' lending limits` : ""}: ${fmt(devices(open))} open to it, ${fmt(devices(milli))} asked`;
  return line(Constraint.Cohort, blocking, type, text, {
    capacity: devices(capacity),
    allocated: devices(allocated),
    idle: devices(idle),
    kept: devices(kept),
    open: devices(open),
    asked: devices(milli),
  });
}
