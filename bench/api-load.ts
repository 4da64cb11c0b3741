/**
 * API load: a mix of submits, listings and gets against `gongjang serve` on loopback
 * at a fixed overall rate (default 2,000 req/s) for a bounded time, with autocannon
 * in this process and the service in a child. Prints latency percentiles as JSON, for
 * embedded SQLite and, when GJ_TEST_DATABASE_URL (or --database) is set, Postgres.
 *
 *   node bench/api-load.ts [--rate 2000] [--seconds 20] [--database postgres://… (empty)]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { serveChild } from "./support/child-serve.ts";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "2000" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "32" },
    database: { type: "string" },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const JOB = { queue: "samsung/foundation", devices: 8, members: 1, duration: 3600, name: "bench" };

async function run(label: string, database: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), "gj-bench-"));
  const svc = await serveChild([
    "--data-dir",
    dir,
    "--speedup",
    "60",
    ...(database !== undefined ? ["--database", database] : []),
  ]);
  const headers = { authorization: `Bearer ${svc.token}`, "content-type": "application/json" };
  // Seed some jobs so that gets and filtered listings hit real rows.
  for (let i = 0; i < 200; i++)
    await fetch(`${svc.url}/v1/jobs`, { method: "POST", headers, body: JSON.stringify(JOB) });
  let key = 0;
  // One submit, two listings, three gets in every six requests.
  const result = await autocannon({
    url: svc.url,
    connections,
    // 0: closed loop (each connection sends its next request when the last one answers).
    ...(rate > 0 && { overallRate: rate }),
    duration: seconds,
    headers,
    requests: [
      {
        method: "POST",
        path: "/v1/jobs",
        setupRequest: (req) => ({
          ...req,
          headers: { ...headers, "idempotency-key": `bench-${label}-${key++}` },
          body: JSON.stringify(JOB),
        }),
      },
      { method: "GET", path: "/v1/jobs?limit=20" },
      { method: "GET", path: "/v1/jobs/7" },
      { method: "GET", path: "/v1/jobs?state=pending&limit=50" },
      { method: "GET", path: "/v1/jobs/42" },
      { method: "GET", path: "/v1/jobs/150" },
    ],
  });
  const pending = (await (
    await fetch(`${svc.url}/v1/jobs?state=pending&limit=1`, { headers })
  ).json()) as {
    items?: { id: number }[];
  };
  await svc.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    bench: "api-load",
    store: label,
    targetRate: rate,
    seconds,
    connections,
    requests: result.requests.total,
    achievedRate: Math.round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      p999: result.latency.p99_9,
      max: result.latency.max,
    },
    newestPendingId: pending.items?.[0]?.id ?? null,
  };
}

const out = [await run("sqlite", undefined)];
if (values.database !== undefined) out.push(await run("postgres", values.database));
else if (process.env.GJ_TEST_DATABASE_URL !== undefined) {
  // A fresh database, so that the service seeds it and prints its admin token.
  const { freshDatabase } = await import("../test/support/service.ts");
  const db = await freshDatabase("postgres");
  out.push(await run("postgres", db.url));
  await db.remove();
}
for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
