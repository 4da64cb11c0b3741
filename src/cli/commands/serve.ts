/**
 * `gongjang serve`: the live control plane. Embedded SQLite in --data-dir by default;
 * DATABASE_URL (or --database) selects Postgres. A new store is seeded with the
 * demo tenancy (--demo, the default) and an admin token, kept in <data-dir>/admin-token
 * (mode 0600) so that later starts can print it again.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { loadFleet } from "../../fleet/index.ts";
import { startDemoLoad } from "../../service/demo/load.ts";
import { DEMO_SEED } from "../../service/demo/seed.ts";
import { buildExecutor, EXECUTORS } from "../../service/executors/select.ts";
import { SlurmCli } from "../../service/executors/slurm/cli.ts";
import { fetchSlurmFleet } from "../../service/executors/slurm/fleet.ts";
import { startService } from "../../service/server.ts";

interface ServeOptions {
  dataDir: string;
  database?: string;
  fleet: string;
  policy: string;
  host: string;
  port: string;
  speedup: string;
  demo: boolean;
  load: boolean;
  tickMs: string;
  executor: string;
  agentNodes?: string;
  heartbeatMs: string;
  slurmLogDir?: string;
  slurmPartition?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the control plane: API, scheduler loop and an executor (sim, slurm, agent)")
    .option(
      "--data-dir <dir>",
      "where the embedded SQLite store and the admin token live",
      ".gongjang",
    )
    .option(
      "--database <url>",
      "postgres://… to use Postgres (default: $DATABASE_URL, else SQLite)",
    )
    .option(
      "--fleet <name|file>",
      'built-in fleet name, fleet YAML, or "slurm" (read from the Slurm controller at start)',
      "demo-ai-factory",
    )
    .option("--policy <name>", "scheduling policy of the live loop", "gongjang-default")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <n>", "port to listen on", "8080")
    .option("--speedup <x>", "sim executor: run jobs this many times faster than declared", "60")
    .option("--tick-ms <ms>", "scheduler loop period", "1000")
    .option("--executor <kind>", `what runs jobs: ${EXECUTORS.join(", ")}`, "sim")
    .option(
      "--agent-nodes <ids>",
      "agent: comma-separated node ids or prefix* patterns run by agents (others: sim); default all",
    )
    .option("--heartbeat-ms <ms>", "agent: heartbeat period; 3 missed mark the node down", "5000")
    .option(
      "--slurm-log-dir <dir>",
      "slurm: job output directory, on a filesystem the nodes share (default <data-dir>/slurm-logs)",
    )
    .option("--slurm-partition <name>", "slurm: partition to submit to")
    .option("--no-demo", "seed a new store with no tenants (only the admin token)")
    .option("--load", "submit a gentle synthetic load (the demo tenants' workload mix)", false)
    .action(async (o: ServeOptions) => {
      const port = positive(o.port, "--port", true);
      // An empty DATABASE_URL counts as unset.
      const database = o.database || process.env.DATABASE_URL || join(o.dataDir, "gongjang.db");
      mkdirSync(o.dataDir, { recursive: true });
      const fleet =
        o.fleet === "slurm"
          ? await fetchSlurmFleet(new SlurmCli(), { name: "slurm" })
          : loadFleet(o.fleet);
      if (o.executor === "slurm")
        mkdirSync(o.slurmLogDir ?? join(o.dataDir, "slurm-logs"), { recursive: true });
      const { executor, agents } = buildExecutor({
        kind: o.executor,
        fleet,
        speedup: positive(o.speedup, "--speedup"),
        agentNodes: o.agentNodes
          ?.split(",")
          .map((n) => n.trim())
          .filter((n) => n !== ""),
        heartbeatMs: positive(o.heartbeatMs, "--heartbeat-ms"),
        slurmLogDir: resolve(o.slurmLogDir ?? join(o.dataDir, "slurm-logs")),
        slurmPartition: o.slurmPartition,
      });
      const service = await startService({
        database,
        fleet,
        policy: o.policy,
        host: o.host,
        port,
        tickMs: positive(o.tickMs, "--tick-ms"),
        executor,
        ...(agents !== undefined && { agents }),
        seed: o.demo ? DEMO_SEED : {},
        plannerThread: true,
        logger: false,
      });
      const tokenFile = join(o.dataDir, "admin-token");
      if (service.adminToken !== undefined) {
        writeFileSync(tokenFile, `${service.adminToken}\n`);
        chmodSync(tokenFile, 0o600);
      }
      const token =
        service.adminToken ??
        (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : undefined);
      const load = o.load ? startDemoLoad(service.ctx) : undefined;
      process.stdout.write(
        [
          `gongjang control plane on ${service.url}  (store: ${service.ctx.store.dialect} ${service.ctx.store.location}, executor: ${executor.name})`,
          `  API docs:    ${service.url}/docs`,
          `  admin token: ${token ?? `(not shown: the store was seeded elsewhere; see ${tokenFile})`}`,
          `  try:         curl -H "Authorization: Bearer $TOKEN" ${service.url}/v1/jobs`,
          load ? "  a gentle synthetic load is being submitted (--load)" : "",
          "",
        ].join("\n"),
      );
      const stop = async () => {
        load?.stop();
        await service.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}

function positive(v: string, option: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `${option}: expected a positive number, got "${v}"`,
      { path: option },
    );
  return n;
}
