/**
 * What the API fuzzer sends and checks: one raw request through fastify inject, the
 * reply's contract (2xx or a coded 4xx, never a 5xx or a stack trace), the ids it
 * draws paths from, and the store's consistency after a run.
 */
import assert from "node:assert/strict";
import { ALLOCATION_STATES } from "../../src/service/allocations/model.ts";
import { ROLES } from "../../src/service/auth/roles.ts";
import { NODE_STATES } from "../../src/service/fleet/view.ts";
import { JOB_STATES } from "../../src/store/jobs.ts";
import type { FuzzBody } from "./fuzz-bodies.ts";
import type { FuzzPrincipal, FuzzState } from "./fuzz-routes.ts";
import type { TestService } from "./service.ts";

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly body: FuzzBody;
  readonly headers: Record<string, string>;
  readonly as: FuzzPrincipal;
}

export interface FuzzReply {
  readonly status: number;
  readonly text: string;
}

/** Sends `r` in process, exactly as given: raw body text, its content type, the token. */
export async function send(
  svc: TestService,
  tokens: Record<FuzzPrincipal, string | undefined>,
  r: FuzzRequest,
): Promise<FuzzReply> {
  const token = tokens[r.as];
  const res = await svc.app.inject({
    method: r.method as "POST",
    url: r.path,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(r.body.contentType !== undefined && { "content-type": r.body.contentType }),
      ...r.headers,
    },
    ...(r.body.text !== undefined && { payload: r.body.text }),
  });
  return { status: res.statusCode, text: res.body };
}

/** A short description of a request for failure messages. */
export function describe(r: FuzzRequest): string {
  const body = r.body.text === undefined ? "(no body)" : JSON.stringify(r.body.text.slice(0, 300));
  return `${r.method} ${r.path.slice(0, 200)} as ${r.as}, content-type ${r.body.contentType}, headers ${JSON.stringify(r.headers).slice(0, 200)}, body ${body}${(r.body.text?.length ?? 0) > 300 ? `… (${r.body.text!.length} chars)` : ""}`;
}

const STACK = /\bat .+[:(]\d+:\d+|node_modules\/|\.ts:\d+|Error: .*\n\s+at /;

/**
 * A reply is a 2xx, or a 4xx with a coded error body; never a 5xx or a stack trace.
 * Returns the error code (undefined for a 2xx).
 */
export function checkReply(res: FuzzReply, r: FuzzRequest): string | undefined {
  const where = () => `${describe(r)}\n→ ${res.status} ${res.text.slice(0, 500)}`;
  assert.ok(
    (res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500),
    `2xx or 4xx: ${where()}`,
  );
  assert.doesNotMatch(res.text, STACK, `no stack trace: ${where()}`);
  if (res.status < 400) return undefined;
  let body: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(res.text);
  } catch {
    assert.fail(`a 4xx body is JSON: ${where()}`);
  }
  assert.match(String(body?.error?.code), /^GJ_ERR_[A-Z_]+$/, `coded error: ${where()}`);
  assert.equal(typeof body?.error?.message, "string", `error message: ${where()}`);
  return String(body?.error?.code);
}

/** The ids paths are drawn from; `own` are the fuzzer's tokens, never revoked. */
export async function readState(svc: TestService, own: ReadonlySet<string>): Promise<FuzzState> {
  const db = svc.ctx.store.db;
  const jobs = await db.selectFrom("jobs").select("id").orderBy("id", "desc").limit(300).execute();
  const queues = await db.selectFrom("queues").select("path").execute();
  const tokens = await db.selectFrom("tokens").select("id").execute();
  const allocations = await db
    .selectFrom("allocations")
    .select("id")
    .orderBy("id", "desc")
    .limit(300)
    .execute();
  return {
    jobIds: jobs.map((j) => j.id),
    nodeIds: svc.ctx.emptyState.nodeIds,
    queuePaths: queues.map((q) => q.path),
    tokenIds: tokens.map((t) => t.id).filter((id) => !own.has(id)),
    allocationIds: allocations.map((a) => a.id),
  };
}

/** Audit records with one of `actions`. */
export async function auditCount(svc: TestService, actions: readonly string[]): Promise<number> {
  const r = await svc.ctx.store.db
    .selectFrom("audit")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("action", "in", actions)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The store is consistent: known states; pending jobs hold nothing, running ones hold
 * real devices of the fleet and no device is held past 1000 milli; every job has one
 * `submitted` event and one `job.submit` audit record; tokens, queues, nodes and
 * allocations are well-formed; and nothing polluted Object.prototype.
 */
export async function checkStore(svc: TestService): Promise<void> {
  const db = svc.ctx.store.db;
  const state = svc.ctx.emptyState;
  const nodeIndex = new Map(state.nodeIds.map((id, i) => [id, i]));
  const held = new Map<string, number>();
  const jobs = await db.selectFrom("jobs").selectAll().execute();
  for (const j of jobs) {
    assert.ok((JOB_STATES as readonly string[]).includes(j.state), `job ${j.id}: ${j.state}`);
    // A stored spec keeps the numbers it was accepted with: JSON turns ±Infinity into null.
    const spec = JSON.parse(j.spec) as Record<string, unknown>;
    for (const [k, v] of Object.entries(spec))
      if (typeof v !== "string" && typeof v !== "boolean" && typeof v !== "object")
        assert.ok(Number.isFinite(v), `job ${j.id}: spec.${k} is ${v}`);
    for (const k of ["duration", "estimate", "priority", "members", "devices", "deviceShare"])
      assert.notEqual(spec[k], null, `job ${j.id}: spec.${k} is null (${j.spec.slice(0, 200)})`);
    assert.ok(Number.isFinite(j.priority), `job ${j.id}: priority ${j.priority}`);
    const placement = j.placement === null ? [] : JSON.parse(j.placement);
    if (j.state === "pending") assert.equal(j.placement, null, `pending job ${j.id} holds nothing`);
    if (j.state !== "running" && j.state !== "stopping") continue;
    assert.ok(placement.length > 0, `${j.state} job ${j.id} has a placement`);
    for (const m of placement as { node: string; devices: number[]; deviceMilli: number }[]) {
      const n = nodeIndex.get(m.node);
      assert.ok(n !== undefined, `job ${j.id} on unknown node ${m.node}`);
      const devices = state.devOffset[n + 1] - state.devOffset[n];
      for (const d of m.devices) {
        assert.ok(d >= 0 && d < devices, `job ${j.id}: ${m.node} has no device ${d}`);
        const k = `${m.node}#${d}`;
        held.set(k, (held.get(k) ?? 0) + m.deviceMilli);
        assert.ok(held.get(k)! <= 1000, `device ${k} held ${held.get(k)} milli`);
      }
    }
  }
  const submitted = await db
    .selectFrom("job_events")
    .select(["job_id", (eb) => eb.fn.countAll().as("n")])
    .where("kind", "=", "submitted")
    .groupBy("job_id")
    .execute();
  const events = new Map(submitted.map((e) => [e.job_id, Number(e.n)]));
  for (const j of jobs) assert.equal(events.get(j.id), 1, `job ${j.id} has one submitted event`);
  assert.equal(await auditCount(svc, ["job.submit"]), jobs.length, "one job.submit per job");

  for (const t of await db.selectFrom("tokens").selectAll().execute()) {
    assert.ok((ROLES as readonly string[]).includes(t.role), `token ${t.id}: role ${t.role}`);
    // admin and program-admin span tenants; tenant-admin and member have one; viewer either
    if (t.role !== "viewer")
      assert.equal(
        t.tenant !== null,
        t.role === "tenant-admin" || t.role === "member",
        `token ${t.id} (${t.role}) tenant ${t.tenant}`,
      );
  }
  for (const q of await db.selectFrom("queues").selectAll().execute()) {
    assert.equal(q.tenant, q.path.split("/")[0], `queue ${q.path} belongs to its tenant`);
    assert.ok(q.weight > 0 && Number.isFinite(q.weight), `queue ${q.path}: weight ${q.weight}`);
    assert.equal(typeof JSON.parse(q.quota), "object", `queue ${q.path}: quota`);
  }
  for (const n of await db.selectFrom("nodes").selectAll().execute()) {
    assert.ok(nodeIndex.has(n.id), `node row ${n.id} is in the fleet`);
    assert.ok((NODE_STATES as readonly string[]).includes(n.state), `node ${n.id}: ${n.state}`);
  }
  for (const a of await db.selectFrom("allocations").selectAll().execute()) {
    assert.ok((ALLOCATION_STATES as readonly string[]).includes(a.state), `allocation ${a.id}`);
    assert.ok(a.starts_at < a.ends_at, `allocation ${a.id}: its period is not empty`);
    assert.ok(Number.isFinite(a.guaranteed), `allocation ${a.id}: guaranteed ${a.guaranteed}`);
    assert.ok(
      a.budget_hours === null || Number.isFinite(a.budget_hours),
      `allocation ${a.id}: budget ${a.budget_hours}`,
    );
  }
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined, "Object.prototype is not polluted");
}
