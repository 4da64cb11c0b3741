/**
 * Migrations, in order. Each is a module `NNNN_name.ts` with up() and down(); they
 * are listed here (not read from disk) so that a bundled or relocated build finds them.
 */
import type { Migration, MigrationProvider } from "kysely/migration";
import * as initial from "./0001_initial.ts";

const MIGRATIONS: Record<string, Migration> = {
  "0001_initial": initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
