/**
 * Opens the store: embedded SQLite (better-sqlite3 in WAL mode) by default, or
 * Postgres when the location is a postgres:// URL. Migrations run before the store is
 * handed out.
 *
 * Durability: the API acknowledges a write only after `durable()` resolves. Postgres
 * commits are durable by themselves. SQLite runs with synchronous=NORMAL, so a commit
 * only writes the WAL, and durable() then fsyncs the WAL file off the main thread; one
 * fsync covers every commit made before it started (group commit). synchronous=FULL
 * would fsync inside each commit instead, blocking the event loop for ~3 ms each time.
 */
import { mkdirSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { GongjangError } from "../core/errors.ts";
import { migrationProvider } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where it lives, with any password removed (for logs). */
  readonly location: string;
  /** Resolves once every commit made so far survives a crash or power loss. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens `location` (a file path, ":memory:" or a postgres:// URL) and migrates it. */
export async function openStore(location: string): Promise<Store> {
  const postgres = /^postgres(ql)?:\/\//.test(location);
  const db = postgres ? openPostgres(location) : openSqlite(location);
  const wal = postgres || location === ":memory:" ? undefined : new WalSync(`${location}-wal`);
  const store: Store = {
    db,
    dialect: postgres ? "postgres" : "sqlite",
    location: location.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@"),
    durable: () => wal?.sync() ?? Promise.resolve(),
    close: async () => {
      await wal?.close();
      await db.destroy();
    },
  };
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return store;
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(database) }),
  });
}

/** Prepared statements kept per SQL text (least recently used dropped past this many). */
const STATEMENT_CACHE = 512;

/**
 * kysely prepares every query anew; preparing costs more than running most of ours.
 * Keep the prepared statements (better-sqlite3 statements are reusable) by SQL text.
 */
function cachingStatements(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt !== undefined) cache.delete(sql);
      else {
        stmt = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

function openPostgres(url: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
  });
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "?";
    throw new GongjangError(
      "GJ_ERR_STORE",
      `migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Group commit: fsyncs of the WAL file, coalesced so that callers share one. */
class WalSync {
  private readonly path: string;
  private file: Promise<FileHandle> | undefined;
  private inflight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(path: string) {
    this.path = path;
  }

  sync(): Promise<void> {
    if (this.inflight === undefined) {
      this.inflight = this.fsync().finally(() => {
        this.inflight = undefined;
      });
      return this.inflight;
    }
    // The fsync in flight may have started before the caller's commit: wait for the next.
    this.queued ??= this.inflight.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    return this.queued;
  }

  private async fsync(): Promise<void> {
    this.file ??= open(this.path, "r");
    await (await this.file).sync();
  }

  async close(): Promise<void> {
    await this.inflight;
    await this.queued;
    if (this.file !== undefined) await (await this.file).close();
  }
}
