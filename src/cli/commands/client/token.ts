/**
 * `gongjang token create|list|revoke`: API tokens through /v1/tokens. A new token's
 * secret is printed once (the server keeps only its hash).
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { table, timestamp } from "../../client/format.ts";
import { jsonText } from "../../client/io.ts";

const ROLES = ["admin", "program-admin", "tenant-admin", "member", "viewer", "agent"] as const;

/** GET /v1/tokens items. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly tenant: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

interface CreateOptions {
  readonly name: string;
  readonly role: string;
  readonly tenant?: string;
}

/** Adds the `token` group to `program`. */
export function registerToken(program: Command, env: ClientEnv): void {
  const group = program.command("token").description("create, list and revoke API tokens");
  const create = group
    .command("create")
    .description("create a token; its secret is shown once")
    .requiredOption("--name <name>", "who or what uses it, e.g. alice or ci-bot")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--tenant <tenant>", "the tenant it is scoped to (needed for tenant-admin and member)");
  clientAction<CreateOptions, []>(create, env, async ({ api, io, opts }) => {
    if (!(ROLES as readonly string[]).includes(opts.role))
      throw new GongjangError(
        "GJ_ERR_ARGUMENT",
        `--role: expected one of ${ROLES.join(", ")}, got "${opts.role}"`,
        {
          path: "--role",
        },
      );
    const made = await api.post<TokenView & { token: string }>("/v1/tokens", {
      name: opts.name,
      role: opts.role,
      tenant: opts.tenant ?? null,
    });
    io.out(opts.json ? jsonText(made) : createdText(made));
  });

  const list = group
    .command("list")
    .description("list tokens (never their secrets)")
    .option("--tenant <tenant>", "only this tenant's tokens")
    .option("--revoked", "include revoked tokens");
  clientAction<{ tenant?: string; revoked?: boolean }, []>(list, env, async ({ api, io, opts }) => {
    const page = await api.get<{ items: TokenView[] }>("/v1/tokens", {
      tenant: opts.tenant,
      revoked: opts.revoked === true ? true : undefined,
    });
    io.out(opts.json ? jsonText(page) : tokensTable(page.items));
  });

  const revoke = group
    .command("revoke")
    .description("revoke a token by id (the 12 hex digits after gj_)")
    .argument("<id>", "token id");
  clientAction<object, [string]>(revoke, env, async ({ api, io, opts }, id) => {
    const bare = /^gj_([0-9a-f]{12})_/.exec(id)?.[1] ?? id;
    const t = await api.delete<TokenView>(`/v1/tokens/${encodeURIComponent(bare)}`);
    io.out(opts.json ? jsonText(t) : `revoked token ${t.id} (${t.name}, ${t.role})\n`);
  });
}

/** The confirmation with the secret, and how to use it. */
export function createdText(t: TokenView & { token: string }): string {
  return [
    `created token ${t.id} for ${t.name}: ${t.role}${t.tenant === null ? "" : ` of ${t.tenant}`}`,
    `  token: ${t.token}`,
    "  it is shown only now; keep it, e.g. export GONGJANG_TOKEN=<token>",
    "",
  ].join("\n");
}

/** The tokens as a table. */
export function tokensTable(tokens: readonly TokenView[]): string {
  if (tokens.length === 0) return "no tokens\n";
  return table(
    [
      { title: "ID", cell: (t: TokenView) => t.id },
      { title: "NAME", cell: (t) => t.name },
      { title: "ROLE", cell: (t) => t.role },
      { title: "TENANT", cell: (t) => t.tenant ?? "-" },
      { title: "CREATED", cell: (t) => timestamp(t.createdAt) },
      { title: "BY", cell: (t) => t.createdBy },
      { title: "REVOKED", cell: (t) => timestamp(t.revokedAt) },
    ],
    tokens,
  );
}
