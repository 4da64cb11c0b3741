/**
 * One live scheduling cycle with 10,000 pending jobs in the store: the time to build
 * the snapshot from the store (one read transaction), to run schedule(), and to apply
 * the plan in one write transaction, on embedded SQLite and (with GJ_TEST_DATABASE_URL) Postgres. Jobs are
 * the demo tenants' workload mix (real-trace-fitted shapes) on the demo AI factory.
 *
 *   node bench/live-cycle.ts [--pending 10000] [--cycles 10]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadFleet } from "../src/fleet/index.ts";
import { loadScenario } from "../src/scenario/index.ts";
import { DEMO_SEED } from "../src/service/demo/seed.ts";
import { resolveSpec } from "../src/service/jobs/admit.ts";
import type { JobSpec } from "../src/service/jobs/spec.ts";
import { applyPlan } from "../src/service/scheduler/apply.ts";
import { livePolicy, planCycle } from "../src/service/scheduler/plan.ts";
import { seedStore } from "../src/service/seed.ts";
import { liveTenancy } from "../src/service/tenancy/live.ts";
import { pendingJob } from "../src/store/jobs.ts";
import { openStore } from "../src/store/open.ts";

const { values } = parseArgs({
  options: {
    pending: { type: "string", default: "10000" },
    cycles: { type: "string", default: "10" },
    policy: { type: "string", default: "gongjang-default" },
  },
});
const N = Number(values.pending);
const cycles = Number(values.cycles);
const fleet = loadFleet("demo-ai-factory");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2));
};

async function run(label: string, location: string) {
  const store = await openStore(location);
  const now = Date.parse("2026-11-23T00:00:00Z");
  await seedStore(store.db, fleet, DEMO_SEED, now);
  const tenancy = await liveTenancy(store.db, now);
  const mix = loadScenario("demo-ai-factory", { seed: 3, days: 14 }).workloads.filter((w) =>
    Number.isFinite(w.duration),
  );
  const insertStart = performance.now();
  for (let i = 0; i < N; i += 500) {
    const rows = [];
    for (let k = i; k < Math.min(N, i + 500); k++) {
      const w = mix[k % mix.length];
      const spec: JobSpec = {
        queue: w.queue,
        members: w.members,
        minMembers: w.minMembers,
        devices: w.member.devices,
        ...(w.member.deviceMilli < 1000 && { deviceShare: w.member.deviceMilli / 1000 }),
        ...(w.deviceTypes.length > 0 && { deviceTypes: [...w.deviceTypes] }),
        duration: w.duration,
        priority: w.priority,
      };
      const stored = resolveSpec(spec, tenancy);
      rows.push(
        pendingJob({
          tenant: w.queue.split("/")[0],
          queue: w.queue,
          user: "bench",
          name: `bench-${k}`,
          spec: JSON.stringify(stored),
          priority: stored.priority,
          submitted_at: now - (N - k) * 1000,
        }),
      );
    }
    await store.db.insertInto("jobs").values(rows).execute();
  }
  const insertMs = performance.now() - insertStart;
  const policy = livePolicy(values.policy, fleet);
  const snapMs: number[] = [];
  const schedMs: number[] = [];
  const applyMs: number[] = [];
  let started = 0;
  let pendingSeen = 0;
  for (let c = 0; c < cycles; c++) {
    const at = now + c * 1000;
    const { plan } = await planCycle(store.db, store.dialect, fleet, policy, {
      now: at,
      promised: [],
      seed: c + 1,
    });
    const t0 = performance.now();
    const applied = await store.db.transaction().execute((tx) => applyPlan(tx, plan, at));
    applyMs.push(performance.now() - t0);
    snapMs.push(plan.stats.snapshotMs);
    schedMs.push(plan.stats.scheduleMs);
    started += applied.starts.length;
    pendingSeen = plan.stats.pendingByQueue.reduce((s, [, n]) => s + n, 0);
  }
  await store.close();
  return {
    bench: "live-cycle",
    store: label,
    policy: values.policy,
    pendingAtStart: N,
    pendingAtLastCycle: pendingSeen,
    cycles,
    started,
    insertMs: Math.round(insertMs),
    snapshotMs: { p50: pct(snapMs, 50), max: pct(snapMs, 100) },
    scheduleMs: { p50: pct(schedMs, 50), max: pct(schedMs, 100) },
    applyMs: { p50: pct(applyMs, 50), max: pct(applyMs, 100) },
    cycleMs: {
      p50: pct(
        snapMs.map((s, i) => s + schedMs[i] + applyMs[i]),
        50,
      ),
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "gj-cycle-"));
const out = [await run("sqlite", join(dir, "gongjang.db"))];
rmSync(dir, { recursive: true, force: true });
if (process.env.GJ_TEST_DATABASE_URL !== undefined) {
  const { freshDatabase } = await import("../test/support/service.ts");
  const db = await freshDatabase("postgres");
  out.push(await run("postgres", db.url));
  await db.remove();
}
for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
