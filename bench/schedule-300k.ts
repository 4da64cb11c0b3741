/**
 * Benchmark (c): the multi-tenant scheduling cycle on a 300,000-device fleet.
 * 37,500 nodes × 8 over 4 sites (NVLink domains of 144 and 72 devices, three device
 * types; see support/multi-tenant.ts), 50 tenant queues with quotas, and a backlog of
 * 100,000 pending workloads of mixed shapes. Target: ≥ 10,000 placements/s sustained
 * and a cycle p99 under 50 ms.
 *
 * The driver does what the simulator does between cycles: it applies start decisions
 * (ledger allocate + quota charge); preempted work exits at once (no grace period) and
 * goes back to its queue, the room it frees held for the workload it was freed for; a
 * random slice (`--churn`) of the running work completes and is replaced by a fresh
 * submission, so the backlog stays at 100,000. Only schedule() is timed per cycle; the
 * loop's wall time (driver included) is reported too.
 *
 * Phases, reported apart: `firstCycle` (the empty fleet), `fill` (the leading cycles
 * that start every workload they try, up to maxAttempts: the fleet still has room) and
 * `sustained` (the rest, until --placements members are placed or --max-seconds pass).
 * A placement is one member placed on a node; `starts` counts workloads.
 * `decisionDigest` hashes every decision: equal digests mean equal decisions. With
 * --node-rank and scopes of at most 2,000 nodes (--nodes 1800) a cycle draws no random
 * numbers, so digests compare code that searches differently but decides the same.
 *
 *   node bench/schedule-300k.ts [--policy gongjang-default,drf,fifo] [--nodes 37500]
 *        [--pending 100000] [--churn 0.02] [--placements 100000] [--max-cycles 1000]
 *        [--max-seconds 60] [--seed 1] [--node-rank] [--trace]
 * One JSON object per policy, one per line; each policy runs in its own process so
 * its peak RSS and JIT warm-up are its own.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { buildClusterState } from "../src/core/model/cluster.ts";
import { allocate, type Placement, release } from "../src/core/model/ledger.ts";
import type { Request } from "../src/core/model/request.ts";
import type { Hold, Holds } from "../src/core/plugins/hold/index.ts";
import { createRng, shuffle } from "../src/core/rng.ts";
import { schedule } from "../src/core/schedule/index.ts";
import { withinQueue } from "../src/core/schedule/order.ts";
import { createSchedulerPolicy } from "../src/core/schedule/policies.ts";
import type { PendingWorkload, RunningWorkload } from "../src/core/schedule/types.ts";
import { charge, compileTenancy, queueIndex } from "../src/core/tenancy/tree.ts";
import { memberJob, type Workload } from "../src/core/workload/index.ts";
import { backlog, drawWorkload, mixedFleet, tenancy50 } from "./support/multi-tenant.ts";

const { values } = parseArgs({
  options: {
    policy: { type: "string", default: "gongjang-default,drf,fifo" },
    nodes: { type: "string", default: "37500" },
    pending: { type: "string", default: "100000" },
    churn: { type: "string", default: "0.02" },
    placements: { type: "string", default: "100000" },
    "max-cycles": { type: "string", default: "1000" },
    "max-seconds": { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
    /** Workloads tried per cycle (the policy's maxAttempts). */
    "max-attempts": { type: "string", default: "128" },
    /** Break score ties by a seeded node rank instead of a random draw. */
    "node-rank": { type: "boolean", default: false },
    /** Per-cycle figures on stderr. */
    trace: { type: "boolean", default: false },
  },
});

const policies = values.policy!.split(",");
if (policies.length > 1) {
  // One child per policy: separate heaps, so peak RSS and JIT state are per policy.
  for (const p of policies) {
    const args = process.argv
      .slice(2)
      .filter((a, i, all) => a !== "--policy" && all[i - 1] !== "--policy");
    const out = execFileSync(process.execPath, [import.meta.filename, ...args, "--policy", p], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 16 * 1024 * 1024,
    });
    process.stdout.write(out);
  }
  process.exit(0);
}

const policyName = policies[0];
const seed = Number(values.seed);
const churn = Number(values.churn);
const t0 = performance.now();
const fleet = mixedFleet(Number(values.nodes));
const state = buildClusterState(fleet);
const rng = createRng(seed);
const { spec, leaves } = tenancy50(fleet, rng);
const tree = compileTenancy(spec, state.deviceTypes);
const workloads = backlog(Number(values.pending), leaves, rng);
const policy = createSchedulerPolicy(policyName, {
  deviceTypes: state.deviceTypes,
  memberJobs: workloads.map((w) => memberJob(w, 0)),
  maxAttempts: Number(values["max-attempts"]),
});
const compare = withinQueue(policy.order, policy.lasThresholds);
const pending: PendingWorkload[][] = tree.paths.map(() => []);
const entryOf = (w: Workload): PendingWorkload => ({
  w,
  queue: queueIndex(tree, w.queue),
  attained: 0,
});
for (const w of workloads) {
  const e = entryOf(w);
  pending[e.queue].push(e);
}
for (const list of pending) list.sort(compare);
const setupSeconds = (performance.now() - t0) / 1000;

/** A running workload as the driver keeps it. */
interface BenchRun extends RunningWorkload {
  terminating: boolean;
  /** Members a preemption stops (after this cycle). */
  exitMembers: number;
  /** The workload the preemption was for. */
  beneficiary: string;
}
/**
 * Room freed by a preemption is held for its beneficiary (as the simulator does) until
 * it starts or BENEFICIARY_HOLD seconds pass; without it the freed room goes to whoever
 * comes first in the next cycle, and the beneficiary preempts again.
 */
const BENEFICIARY_HOLD = 600;
const beneficiaryHolds = new Map<string, { hold: Hold; nodes: Set<number> }>();
let holds: Holds | undefined;

function buildHolds(): Holds | undefined {
  if (beneficiaryHolds.size === 0) return undefined;
  const byNode = new Int32Array(state.nodeCount).fill(-1);
  const list: Hold[] = [];
  for (const { hold, nodes } of beneficiaryHolds.values()) {
    for (const n of nodes) if (byNode[n] < 0) byNode[n] = list.length;
    list.push(hold);
  }
  return { byNode, list };
}
let running: BenchRun[] = [];
let nextId = workloads.length;
const driverRng = createRng(seed + 1);
const schedRng = createRng(seed + 2);
const digest = createHash("sha1");
// With a rank and scopes of at most 2,000 nodes (no partial scans), a cycle draws no
// random numbers at all: decisions then depend on the state alone.
const nodeRank = values["node-rank"]
  ? Int32Array.from(shuffle([...state.nodeIds.keys()], createRng(seed + 3)))
  : undefined;

function insertPending(e: PendingWorkload): void {
  const list = pending[e.queue];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid], e) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, e);
}

function stop(r: BenchRun, members: number): void {
  const perMember = r.w.member.devices * r.w.member.deviceMilli;
  for (let k = 0; k < members; k++) {
    const p = r.placements.at(-1 - k)!;
    release(state, r.request, p);
    if (r.type >= 0) charge(tree, r.queue, r.type, -perMember);
  }
}

interface CycleFigures {
  ms: number;
  attempts: number;
  starts: number;
  members: number;
  preemptions: number;
}

/** One cycle: schedule (timed), apply its decisions, then churn. */
function step(now: number): CycleFigures {
  const c0 = performance.now();
  const decisions = schedule({
    state,
    tree,
    pending,
    running,
    policy,
    now,
    rng: schedRng,
    nodeRank,
    holds,
  });
  const ms = performance.now() - c0;
  const started = new Set<PendingWorkload>();
  const fig: CycleFigures = {
    ms,
    attempts: decisions.length,
    starts: 0,
    members: 0,
    preemptions: 0,
  };
  for (const d of decisions) {
    if (d.kind === "start") {
      const { w } = d.entry;
      for (const p of d.placements) {
        allocate(state, d.request, p);
        if (d.type >= 0)
          charge(tree, d.entry.queue, d.type, w.member.devices * w.member.deviceMilli);
      }
      started.add(d.entry);
      running.push({
        w,
        queue: d.entry.queue,
        type: d.type,
        request: d.request as Request,
        placements: d.placements as Placement[],
        startTime: now,
        estimatedEnd: now + w.duration,
        attained: 0,
        terminating: false,
        exitMembers: 0,
        beneficiary: "",
      });
      beneficiaryHolds.delete(w.id);
      fig.starts++;
      fig.members += d.placements.length;
      digest.update(
        `s${w.id}@${d.placements.map((p) => `${p.node}:${p.devices.join(".")}`).join(",")};`,
      );
    } else if (d.kind === "preempt") {
      const v = d.victim as BenchRun;
      v.terminating = true;
      v.exitMembers = d.members;
      v.beneficiary = d.beneficiary.w.id;
      fig.preemptions++;
      digest.update(`p${v.w.id}>${d.beneficiary.w.id};`);
    } else if (d.kind === "grow") {
      // Running work back to size (none of this mix is elastic, but apply it faithfully).
      const r = d.running as BenchRun;
      const m = r.w.member;
      for (const p of d.placements) {
        allocate(state, r.request, p);
        if (r.type >= 0) charge(tree, r.queue, r.type, m.devices * m.deviceMilli);
        (r.placements as Placement[]).push(p);
      }
      fig.members += d.placements.length;
      digest.update(`g${r.w.id}+${d.placements.length};`);
    } else {
      digest.update(`w${d.entry.w.id}:${d.status.plugin};`);
    }
  }
  // Started workloads leave their queues; a cycle takes them from the heads, so only a
  // prefix of each list needs rewriting.
  const startedIn = new Map<number, number>();
  for (const e of started) startedIn.set(e.queue, (startedIn.get(e.queue) ?? 0) + 1);
  for (const [q, count] of startedIn) {
    const list = pending[q];
    let found = 0;
    let end = 0;
    while (found < count) if (started.has(list[end++])) found++;
    const kept = list.slice(0, end).filter((e) => !started.has(e));
    list.splice(0, end, ...kept);
  }
  // Preempted work exits now (no grace period) and goes back to its queue, its room held
  // for the beneficiary; a random slice of the rest completes and is replaced by a new
  // submission.
  for (const [id, h] of beneficiaryHolds) if (h.hold.end <= now) beneficiaryHolds.delete(id);
  const kept: BenchRun[] = [];
  for (const r of running) {
    if (r.terminating) {
      stop(r, r.exitMembers);
      insertPending({ w: r.w, queue: r.queue, attained: 0 });
      let h = beneficiaryHolds.get(r.beneficiary);
      if (!h) {
        const hold = {
          id: `preempted-for:${r.beneficiary}`,
          workload: r.beneficiary,
          start: now,
          end: now + BENEFICIARY_HOLD,
        };
        h = { hold, nodes: new Set() };
        beneficiaryHolds.set(r.beneficiary, h);
      }
      for (let k = r.placements.length - r.exitMembers; k < r.placements.length; k++)
        h.nodes.add(r.placements[k].node);
    } else if (driverRng.next() < churn) {
      stop(r, r.placements.length);
      insertPending(entryOf(drawWorkload(`w${nextId++}`, now, leaves, driverRng)));
    } else {
      kept.push(r);
    }
  }
  running = kept;
  holds = buildHolds();
  return fig;
}

const maxCycles = Number(values["max-cycles"]);
const maxMs = Number(values["max-seconds"]) * 1000;
const targetPlacements = Number(values.placements);
let cycle = 0;
const run = (): CycleFigures => {
  const f = step(cycle * 10);
  if (values.trace)
    process.stderr.write(
      `cycle ${cycle}: ${f.ms.toFixed(1)} ms, ${f.attempts} tried, ${f.starts} started (${f.members} members), ${f.preemptions} preempted, ${running.length} running\n`,
    );
  cycle++;
  return f;
};
// Filling the empty fleet: cycles that start every workload they try, up to the cap.
// They place the most per cycle and are reported apart from the steady state.
const fill: CycleFigures[] = [run()];
while (fill.at(-1)!.starts >= policy.maxAttempts && fill.length < maxCycles) fill.push(run());
const sustained: CycleFigures[] = [];
const l0 = performance.now();
let placed = 0;
while (
  sustained.length < maxCycles &&
  performance.now() - l0 < maxMs &&
  placed < targetPlacements
) {
  const f = run();
  placed += f.members;
  sustained.push(f);
}
const loopSeconds = (performance.now() - l0) / 1000;

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sum = (fs: CycleFigures[], k: keyof CycleFigures) => fs.reduce((s, f) => s + f[k], 0);
/** Totals, rates and cycle-time percentiles of some cycles. */
function figures(fs: CycleFigures[]) {
  const ms = fs.map((f) => f.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  const seconds = sum(fs, "ms") / 1000;
  return {
    cycles: fs.length,
    attempts: sum(fs, "attempts"),
    starts: sum(fs, "starts"),
    members: sum(fs, "members"),
    preemptions: sum(fs, "preemptions"),
    placementsPerSecond: Math.round(sum(fs, "members") / seconds),
    startsPerSecond: Math.round(sum(fs, "starts") / seconds),
    cycleMs: {
      mean: round((1000 * seconds) / ms.length),
      p50: round(pct(50)),
      p99: round(pct(99)),
      max: round(ms.at(-1)!),
    },
  };
}
const first = fill[0];
let busy = 0;
for (let d = 0; d < state.devFree.length; d++) busy += 1000 - state.devFree[d];
process.stdout.write(
  `${JSON.stringify({
    benchmark: "schedule-300k",
    policy: policyName,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    nodes: state.nodeCount,
    devices: state.devFree.length,
    domains: state.domainIds.length,
    tenants: leaves.length,
    pending: workloads.length,
    maxAttempts: policy.maxAttempts,
    churn,
    setupSeconds: round(setupSeconds),
    firstCycle: {
      ms: round(first.ms),
      attempts: first.attempts,
      starts: first.starts,
      members: first.members,
      placementsPerSecond: Math.round(first.members / (first.ms / 1000)),
    },
    fill: figures(fill),
    sustained: {
      ...figures(sustained),
      placementsPerSecondWithDriver: Math.round(placed / loopSeconds),
      loopSeconds: round(loopSeconds),
    },
    endState: {
      running: running.length,
      pending: pending.reduce((s, l) => s + l.length, 0),
      allocatedPct: round((100 * busy) / (state.devFree.length * 1000)),
    },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    decisionDigest: digest.digest("hex").slice(0, 16),
  })}\n`,
);
