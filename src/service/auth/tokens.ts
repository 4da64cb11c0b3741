/**
 * API tokens: `gj_<id>_<secret>`. Only sha256(secret) is stored (the secret is 32
 * random bytes, so a fast hash is enough; passwords would need a slow one), and it is
 * compared in constant time. Verified tokens are cached for a few seconds so a busy
 * API does not read the token table on every request; revocation takes effect within
 * that time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { GongjangError } from "../../core/errors.ts";
import type { Db } from "../../store/jobs.ts";
import type { Principal, Role } from "./roles.ts";

const CACHE_MS = 5_000;

export interface NewToken {
  readonly id: string;
  /** The whole token, shown once. */
  readonly token: string;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Creates a token and stores its hash. */
export async function createToken(
  db: Db,
  o: { name: string; role: Role; tenant: string | null; createdBy: string; now: number },
): Promise<NewToken> {
  const id = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  await db
    .insertInto("tokens")
    .values({
      id,
      name: o.name,
      secret_hash: sha256(secret).toString("hex"),
      role: o.role,
      tenant: o.tenant,
      created_by: o.createdBy,
      created_at: o.now,
      revoked_at: null,
    })
    .execute();
  return { id, token: `gj_${id}_${secret}` };
}

export class TokenVerifier {
  private readonly db: Db;
  private readonly cache = new Map<string, { principal: Principal; hash: Buffer; until: number }>();

  constructor(db: Db) {
    this.db = db;
  }

  /** The principal a bearer token stands for; throws GJ_ERR_UNAUTHENTICATED. */
  async verify(token: string | undefined, now: number): Promise<Principal> {
    const m = token === undefined ? null : /^gj_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
    if (m === null)
      throw new GongjangError(
        "GJ_ERR_UNAUTHENTICATED",
        "expected header Authorization: Bearer gj_…",
      );
    const [, id, secret] = m;
    const hash = sha256(secret);
    let entry = this.cache.get(id);
    if (entry === undefined || entry.until < now) {
      const row = await this.db
        .selectFrom("tokens")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined || row.revoked_at !== null) throw unknownToken();
      entry = {
        principal: { tokenId: row.id, name: row.name, role: row.role as Role, tenant: row.tenant },
        hash: Buffer.from(row.secret_hash, "hex"),
        until: now + CACHE_MS,
      };
      this.cache.set(id, entry);
    }
    if (!timingSafeEqual(hash, entry.hash)) throw unknownToken();
    return entry.principal;
  }

  /** Drops a token from the cache (after revocation). */
  forget(id: string): void {
    this.cache.delete(id);
  }
}

function unknownToken(): GongjangError {
  return new GongjangError("GJ_ERR_UNAUTHENTICATED", "the token is unknown or revoked");
}
