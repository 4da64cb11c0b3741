// Accounting through the API on every store backend: device-hours of real runs and of
// stored records over a window, grouping, CSV, tenant scoping and coded errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  aggregateUsage,
  USAGE_DIMENSIONS,
  type UsageRecord,
} from "../../src/service/usage/aggregate.ts";
import { usageTotals } from "../../src/service/usage/query.ts";
import { openUsage } from "../../src/store/usage.ts";
import { backends, testService } from "../support/service.ts";

const H = 3_600_000;
const T0 = Date.parse("2026-11-23T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const H100 = "nvidia-h100-80g";

for (const backend of backends()) {
  test(`a running job accrues device-hours, grouped by tenant and type (${backend})`, async (t) => {
    let now = T0;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const sub = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: { queue: "hyundai/llm", devices: 8, deviceTypes: [H100], duration: 7200 },
    });
    assert.equal(sub.status, 201, sub.text);
    await svc.ctx.loop.tickNow();
    now = T0 + 1.5 * H;
    const q = `from=${iso(T0 - H)}&to=${iso(T0 + 10 * H)}&by=tenant,type`;
    const mid = await svc.call("GET", `/v1/usage?${q}`, { token: svc.admin });
    assert.equal(mid.status, 200, mid.text);
    // still running: 8 GPUs × 1.5 h so far = 12
    assert.deepEqual(mid.json.rows, [{ tenant: "hyundai", type: H100, deviceHours: 12, runs: 1 }]);
    assert.equal(mid.json.asOf, iso(now));
    now = T0 + 3 * H;
    await svc.ctx.loop.tickNow(); // the 2 h run has ended
    const done = await svc.call("GET", `/v1/usage?${q}`, { token: svc.admin });
    // 8 GPUs × 2 h = 16
    assert.deepEqual(done.json.total, { deviceHours: 16, runs: 1 });
  });

  test(`windows cut runs; by, filters, CSV and tenant scoping (${backend})`, async (t) => {
    const now = T0 + 100 * H;
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    const db = svc.ctx.store.db;
    const run = async (
      id: number,
      queue: string,
      user: string,
      type: string,
      milli: number,
      from: number,
      to: number | null,
    ) => {
      await openUsage(
        db,
        { id, tenant: queue.split("/")[0], queue, user },
        1,
        type,
        milli,
        T0 + from * H,
      );
      if (to !== null)
        await db
          .updateTable("usage")
          .set({ ended_at: T0 + to * H })
          .where("job_id", "=", id)
          .execute();
    };
    await run(1, "hyundai/llm", "kim", H100, 8000, 0, 10); // in [2, 12]: 8 × 8 h = 64
    await run(2, "hyundai/robotics/sim", "lee", H100, 4000, 11, 20); // 4 × (12 − 11) = 4
    await run(3, "snu/gsai", "park", "nvidia-vr-nvl144", 2000, 5, null); // open: 2 × (12 − 5) = 14
    await run(4, "snu/gsai", "park", H100, 500, 0, 1); // ends before the window: 0
    const q = `from=${iso(T0 + 2 * H)}&to=${iso(T0 + 12 * H)}`;

    const byTenant = await svc.call("GET", `/v1/usage?${q}`, { token: svc.admin });
    assert.deepEqual(byTenant.json.by, ["tenant"]);
    assert.deepEqual(byTenant.json.rows, [
      { tenant: "hyundai", deviceHours: 68, runs: 2 }, // 64 + 4
      { tenant: "snu", deviceHours: 14, runs: 1 },
    ]);
    assert.deepEqual(byTenant.json.total, { deviceHours: 82, runs: 3 }); // 68 + 14

    const byQueueUser = await svc.call("GET", `/v1/usage?${q}&by=queue,user&queue=hyundai`, {
      token: svc.admin,
    });
    assert.deepEqual(byQueueUser.json.rows, [
      { queue: "hyundai/llm", user: "kim", deviceHours: 64, runs: 1 },
      { queue: "hyundai/robotics/sim", user: "lee", deviceHours: 4, runs: 1 },
    ]);
    const vr = await svc.call("GET", `/v1/usage?${q}&by=type&type=nvidia-vr-nvl144`, {
      token: svc.admin,
    });
    assert.deepEqual(vr.json.total, { deviceHours: 14, runs: 1 });

    const csv = await svc.call("GET", `/v1/usage?${q}&by=tenant,type&format=csv`, {
      token: svc.admin,
    });
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    assert.equal(
      csv.text,
      [
        "tenant,type,device_hours,runs",
        `hyundai,${H100},68,2`,
        "snu,nvidia-vr-nvl144,14,1",
        "TOTAL,,82,3",
        "",
      ].join("\n"),
    );

    const snuToken = await svc.token("member", "snu");
    const own = await svc.call("GET", `/v1/usage?${q}`, { token: snuToken });
    assert.deepEqual(own.json.rows, [{ tenant: "snu", deviceHours: 14, runs: 1 }]);
    const other = await svc.call("GET", `/v1/usage?${q}&tenant=hyundai`, { token: snuToken });
    assert.equal(other.status, 404);
    const otherQueue = await svc.call("GET", `/v1/usage?${q}&queue=hyundai/llm`, {
      token: snuToken,
    });
    assert.equal(otherQueue.status, 404);
  });

  test(`bad windows and groupings are 400s that name the parameter (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const cases: [string, string][] = [
      [`from=${iso(T0)}&to=${iso(T0)}`, "querystring.from"],
      [`from=${iso(T0 + H)}&to=${iso(T0)}`, "querystring.from"],
      ["from=yesterday", "querystring.from"],
      ["by=tenant,colour", "querystring.by"],
      ["by=type,type", "querystring.by"],
      ["format=xml", "querystring.format"],
    ];
    for (const [query, path] of cases) {
      const res = await svc.call("GET", `/v1/usage?${query}`, { token: svc.admin });
      assert.equal(res.status, 400, `${query} → ${res.text}`);
      assert.equal(res.json.error.code, "GJ_ERR_REQUEST_INVALID");
      assert.ok(res.json.error.path?.startsWith(path), `${query}: ${res.json.error.path}`);
    }
    const anon = await svc.call("GET", "/v1/usage");
    assert.equal(anon.status, 401);
  });

  test(`the store's SQL sums agree with the reference arithmetic (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const db = svc.ctx.store.db;
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const queues = ["a/x", "a/x_y", "a/xzy", "b/q", "b/q/r"];
    const records: UsageRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const queue = queues[rand(queues.length)];
      const startedAt = T0 + rand(100) * H + rand(3600) * 1000;
      const open = rand(10) === 0;
      const r: UsageRecord = {
        tenant: queue.split("/")[0],
        queue,
        user: `u${rand(3)}`,
        deviceType: rand(2) === 0 ? H100 : "rebellions-atom",
        deviceMilli: [250, 1000, 8000][rand(3)],
        startedAt,
        endedAt: open ? null : startedAt + rand(20) * H + rand(60) * 1000,
      };
      records.push(r);
      await db
        .insertInto("usage")
        .values({
          job_id: i + 1,
          attempt: 1,
          tenant: r.tenant,
          queue: r.queue,
          user: r.user,
          device_type: r.deviceType,
          device_milli: r.deviceMilli,
          started_at: r.startedAt,
          ended_at: r.endedAt,
        })
        .execute();
    }
    const windows = [
      { from: T0, to: T0 + 200 * H, now: T0 + 150 * H }, // everything, open runs cut at now
      { from: T0 + 30 * H, to: T0 + 60 * H, now: T0 + 150 * H }, // a slice
      { from: T0 + 50 * H, to: T0 + 300 * H, now: T0 + 80 * H }, // beyond now
    ];
    for (const w of windows)
      for (const by of [[], ["tenant"], [...USAGE_DIMENSIONS]] as const) {
        const sqlSums = await usageTotals(db, w, by);
        assert.deepEqual(sqlSums, aggregateUsage(records, w, by), `${JSON.stringify(w)} by ${by}`);
      }
    // "a/x" counts itself only: not "a/x_y" (LIKE's "_") nor "a/xzy"
    const w = windows[0];
    assert.deepEqual(
      await usageTotals(db, w, ["queue"], { queue: "a/x" }),
      aggregateUsage(
        records.filter((r) => r.queue === "a/x"),
        w,
        ["queue"],
      ),
    );
    assert.deepEqual(
      (await usageTotals(db, w, ["queue"], { queue: "b/q" })).rows.map((r) => r.queue),
      ["b/q", "b/q/r"],
    );
  });
}
