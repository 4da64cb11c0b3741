/**
 * The API client: every call sends the session's token; a 401 forgets the token and
 * calls the handler set with onUnauthorized (the app returns to the login page).
 * Errors are ApiError with the server's GJ_ERR_* code and message.
 */
const TOKEN_KEY = "gongjang.token";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let unauthorized: () => void = () => {};

/** Sets what happens when the API answers 401. */
export function onUnauthorized(f: () => void): void {
  unauthorized = f;
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** Raw fetch of an API path with the token; throws ApiError unless 2xx. */
export async function apiFetch(
  path: string,
  init: RequestInit = {},
  token = getToken(),
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(path, { ...init, headers });
  if (res.ok) return res;
  let code = "GJ_ERR_HTTP";
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  // A wrong token typed at the login page is not a lost session.
  if (res.status === 401 && token === getToken()) {
    setToken(null);
    unauthorized();
  }
  throw new ApiError(res.status, code, message);
}

/** GET (or another method with a JSON body) returning parsed JSON. */
export async function api<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  const res = await apiFetch(path, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await res.json()) as T;
}
