/**
 * Opens the store: embedded SQLite (better-sqlite3, WAL, synchronous=FULL so that an
 * acknowledged write survives a crash) by default, or Postgres when the location is a
 * postgres:// URL. Migrations run before the store is handed out.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
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
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens `location` (a file path, ":memory:" or a postgres:// URL) and migrates it. */
export async function openStore(location: string): Promise<Store> {
  const postgres = /^postgres(ql)?:\/\//.test(location);
  const db = postgres ? openPostgres(location) : openSqlite(location);
  const store: Store = {
    db,
    dialect: postgres ? "postgres" : "sqlite",
    location: location.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@"),
    close: () => db.destroy(),
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
  database.pragma("synchronous = FULL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
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
