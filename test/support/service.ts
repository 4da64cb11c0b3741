/**
 * A control plane for tests, on embedded SQLite (a temp file) or on Postgres (a fresh
 * database on the server GJ_TEST_DATABASE_URL points at; scripts/postgres starts one).
 * `backends()` lists the ones available: Postgres is skipped with a message when no
 * server is configured, unless GJ_REQUIRE_POSTGRES=1 (CI sets it), which fails instead.
 *
 *   for (const backend of backends())
 *     test(`submit (${backend})`, async (t) => {
 *       const svc = await testService(backend);
 *       t.after(() => svc.close());
 *       const res = await svc.call("POST", "/v1/jobs", { token: svc.admin, body: {...} });
 *     });
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Fleet } from "../../src/core/model/fleet.ts";
import { loadFleet } from "../../src/fleet/index.ts";
import type { Role } from "../../src/service/auth/roles.ts";
import { createToken } from "../../src/service/auth/tokens.ts";
import { DEMO_SEED } from "../../src/service/demo/seed.ts";
import { SimExecutor } from "../../src/service/executors/sim/index.ts";
import type { Executor } from "../../src/service/executors/types.ts";
import type { Seed } from "../../src/service/seed.ts";
import { type Service, type ServiceOptions, startService } from "../../src/service/server.ts";

export type Backend = "sqlite" | "postgres";

/** The backends to run against here. */
export function backends(): Backend[] {
  if (process.env.GJ_TEST_DATABASE_URL !== undefined) return ["sqlite", "postgres"];
  if (process.env.GJ_REQUIRE_POSTGRES === "1")
    throw new Error(
      "GJ_REQUIRE_POSTGRES=1 but GJ_TEST_DATABASE_URL is unset: start scripts/postgres/start-test-server.sh",
    );
  if (!warned) {
    warned = true;
    process.stderr.write(
      'postgres tests skipped: GJ_TEST_DATABASE_URL is unset (eval "$(scripts/postgres/start-test-server.sh)")\n',
    );
  }
  return ["sqlite"];
}
let warned = false;

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | number | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  readonly json: any;
  readonly text: string;
}

export interface TestService extends Service {
  readonly backend: Backend;
  readonly admin: string;
  /** Calls the API in process (fastify inject): no sockets, same code path. */
  call(
    method: string,
    path: string,
    o?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** A token of `role` for `tenant` (null: unscoped). */
  token(role: Role, tenant: string | null, name?: string): Promise<string>;
}

let dbCounter = 0;

/** A fresh database location for `backend`; remove() drops it. */
export async function freshDatabase(
  backend: Backend,
): Promise<{ url: string; remove: () => Promise<void> }> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "gj-store-"));
    return {
      url: join(dir, "gongjang.db"),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.GJ_TEST_DATABASE_URL!;
  const name = `gj_t_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    remove: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      // The service's pool has ended, but its backends may still be on their way out:
      // FORCE would "terminate" them, and a client not yet gone reports that as an error
      // (a rare flake). Wait for them first; FORCE is for a service that did not close.
      for (let i = 0; i < 50; i++) {
        const left = await c.query("select 1 from pg_stat_activity where datname = $1", [name]);
        if (left.rowCount === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestServiceOptions {
  readonly fleet?: Fleet;
  readonly seed?: Seed;
  readonly executor?: Executor;
  readonly clock?: () => number;
  /** Default: a long period, so tests drive the loop with ctx.loop.tickNow(). */
  readonly tickMs?: number;
  readonly policy?: string;
  readonly extra?: Partial<ServiceOptions>;
}

/** Starts a service on a fresh database of `backend`, seeded with the demo tenancy. */
export async function testService(
  backend: Backend,
  o: TestServiceOptions = {},
): Promise<TestService> {
  const db = await freshDatabase(backend);
  const service = await startService({
    database: db.url,
    fleet: o.fleet ?? loadFleet("demo-ai-factory"),
    seed: o.seed ?? DEMO_SEED,
    executor: o.executor ?? new SimExecutor({ clock: o.clock }),
    clock: o.clock,
    tickMs: o.tickMs ?? 3_600_000,
    policy: o.policy,
    ...o.extra,
  });
  const admin = service.adminToken!;
  return {
    ...service,
    backend,
    admin,
    close: async () => {
      await service.close();
      await db.remove();
    },
    call: async (method, path, c = {}) => {
      const res = await service.app.inject({
        method: method as "GET",
        url: path,
        headers: {
          ...(c.token !== undefined && { authorization: `Bearer ${c.token}` }),
          ...(c.body !== undefined &&
            typeof c.body !== "string" && { "content-type": "application/json" }),
          ...c.headers,
        },
        ...(c.body !== undefined && {
          payload: typeof c.body === "string" ? c.body : JSON.stringify(c.body),
        }),
      });
      let json: unknown;
      try {
        json = res.json();
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers, json, text: res.body };
    },
    token: async (role, tenant, name = `${role}@${tenant ?? "all"}`) =>
      (
        await createToken(service.ctx.store.db, {
          name,
          role,
          tenant,
          createdBy: "test",
          now: Date.now(),
        })
      ).token,
  };
}
