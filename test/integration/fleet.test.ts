// Fleet through the API on every store backend: the summary, node listing with filters
// and cursors, cordon/drain/uncordon with their roles and audit records, and a drain
// that requeues a running job which is never placed on the drained node again.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadFleet } from "../../src/fleet/index.ts";
import { backends, type TestService, testService } from "../support/service.ts";

const job = { queue: "hyundai/llm", devices: 8, duration: 600 };

/** Every page of /v1/fleet/nodes for `query`, following nextCursor. */
async function allNodes(svc: TestService, token: string, query: string) {
  const items = [];
  let cursor: number | null = null;
  let pages = 0;
  do {
    const sep = query === "" ? "" : "&";
    const res = await svc.call(
      "GET",
      `/v1/fleet/nodes?${query}${sep}limit=5${cursor === null ? "" : `&cursor=${cursor}`}`,
      { token },
    );
    assert.equal(res.status, 200, res.text);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
    pages++;
  } while (cursor !== null);
  return { items, pages };
}

for (const backend of backends()) {
  test(`fleet summary: sites, device types, node states (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const viewer = await svc.token("viewer", "samsung");
    const res = await svc.call("GET", "/v1/fleet", { token: viewer });
    assert.equal(res.status, 200, res.text);
    // 36 VR trays + 8 RNGD + 16 H100 + 16 ATOM + 4 CPU = 80 nodes, all up
    assert.deepEqual(res.json.nodes, { total: 80, up: 80, cordoned: 0, draining: 0, down: 0 });
    assert.deepEqual(
      res.json.sites.map((s: { id: string; residency: string[] }) => [s.id, s.residency]),
      [
        ["pangyo", ["kr", "kr-gyeonggi"]],
        ["gwangju", ["kr", "kr-gwangju"]],
      ],
    );
    const h100 = res.json.deviceTypes.find((d: { id: string }) => d.id === "nvidia-h100-80g");
    assert.deepEqual(
      [h100.nodes, h100.total, h100.allocated, h100.free, h100.unschedulable],
      [16, 128, 0, 128, 0],
    );
    const unauth = await svc.call("GET", "/v1/fleet");
    assert.equal(unauth.status, 401);
  });

  test(`nodes: filters, cursor pages, one node, unknown node (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const cases: [string, number][] = [
      ["", 80],
      ["type=nvidia-h100-80g", 16],
      ["site=gwangju", 36], // 16 H100 + 16 ATOM + 4 CPU
      ["rack=h100-01&domain=pod-00", 4], // one pod of 4 under a leaf switch
      ["type=none", 4], // CPU-only
      ["state=cordoned", 0],
    ];
    for (const [query, n] of cases) {
      const { items, pages } = await allNodes(svc, svc.admin, query);
      assert.equal(items.length, n, query);
      assert.equal(new Set(items.map((i: { id: string }) => i.id)).size, n, `${query}: no repeats`);
      assert.equal(pages, Math.max(1, Math.ceil(n / 5)), `${query}: pages of 5`);
    }
    const one = await svc.call("GET", "/v1/fleet/nodes/h100-03", { token: svc.admin });
    assert.equal(one.status, 200);
    assert.deepEqual(
      [one.json.site, one.json.rack, one.json.domain, one.json.state, one.json.freeDevices],
      ["gwangju", "h100-01", "pod-00", "up", 8],
    );
    assert.deepEqual(one.json.free, [1, 1, 1, 1, 1, 1, 1, 1]);
    for (const path of ["/v1/fleet/nodes/nope-99", "/v1/fleet/nodes/nope-99/cordon"]) {
      const res = await svc.call(path.endsWith("cordon") ? "POST" : "GET", path, {
        token: svc.admin,
      });
      assert.equal(res.status, 404, path);
      assert.equal(res.json.error.code, "GJ_ERR_NOT_FOUND");
    }
    const bad = await svc.call("GET", "/v1/fleet/nodes?state=sleeping", { token: svc.admin });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, "GJ_ERR_REQUEST_INVALID");
  });

  test(`a node shows its jobs to their tenant only, and its free shares to all (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const sub = await svc.call("POST", "/v1/jobs", {
      token: svc.admin,
      body: { queue: "hyundai/llm", devices: 1, deviceShare: 0.25, duration: 600 },
    });
    await svc.ctx.loop.tickNow();
    const placed = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    const { node, devices } = placed.json.placement[0];
    const own = await svc.call("GET", `/v1/fleet/nodes/${node}`, {
      token: await svc.token("member", "hyundai"),
    });
    assert.deepEqual(own.json.jobs, [sub.json.id]);
    assert.equal(own.json.free[devices[0]], 0.75); // 1 − 0.25 held
    const other = await svc.call("GET", `/v1/fleet/nodes/${node}`, {
      token: await svc.token("member", "samsung"),
    });
    assert.deepEqual(other.json.jobs, []);
    assert.equal(other.json.freeDevices, own.json.freeDevices);
  });

  test(`cordon and uncordon: admin only, audited with before and after (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    for (const [role, tenant] of [
      ["tenant-admin", "hyundai"],
      ["member", "hyundai"],
      ["viewer", null],
      ["program-admin", null],
    ] as const) {
      const res = await svc.call("POST", "/v1/fleet/nodes/h100-00/cordon", {
        token: await svc.token(role, tenant),
        body: { reason: "mine" },
      });
      assert.equal(res.status, 403, role);
      assert.equal(res.json.error.code, "GJ_ERR_FORBIDDEN");
    }
    const c = await svc.call("POST", "/v1/fleet/nodes/h100-00/cordon", {
      token: svc.admin,
      body: { reason: "firmware" },
    });
    assert.equal(c.status, 200, c.text);
    assert.deepEqual([c.json.node.state, c.json.node.reason], ["cordoned", "firmware"]);
    const listed = await allNodes(svc, svc.admin, "state=cordoned");
    assert.deepEqual(
      listed.items.map((n: { id: string }) => n.id),
      ["h100-00"],
    );
    const summary = await svc.call("GET", "/v1/fleet", { token: svc.admin });
    assert.equal(summary.json.nodes.cordoned, 1);
    const h100 = summary.json.deviceTypes.find((d: { id: string }) => d.id === "nvidia-h100-80g");
    assert.equal(h100.unschedulable, 8); // the cordoned node's 8 idle devices
    // No body at all is fine too.
    const u = await svc.call("POST", "/v1/fleet/nodes/h100-00/uncordon", { token: svc.admin });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual([u.json.node.state, u.json.node.reason], ["up", null]);
    const audit = await svc.call("GET", "/v1/audit?action=node.*", { token: svc.admin });
    assert.deepEqual(
      audit.json.items.map((a: { action: string; before: unknown; after: unknown }) => [
        a.action,
        a.before,
        a.after,
      ]),
      [
        ["node.uncordon", { state: "cordoned", reason: "firmware" }, { state: "up", reason: null }],
        ["node.cordon", { state: "up", reason: null }, { state: "cordoned", reason: "firmware" }],
      ],
    );
  });

  test(`drain requeues a running job, which waits rather than land there again (${backend})`, async (t) => {
    // Two nodes of 8: two 8-device jobs fill both; draining one leaves nowhere to go.
    const svc = await testService(backend, {
      fleet: loadFleet("synthetic:2x8"),
      seed: { tenancy: { queues: [{ path: "acme/train" }] } },
    });
    t.after(() => svc.close());
    const body = { queue: "acme/train", devices: 8, duration: 3600 };
    const a = await svc.call("POST", "/v1/jobs", { token: svc.admin, body });
    const b = await svc.call("POST", "/v1/jobs", { token: svc.admin, body });
    await svc.ctx.loop.tickNow();
    const placedA = await svc.call("GET", `/v1/jobs/${a.json.id}`, { token: svc.admin });
    assert.equal(placedA.json.state, "running");
    const node = placedA.json.placement[0].node;
    const d = await svc.call("POST", `/v1/fleet/nodes/${node}/drain`, {
      token: svc.admin,
      body: { reason: "disk" },
    });
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.requeued, [a.json.id]);
    assert.equal(d.json.node.state, "draining");
    for (let i = 0; i < 2; i++) {
      await svc.ctx.loop.tickNow();
      const now = await svc.call("GET", `/v1/jobs/${a.json.id}`, { token: svc.admin });
      assert.equal(now.json.state, "pending", `tick ${i}`);
    }
    const other = await svc.call("GET", `/v1/jobs/${b.json.id}`, { token: svc.admin });
    assert.equal(other.json.state, "running", "the other node's job is untouched");
    const events = await svc.call("GET", `/v1/jobs/${a.json.id}/events`, { token: svc.admin });
    assert.deepEqual(
      events.json.items.map((e: { kind: string }) => e.kind),
      ["submitted", "started", "preempting", "requeued"],
    );
    const drained = await svc.call("GET", `/v1/fleet/nodes/${node}`, { token: svc.admin });
    assert.deepEqual([drained.json.jobs, drained.json.freeDevices], [[], 8]);
    const audit = await svc.call("GET", "/v1/audit", { token: svc.admin });
    const byAction = new Map(
      audit.json.items.map((r: { action: string }) => [r.action, r] as const),
    );
    // biome-ignore lint/suspicious/noExplicitAny: audit rows are JSON
    const drainRec = byAction.get("node.drain") as any;
    assert.deepEqual(drainRec.before, { state: "up", reason: null });
    assert.deepEqual(drainRec.after, { state: "draining", reason: "disk", requeued: [a.json.id] });
    // biome-ignore lint/suspicious/noExplicitAny: audit rows are JSON
    const jobRec = byAction.get("job.requeue") as any;
    assert.deepEqual([jobRec.tenant, jobRec.target], ["acme", `job/${a.json.id}`]);
    // Uncordoned, the node takes the job back.
    await svc.call("POST", `/v1/fleet/nodes/${node}/uncordon`, { token: svc.admin });
    await svc.ctx.loop.tickNow();
    const back = await svc.call("GET", `/v1/jobs/${a.json.id}`, { token: svc.admin });
    assert.deepEqual([back.json.state, back.json.placement[0].node], ["running", node]);
  });

  test(`drain on a larger fleet: the job restarts elsewhere, never on the drained node (${backend})`, async (t) => {
    const svc = await testService(backend);
    t.after(() => svc.close());
    const sub = await svc.call("POST", "/v1/jobs", { token: svc.admin, body: job });
    await svc.ctx.loop.tickNow();
    const first = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    const node = first.json.placement[0].node;
    await svc.call("POST", `/v1/fleet/nodes/${node}/drain`, { token: svc.admin });
    for (let i = 0; i < 3; i++) {
      await svc.ctx.loop.tickNow();
      const now = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
      for (const m of now.json.placement) assert.notEqual(m.node, node, `tick ${i}`);
    }
    const after = await svc.call("GET", `/v1/jobs/${sub.json.id}`, { token: svc.admin });
    assert.equal(after.json.state, "running");
    assert.equal(after.json.attempt, 2);
  });
}
