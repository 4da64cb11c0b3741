// Crash recovery: `gongjang serve` (a child process) is SIGKILLed at seeded-random
// moments while a few clients stream submits, each with its own Idempotency-Key. After
// each restart the requests that were in flight are re-sent with the same keys: a job
// committed before the kill comes back (200), one that was not is created once (201).
// The store must then hold every acknowledged job exactly once under its key, no job
// that nobody was told about, and no device held beyond its capacity.
// GJ_CRASH_SEED, GJ_CRASH_KILLS and GJ_CRASH_PG_KILLS override the defaults below.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import {
  type ChildService,
  readStore,
  type StoredJob,
  startChild,
  storeLocation,
} from "../support/child-service.ts";
import { freshDatabase } from "../support/service.ts";

const SEED = Number(process.env.GJ_CRASH_SEED ?? 42);
const KILLS = Number(process.env.GJ_CRASH_KILLS ?? 20);
const PG_KILLS = Number(process.env.GJ_CRASH_PG_KILLS ?? 4);
/** Submits in flight at once. */
const CLIENTS = 4;
/** A kill lands 0–400 ms after the stream of submits starts. */
const MAX_KILL_MS = 400;
const KNOWN_STATES = new Set([
  "pending",
  "running",
  "stopping",
  "succeeded",
  "failed",
  "cancelled",
]);
const QUEUES = [
  "hyundai/llm",
  "hyundai/robotics/sim",
  "samsung/foundation",
  "lg/exaone",
  "snu/gsai",
  "kisti/climate",
];

/** mulberry32: a small seeded PRNG, so a seed replays the same bodies and kill moments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Submit number `i`'s body: whole GPUs (some gangs) or a share of one device. */
function bodyFor(i: number): Record<string, unknown> {
  const r = rng(SEED * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const share = r() < 0.3;
  return {
    queue: pick(QUEUES),
    name: `crash-${i}`,
    members: share ? 1 : 1 + Math.floor(r() * 2),
    devices: share ? 1 : pick([1, 2, 4, 8]),
    ...(share && { deviceShare: pick([0.25, 0.5, 0.75]) }),
    // 1 min–1 h declared: 17 ms–1 s of wall time at --speedup 3600, so jobs start
    // and end while the clients submit
    duration: 60 + Math.floor(r() * 3540),
  };
}

/** What the clients were told, and what was in flight when the service died. */
class Ledger {
  readonly acked = new Map<string, number>();
  readonly inflight = new Set<string>();
  readonly errors: string[] = [];
  private readonly bodies = new Map<string, Record<string, unknown>>();
  private count = 0;
  resent = { committed: 0, created: 0 };

  private readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  newKey(): string {
    const i = this.count++;
    const key = `${this.prefix}-${i}`;
    this.bodies.set(key, bodyFor(i));
    return key;
  }

  /** Sends `key`'s submit; false when the service died under it (it stays in flight). */
  async submit(child: ChildService, key: string, resend: boolean): Promise<boolean> {
    this.inflight.add(key);
    let res: Awaited<ReturnType<ChildService["call"]>>;
    try {
      res = await child.call("POST", "/v1/jobs", {
        body: this.bodies.get(key),
        headers: { "idempotency-key": key },
      });
    } catch {
      return false;
    }
    this.inflight.delete(key);
    // A first send creates (201); a re-send finds the committed job (200) or creates it.
    const ok = res.status === 201 || (resend && res.status === 200);
    if (!ok) this.errors.push(`${key} (resend ${resend}) → ${res.status} ${res.text}`);
    else if (this.acked.has(key) && this.acked.get(key) !== res.json.id)
      this.errors.push(`${key} acknowledged as job ${this.acked.get(key)}, then ${res.json.id}`);
    else {
      this.acked.set(key, res.json.id);
      if (resend) this.resent[res.status === 200 ? "committed" : "created"]++;
    }
    return true;
  }
}

/**
 * The store's invariants. `settled`: nothing is in flight, so every job must be an
 * acknowledged one; otherwise in-flight keys may or may not have committed. Returns
 * how many jobs hold devices.
 */
function checkStore(
  rows: readonly StoredJob[],
  ledger: Ledger,
  settled: boolean,
  when: string,
): number {
  let active = 0;
  const byKey = new Map<string, StoredJob[]>();
  const held = new Map<string, number>();
  for (const row of rows) {
    assert.ok(row.key !== null, `${when}: job ${row.id} has no key; only keyed submits were sent`);
    byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    assert.ok(KNOWN_STATES.has(row.state), `${when}: job ${row.id} in state ${row.state}`);
    assert.equal(row.submittedEvents, 1, `${when}: job ${row.id} has one submitted event`);
    if (row.state !== "running" && row.state !== "stopping") continue;
    active++;
    const members = JSON.parse(row.placement ?? "[]") as {
      node: string;
      devices: number[];
      deviceMilli: number;
    }[];
    assert.ok(members.length > 0, `${when}: ${row.state} job ${row.id} has a placement`);
    for (const m of members)
      for (const d of m.devices) {
        const dev = `${m.node}#${d}`;
        held.set(dev, (held.get(dev) ?? 0) + m.deviceMilli);
        // fractional jobs may share a device, up to 1000 milli in all
        assert.ok(held.get(dev)! <= 1000, `${when}: device ${dev} held ${held.get(dev)} milli`);
      }
  }
  for (const [key, jobs] of byKey) {
    assert.equal(jobs.length, 1, `${when}: key ${key} has jobs ${jobs.map((j) => j.id)}`);
    assert.ok(
      ledger.acked.has(key) || (!settled && ledger.inflight.has(key)),
      `${when}: job ${jobs[0].id} (key ${key}) was never acknowledged or in flight`,
    );
  }
  for (const [key, id] of ledger.acked)
    assert.equal(byKey.get(key)?.[0].id, id, `${when}: acknowledged ${key} → job ${id} is stored`);
  return active;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `kills` kill–restart cycles against one store; returns the ledger. */
async function crashLoop(
  t: TestContext,
  o: { dataDir: string; database?: string; location: string; kills: number; seed: number },
): Promise<Ledger> {
  const ledger = new Ledger(`k${o.seed}`);
  const moments = rng(o.seed);
  const started = performance.now();
  let restartMs = 0;
  let peakActive = 0;
  let rows: StoredJob[] = [];
  for (let cycle = 0; cycle <= o.kills; cycle++) {
    const t0 = performance.now();
    const child = await startChild({ dataDir: o.dataDir, database: o.database });
    restartMs += performance.now() - t0;
    try {
      // Re-send what was in flight at the last kill; nothing else runs meanwhile.
      for (const key of [...ledger.inflight])
        assert.ok(await ledger.submit(child, key, true), `re-send of ${key} got an answer`);
      assert.deepEqual(ledger.errors, []);
      rows = await readStore(o.location);
      checkStore(rows, ledger, true, `after restart ${cycle}`);
      if (cycle === o.kills) {
        await crossCheckApi(child, ledger);
        await child.stop();
        break;
      }
      let streaming = true;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (streaming) if (!(await ledger.submit(child, ledger.newKey(), false))) return;
      });
      await sleep(Math.floor(moments() * MAX_KILL_MS));
      await child.kill();
      streaming = false;
      await Promise.all(clients);
      assert.deepEqual(ledger.errors, []);
      // The store as the crash left it: in-flight submits may or may not be there.
      const active = checkStore(
        await readStore(o.location),
        ledger,
        false,
        `after kill ${cycle + 1}`,
      );
      peakActive = Math.max(peakActive, active);
    } finally {
      await child.kill();
    }
  }
  const states = new Map<string, number>();
  for (const r of rows) states.set(r.state, (states.get(r.state) ?? 0) + 1);
  t.diagnostic(
    `${o.kills} kills, ${ledger.acked.size} jobs acknowledged; re-sent after a kill: ` +
      `${ledger.resent.committed} had committed, ${ledger.resent.created} created then; ` +
      `up to ${peakActive} jobs held devices at a kill; at the end ${JSON.stringify(Object.fromEntries(states))}; ` +
      `${Math.round(performance.now() - started)} ms (${Math.round(restartMs)} ms starting the service)`,
  );
  return ledger;
}

/** The API lists exactly the acknowledged jobs (pages of 500, newest first). */
async function crossCheckApi(child: ChildService, ledger: Ledger): Promise<void> {
  const ids: number[] = [];
  let cursor: number | null = null;
  do {
    const res = await child.call("GET", `/v1/jobs?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(res.status, 200, res.text);
    ids.push(...res.json.items.map((j: { id: number }) => j.id));
    cursor = res.json.nextCursor;
  } while (cursor !== null);
  assert.deepEqual(
    ids.sort((a, b) => a - b),
    [...ledger.acked.values()].sort((a, b) => a - b),
  );
}

test("the crash checks catch a lost job, a duplicate and a double-booked device", () => {
  const ledger = new Ledger("self");
  ledger.acked.set("a", 1);
  const job = (id: number, key: string, state = "pending", placement: unknown = null) => ({
    id,
    key,
    state,
    placement: placement === null ? null : JSON.stringify(placement),
    submittedEvents: 1,
  });
  const on = (devices: number[], deviceMilli: number) => [{ node: "n1", devices, deviceMilli }];
  assert.throws(() => checkStore([], ledger, true, "lost"), /acknowledged a → job 1/);
  assert.throws(() => checkStore([job(1, "a"), job(2, "a")], ledger, true, "dup"), /key a has/);
  assert.throws(() => checkStore([job(1, "a"), job(2, "b")], ledger, true, "phantom"), /never/);
  ledger.acked.set("b", 2);
  // 600 + 600 milli of device n1#3 > 1000; 500 + 500 fits
  const a = job(1, "a", "running", on([2, 3], 600));
  const b = job(2, "b", "stopping", on([3], 600));
  assert.throws(() => checkStore([a, b], ledger, true, "double"), /n1#3 held 1200/);
  const half = job(2, "b", "running", on([3], 400));
  assert.equal(checkStore([a, half], ledger, true, "shared"), 2);
});

test(`SIGKILL at ${KILLS} random moments loses no acknowledged job and double-books no device (sqlite)`, {
  timeout: 300_000,
}, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "gj-crash-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const ledger = await crashLoop(t, {
    dataDir,
    location: storeLocation(dataDir),
    kills: KILLS,
    seed: SEED,
  });
  assert.ok(ledger.acked.size > KILLS, "the clients got work through between kills");
});

test(`SIGKILL at ${PG_KILLS} random moments (postgres)`, {
  timeout: 300_000,
  skip:
    process.env.GJ_TEST_DATABASE_URL === undefined &&
    process.env.GJ_REQUIRE_POSTGRES !== "1" &&
    "GJ_TEST_DATABASE_URL is unset",
}, async (t) => {
  assert.ok(process.env.GJ_TEST_DATABASE_URL, "GJ_REQUIRE_POSTGRES=1 needs GJ_TEST_DATABASE_URL");
  const db = await freshDatabase("postgres");
  const dataDir = mkdtempSync(join(tmpdir(), "gj-crash-pg-"));
  t.after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db.remove();
  });
  await crashLoop(t, {
    dataDir,
    database: db.url,
    location: db.url,
    kills: PG_KILLS,
    seed: SEED + 1,
  });
});
