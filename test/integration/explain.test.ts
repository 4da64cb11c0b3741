// GET /v1/jobs/:id/explain on the demo fleet (src/fleet/builtin/demo-ai-factory.ts)
// and the demo tenancy (src/scenario/builtin/demo-ai-factory.ts), on every store
// backend: a queue past its guarantee, a domain-required gang larger than any free
// domain block, a residency-limited job and a fragmented NPU pool.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExplainLine } from "../../src/service/explain/index.ts";
import { formatExplain } from "../../src/service/explain/index.ts";
import { backends, type TestService, testService } from "../support/service.ts";

const VR = "nvidia-vr-nvl144";
const H100 = "nvidia-h100-80g";
const ATOM = "rebellions-atom";

async function submit(svc: TestService, body: Record<string, unknown>): Promise<number> {
  const res = await svc.call("POST", "/v1/jobs", {
    token: svc.admin,
    body: { duration: 3600, ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

async function explain(svc: TestService, id: number, token = svc.admin) {
  return svc.call("GET", `/v1/jobs/${id}/explain`, { token });
}

async function state(svc: TestService, id: number): Promise<string> {
  return (await svc.call("GET", `/v1/jobs/${id}`, { token: svc.admin })).json.state;
}

function find(lines: readonly ExplainLine[], constraint: string, type?: string): ExplainLine {
  const l = lines.find(
    (x) => x.constraint === constraint && (type === undefined || x.deviceType === type),
  );
  assert.ok(l, `no ${constraint} line for ${type}: ${JSON.stringify(lines, null, 1)}`);
  return l;
}

const blocking = (lines: readonly ExplainLine[], type?: string) =>
  lines.filter((l) => l.blocking && (type === undefined || l.deviceType === type));

for (const backend of backends()) {
  test(`a queue past its guarantee: the quota line's numbers; tenant scoping (${backend})`, async (t) => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    // hyundai/llm: 8 H100 guaranteed + 16 borrowable = 24; four jobs of 8 ask for 32
    const ids = [];
    for (let i = 0; i < 4; i++)
      ids.push(await submit(svc, { queue: "hyundai/llm", devices: 8, deviceTypes: [H100] }));
    await svc.ctx.loop.tickNow();
    const states = await Promise.all(ids.map((id) => state(svc, id)));
    assert.deepEqual([...states].sort(), ["pending", "running", "running", "running"]);
    const waiting = ids[states.indexOf("pending")];
    const res = await explain(svc, waiting);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.state, "pending");
    const quota = find(res.json.lines, "quota", H100);
    // 3 × 8 = 24 used + 8 asked = 32 > 8 guaranteed + 16 borrowing limit = 24
    assert.equal(quota.blocking, true);
    assert.deepEqual(quota.numbers, {
      queue: "hyundai/llm",
      guaranteed: 8,
      used: 24,
      asked: 8,
      borrowLimit: 16,
      limit: 24,
    });
    // 128 H100 − 24 used = 104 free: only the quota blocks
    assert.equal(find(res.json.lines, "capacity", H100).numbers.free, 104);
    assert.deepEqual(
      blocking(res.json.lines).map((l) => l.constraint),
      ["quota"],
    );
    assert.match(res.json.summary, /^waits on quota: queue hyundai\/llm would use 32/);
    assert.match(formatExplain(res.json), /\n {2}\[blocks\] quota: queue hyundai\/llm/);

    const running = await explain(svc, ids[states.indexOf("running")]);
    assert.equal(running.json.lines[0].constraint, "placement");
    assert.match(running.json.summary, /^runs 1 member on h100-\d\d \(8 nvidia-h100-80g\)/);

    // Tenant-scoped tokens see their own tenant's jobs only (404 otherwise, as GET /jobs/:id)
    const own = await explain(svc, waiting, await svc.token("member", "hyundai"));
    assert.equal(own.status, 200);
    const other = await explain(svc, waiting, await svc.token("member", "samsung"));
    assert.equal(other.status, 404);
    assert.equal(other.json.error.code, "GJ_ERR_NOT_FOUND");
    assert.equal((await explain(svc, 9999)).status, 404);

    // The loop's last snapshot serves while under 5 s old and no job changed since
    now += 1000;
    await svc.ctx.loop.tickNow(); // starts nothing
    const taken = new Date(now).toISOString();
    now += 1000;
    assert.equal((await explain(svc, waiting)).json.asOf, taken);
    now += 5000; // 6 s old: a fresh snapshot
    assert.equal((await explain(svc, waiting)).json.asOf, new Date(now).toISOString());

    // A finished job: why it ended
    await svc.call("POST", `/v1/jobs/${waiting}/cancel`, { token: svc.admin });
    const ended = (await explain(svc, waiting)).json;
    assert.equal(ended.state, "cancelled");
    assert.deepEqual(
      ended.lines.map((l: ExplainLine) => l.constraint),
      ["ended"],
    );
    assert.match(ended.summary, /^cancelled at 2026-11-23T00:00:07\.000Z: cancelled$/);
  });

  test(`topology and residency: a domain-required gang and a site-limited job (${backend})`, async (t) => {
    const now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    // 4 H100 pods of 4 nodes × 8 = 32; a 3 × 8 gang required in one pod fills 24 of each
    const fill = ["hyundai/robotics/sim", "samsung/foundation", "lg/exaone", "kisti/climate"];
    const fillers = [];
    for (const queue of fill)
      fillers.push(
        await submit(svc, {
          queue,
          devices: 8,
          members: 3,
          deviceTypes: [H100],
          topology: { level: "domain", required: true },
        }),
      );
    await svc.ctx.loop.tickNow();
    for (const id of fillers) assert.equal(await state(svc, id), "running");
    const gang = await submit(svc, {
      queue: "snu/gsai",
      devices: 8,
      members: 2,
      deviceTypes: [H100],
      topology: { level: "domain", required: true },
    });
    const sited = await submit(svc, {
      queue: "snu/robotics",
      devices: 8,
      members: 5,
      deviceTypes: [VR, H100],
      residency: "kr-gwangju",
    });
    await svc.ctx.loop.tickNow();

    const g = (await explain(svc, gang)).json;
    assert.equal(g.state, "pending");
    const topo = find(g.lines, "topology", H100);
    // each pod: 32 − 24 = 8 free < 2 × 8 = 16
    assert.equal(topo.blocking, true);
    assert.equal(topo.numbers.largestFree, 8);
    assert.match(
      topo.text,
      /^needs 16 nvidia-h100-80g \(2 × 8\) in one domain; the largest free block is 8 in gwangju\/h100-0\d\/pod-0\d$/,
    );
    // 4 pods × 8 = 32 free ≥ 16, on 4 nodes with 8 each: only the topology blocks
    assert.equal(find(g.lines, "capacity", H100).numbers.free, 32);
    assert.deepEqual(
      blocking(g.lines).map((l) => l.constraint),
      ["topology"],
    );

    const s = (await explain(svc, sited)).json;
    const res = find(s.lines, "residency", VR);
    // kr-gwangju allows gwangju alone, which has no Vera Rubin; all 288 are at pangyo
    assert.equal(res.blocking, true);
    assert.equal(
      res.text,
      `residency kr-gwangju: only site gwangju allowed, which has no ${VR}; 288 free at pangyo`,
    );
    assert.deepEqual(
      { allowed: res.numbers.allowedSites, elsewhere: res.numbers.freeElsewhere },
      { allowed: "gwangju", elsewhere: 288 },
    );
    // H100 at gwangju: 128 − 96 used = 32 free < 5 × 8 = 40 (capacity, and so the cohort)
    const cap = find(s.lines, "capacity", H100);
    assert.equal(cap.blocking, true);
    assert.deepEqual([cap.numbers.free, cap.numbers.needed], [32, 40]);
    assert.equal(find(s.lines, "residency", H100).blocking, false);
    assert.match(s.summary, /^waits on every accepted device type: nvidia-vr-nvl144 \(residency\)/);
  });

  test(`fragmentation: 48 NPUs free, no node with 4 (${backend})`, async (t) => {
    const now = Date.parse("2026-11-23T00:00:00Z");
    const svc = await testService(backend, { clock: () => now });
    t.after(() => svc.close());
    // 16 ATOM boxes × 8; 16 members of 5 (one per box) leave 8 − 5 = 3 on each
    const a = await submit(svc, {
      queue: "hyundai/llm",
      devices: 5,
      members: 12,
      deviceTypes: [ATOM],
    });
    const b = await submit(svc, {
      queue: "lg/exaone",
      devices: 5,
      members: 4,
      deviceTypes: [ATOM],
    });
    await svc.ctx.loop.tickNow();
    assert.deepEqual([await state(svc, a), await state(svc, b)], ["running", "running"]);
    const small = await submit(svc, { queue: "snu/robotics", devices: 4, deviceTypes: [ATOM] });
    await svc.ctx.loop.tickNow();
    const e = (await explain(svc, small)).json;
    const frag = find(e.lines, "fragmentation", ATOM);
    // 16 × 3 = 48 free ≥ 4, but the largest per-node free is 3 < 4
    assert.equal(frag.blocking, true);
    assert.equal(frag.numbers.free, 48);
    assert.equal(frag.numbers.largestNodeFree, 3);
    assert.match(
      frag.text,
      /^48 rebellions-atom free but no node has 4 free \(largest: 3 on atom-\d\d\)$/,
    );
    assert.equal(find(e.lines, "capacity", ATOM).blocking, false);
    assert.deepEqual(
      blocking(e.lines).map((l) => l.constraint),
      ["fragmentation"],
    );
  });
}
