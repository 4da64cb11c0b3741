/**
 * Where the client commands send requests and with which token. Precedence, highest
 * first: --server/--token, GONGJANG_SERVER/GONGJANG_TOKEN (commander reads them), then
 * the defaults: http://127.0.0.1:8080 and the admin token `gongjang serve` keeps in its
 * default data dir, so that a newcomer's first command works without any setup.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GongjangError } from "../../core/errors.ts";

/** The server `gongjang serve` listens on with its default options. */
export const DEFAULT_SERVER = "http://127.0.0.1:8080";
/** The admin token file `gongjang serve` writes in its default --data-dir. */
export const ADMIN_TOKEN_FILE = join(".gongjang", "admin-token");

export interface Connection {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:8080". */
  readonly server: string;
  readonly token: string | undefined;
  /** Where the token came from, for error hints. */
  readonly tokenSource: "option" | "file" | "none";
}

/**
 * Resolves the connection from the parsed options (commander has already applied the
 * environment variables). Reads `<cwd>/.gongjang/admin-token` when no token was given
 * and calls `note` once when it does. Throws GJ_ERR_ARGUMENT for a malformed --server.
 */
export function resolveConnection(
  o: { server?: string; token?: string },
  cwd: string,
  note: (text: string) => void,
): Connection {
  const server = normalizeServer(o.server ?? DEFAULT_SERVER);
  if (o.token !== undefined && o.token.trim() !== "")
    return { server, token: o.token.trim(), tokenSource: "option" };
  const file = join(cwd, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, "utf8").trim();
    if (token !== "") {
      note(`note: using the admin token from ${ADMIN_TOKEN_FILE} (set --token or GONGJANG_TOKEN)`);
      return { server, token, tokenSource: "file" };
    }
  }
  return { server, token: undefined, tokenSource: "none" };
}

/**
 * "localhost:8080" → "http://localhost:8080"; drops trailing slashes. Throws
 * GJ_ERR_ARGUMENT unless the result is an http(s) URL.
 */
export function normalizeServer(value: string): string {
  const raw = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw badServer(value);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badServer(value);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function badServer(value: string): GongjangError {
  return new GongjangError(
    "GJ_ERR_ARGUMENT",
    `--server: expected an http(s) URL such as ${DEFAULT_SERVER}, got "${value}"`,
    { path: "--server" },
  );
}
