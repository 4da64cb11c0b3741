/**
 * `gongjang serve` as a child process, for tests that kill it (crash recovery): start
 * it on a data dir (embedded SQLite) or a Postgres URL, read its URL and admin token,
 * call it over real HTTP, SIGKILL it, and read its store directly to check invariants.
 *
 *   const child = await startChild({ dataDir });
 *   const res = await child.call("POST", "/v1/jobs", { body, headers });
 *   await child.kill(); // SIGKILL, resolves once the process is gone
 *   const rows = await readStore(storeLocation(dataDir));
 *
 * Children still alive when the test process exits are killed with it. A restart costs
 * a few CPU-seconds (mostly module loading and route-schema compilation), so the child
 * runs this file, which registers only the CLI's `serve` command (the same code as
 * `gongjang serve`, without loading the simulator's commands), and shares a compile
 * cache across starts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";

const ROOT = join(import.meta.dirname, "..", "..");
const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] === SELF) {
  // Run as the child: `node child-service.ts serve …` is `gongjang serve …`.
  const { Command } = await import("commander");
  const { registerServe } = await import("../../src/cli/commands/serve.ts");
  const program = new Command().name("gongjang");
  registerServe(program);
  await program.parseAsync(process.argv);
}

export interface ChildOptions {
  /** Holds the SQLite store (unless `database` is set) and the admin-token file. */
  readonly dataDir: string;
  /** A postgres:// URL; default: SQLite in dataDir. */
  readonly database?: string;
  /** Scheduler period; default 50 ms, so jobs start while a test submits. */
  readonly tickMs?: number;
  /** Sim executor speedup; default 3600 (a one-hour job runs for a second). */
  readonly speedup?: number;
  /** Give up on a start that prints no URL within this; default 60 s. */
  readonly startTimeoutMs?: number;
}

export interface HttpReply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  readonly json: any;
  readonly text: string;
}

export interface ChildService {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  /** Calls the API over HTTP with the admin token; a dead child rejects (fetch failed). */
  call(
    method: string,
    path: string,
    o?: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
  ): Promise<HttpReply>;
  /** SIGKILL: no shutdown code runs. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGTERM: the service closes cleanly. Resolves once the process has exited. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

/** Where `gongjang serve --data-dir dataDir` keeps its SQLite store. */
export const storeLocation = (dataDir: string) => join(dataDir, "gongjang.db");

/**
 * Starts `gongjang serve --port 0` and resolves once it prints its URL. Rejects (and
 * kills the child) if it exits first or takes longer than startTimeoutMs; the error
 * carries what it printed.
 */
export function startChild(o: ChildOptions): Promise<ChildService> {
  const args = [
    SELF,
    "serve",
    "--data-dir",
    o.dataDir,
    "--port",
    "0",
    "--tick-ms",
    String(o.tickMs ?? 50),
    "--speedup",
    String(o.speedup ?? 3600),
    ...(o.database !== undefined ? ["--database", o.database] : []),
  ];
  const env = { ...process.env };
  delete env.DATABASE_URL; // SQLite unless `database` says otherwise
  // Halves the CPU time of loading the service's modules on every restart after the first.
  env.NODE_COMPILE_CACHE ??= join(tmpdir(), "gongjang-test-compile-cache");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
  });
  let out = "";
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  return new Promise<ChildService>((resolve, reject) => {
    let ready = false;
    const fail = (why: string) => {
      if (ready) return;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`gongjang serve ${why}\nstdout:\n${out}\nstderr:\n${err}`));
    };
    const timer = setTimeout(
      () => fail(`printed no URL in ${o.startTimeoutMs ?? 60_000} ms`),
      o.startTimeoutMs ?? 60_000,
    );
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const url = /control plane on (http:\/\/\S+)/.exec(out)?.[1];
      const shown = /admin token: (gj_\S+)/.exec(out)?.[1];
      if (ready || url === undefined || !/admin token: .*\n/.test(out)) return;
      clearTimeout(timer);
      ready = true;
      const token = shown ?? readFileSync(join(o.dataDir, "admin-token"), "utf8").trim();
      const signal = async (sig: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(sig);
        await exited;
      };
      resolve({
        url,
        token,
        pid: child.pid!,
        call: (method, path, c = {}) => httpCall(url, token, method, path, c),
        kill: () => signal("SIGKILL"),
        stop: () => signal("SIGTERM"),
      });
    });
  });
}

async function httpCall(
  url: string,
  token: string,
  method: string,
  path: string,
  c: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<HttpReply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(c.body !== undefined && { "content-type": "application/json" }),
      ...c.headers,
    },
    ...(c.body !== undefined && { body: JSON.stringify(c.body) }),
    signal: AbortSignal.timeout(c.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** A job row as the store holds it, with how many `submitted` events it has. */
export interface StoredJob {
  readonly id: number;
  readonly key: string | null;
  readonly state: string;
  readonly placement: string | null;
  readonly submittedEvents: number;
}

const JOBS_SQL = `select j.id, j.idempotency_key as key, j.state, j.placement,
  (select count(*) from job_events e where e.job_id = j.id and e.kind = 'submitted') as submitted
  from jobs j order by j.id`;

/**
 * Every job of the store at `location` (a SQLite file, opened read-only, or a
 * postgres:// URL). Safe while a service runs on it: WAL readers do not block writers.
 */
export async function readStore(location: string): Promise<StoredJob[]> {
  type Raw = { id: number; key: string | null; state: string; placement: string | null };
  let rows: (Raw & { submitted: number | string })[];
  if (/^postgres(ql)?:\/\//.test(location)) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      rows = (await client.query(JOBS_SQL)).rows;
    } finally {
      await client.end();
    }
  } else {
    if (!existsSync(location)) return [];
    const db = new SQLite(location, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      rows = db.prepare(JOBS_SQL).all() as typeof rows;
    } finally {
      db.close();
    }
  }
  return rows.map((r) => ({
    id: Number(r.id),
    key: r.key,
    state: r.state,
    placement: r.placement,
    submittedEvents: Number(r.submitted),
  }));
}
