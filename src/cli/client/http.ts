/**
 * A small HTTP client for the gongjang API over Node's global fetch. Every error the
 * service answers (`{ error: { code, message, path?, details? } }`) becomes an
 * ApiError; a server that cannot be reached becomes GJ_ERR_SERVER_UNREACHABLE naming
 * the URL.
 */
import { GongjangError } from "../../core/errors.ts";
import type { Connection } from "./connection.ts";

/** How long one request may take before the server counts as unreachable. */
const TIMEOUT_MS = 30_000;

/** An error the service answered. `code` is kept as a string: a newer server may send codes this CLI does not know. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly path: string | undefined;
  readonly details: readonly string[];

  constructor(
    status: number,
    code: string,
    message: string,
    path?: string,
    details: readonly string[] = [],
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.path = path;
    this.details = details;
  }
}

/** A query string's values; undefined ones are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A successful answer: the parsed JSON, or the text when it is not JSON (CSV). */
export interface Answer<T> {
  readonly status: number;
  readonly json: T;
  readonly text: string;
  readonly contentType: string;
}

export type Fetch = typeof fetch;

/** Calls one gongjang server with one token. */
export class ApiClient {
  readonly connection: Connection;
  readonly #fetch: Fetch;

  constructor(connection: Connection, fetchImpl: Fetch = fetch) {
    this.connection = connection;
    this.#fetch = fetchImpl;
  }

  /** GETs `path` and returns its JSON body; throws ApiError or GJ_ERR_SERVER_UNREACHABLE. */
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>("GET", path, { query })).json;
  }

  /** POSTs `body` as JSON and returns the JSON answer. */
  async post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.request<T>("POST", path, { body, headers })).json;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>("DELETE", path)).json;
  }

  /** The URL a request goes to, with its query string. */
  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.connection.server}${path}${qs === "" ? "" : `?${qs}`}`;
  }

  /** Sends one request. 2xx answers resolve; anything else throws a coded error. */
  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<Answer<T>> {
    const url = this.url(path, o.query);
    const headers: Record<string, string> = { accept: "application/json", ...o.headers };
    if (this.connection.token !== undefined)
      headers.authorization = `Bearer ${this.connection.token}`;
    if (o.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await res.text();
    } catch (err) {
      throw unreachable(this.connection.server, err);
    }
    const contentType = res.headers.get("content-type") ?? "";
    const json = parseJson(text, contentType);
    if (res.ok) return { status: res.status, json: json as T, text, contentType };
    throw errorOf(res.status, json, text);
  }
}

function parseJson(text: string, contentType: string): unknown {
  if (!contentType.includes("json") || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The coded error of a non-2xx answer; a body that is not the API's error shape is summarized. */
export function errorOf(status: number, json: unknown, text: string): ApiError {
  const e = (json as { error?: Record<string, unknown> } | undefined)?.error;
  if (e !== undefined && typeof e.code === "string" && typeof e.message === "string") {
    const details = Array.isArray(e.details) ? e.details.map(String) : [];
    return new ApiError(
      status,
      e.code,
      e.message,
      typeof e.path === "string" ? e.path : undefined,
      details,
    );
  }
  // Not our error body (a proxy, another program on that port): show what came back.
  const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return new ApiError(
    status,
    status >= 500 ? "GJ_ERR_INTERNAL" : "GJ_ERR_REQUEST_INVALID",
    `HTTP ${status} without a gongjang error body${snippet === "" ? "" : `: ${snippet}`}; is --server a gongjang server?`,
  );
}

/** GJ_ERR_SERVER_UNREACHABLE for a failed fetch, with the low-level reason (ECONNREFUSED, timeout). */
export function unreachable(server: string, err: unknown): GongjangError {
  return new GongjangError(
    "GJ_ERR_SERVER_UNREACHABLE",
    `cannot reach ${server} (${reasonOf(err)}); is \`gongjang serve\` running there? Set --server or GONGJANG_SERVER`,
  );
}

function reasonOf(err: unknown): string {
  if (err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError"))
    return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause !== undefined) {
    if (typeof cause.code === "string") return cause.code;
    if (typeof cause.message === "string") return cause.message;
  }
  return err instanceof Error ? err.message : String(err);
}
