/**
 * What admission reads on every submit: the queue paths and the policy-wide settings
 * (priority classes, QoS). They change only when an admin edits queues, so they are
 * cached: edits in this process call invalidate(); edits made by another service
 * process (Postgres) are seen within TTL_MS of real time.
 */

import type { Db } from "../../store/jobs.ts";
import type { TenancySettings } from "./live.ts";
import { tenancySettings } from "./live.ts";

const TTL_MS = 1000;

export interface QueueCatalog {
  readonly settings: TenancySettings;
  readonly paths: ReadonlySet<string>;
  /** Paths with at least one child queue (jobs go to leaves only). */
  readonly parents: ReadonlySet<string>;
}

export class CatalogCache {
  private value: QueueCatalog | undefined;
  private at = Number.NEGATIVE_INFINITY;
  private version = 0;

  async get(db: Db): Promise<QueueCatalog> {
    if (this.value !== undefined && performance.now() - this.at < TTL_MS) return this.value;
    const version = this.version;
    const started = performance.now();
    const value = await readCatalog(db);
    // An edit that landed while we read may not be in what we read: do not keep it.
    if (version === this.version) {
      this.value = value;
      this.at = started;
    }
    return value;
  }

  /** Forgets the cached catalog (after a queue or settings edit). */
  invalidate(): void {
    this.version++;
    this.value = undefined;
  }
}

async function readCatalog(db: Db): Promise<QueueCatalog> {
  const rows = await db.selectFrom("queues").select("path").execute();
  const paths = new Set(rows.map((r) => r.path));
  const parents = new Set<string>();
  for (const p of paths)
    for (let cut = p.lastIndexOf("/"); cut > 0; cut = p.lastIndexOf("/", cut - 1))
      parents.add(p.slice(0, cut));
  return { settings: await tenancySettings(db), paths, parents };
}
