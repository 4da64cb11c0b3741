import assert from "node:assert/strict";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import { ApiClient, ApiError, type Fetch } from "./http.ts";
import { describeError, exitCodeOf } from "./io.ts";

const conn = { server: "http://gj:8080", token: "gj_t", tokenSource: "option" } as const;

function stub(status: number, body: string, type = "application/json") {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { "content-type": type } });
  }) as unknown as Fetch;
  return { f, calls };
}

test("requests carry the token, JSON body and query; undefined params are left out", async () => {
  const { f, calls } = stub(200, '{"ok":true}');
  const api = new ApiClient(conn, f);
  assert.deepEqual(await api.get("/v1/jobs", { state: "pending", queue: undefined, limit: 5 }), {
    ok: true,
  });
  assert.equal(calls[0].url, "http://gj:8080/v1/jobs?state=pending&limit=5");
  const headers = calls[0].init.headers as Record<string, string>;
  assert.equal(headers.authorization, "Bearer gj_t");
  await api.post("/v1/jobs", { a: 1 }, { "idempotency-key": "k" });
  const h2 = calls[1].init.headers as Record<string, string>;
  assert.equal(calls[1].init.body, '{"a":1}');
  assert.equal(h2["content-type"], "application/json");
  assert.equal(h2["idempotency-key"], "k");
});

test("an API error becomes ApiError, printed as `error CODE: message (at path)`", async () => {
  const body = { error: { code: "GJ_ERR_NOT_FOUND", message: "no job 9", path: "id" } };
  const { f } = stub(404, JSON.stringify(body));
  const err = await new ApiClient(conn, f).get("/v1/jobs/9").catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(describeError(err), "error GJ_ERR_NOT_FOUND: no job 9 (at id)\n");
  assert.equal(exitCodeOf(err), 3);
});

test("a non-gongjang answer is summarized", async () => {
  const { f } = stub(502, "<html>Bad gateway</html>", "text/html");
  const err = await new ApiClient(conn, f).get("/v1/jobs").catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, "GJ_ERR_INTERNAL");
  assert.match(err.message, /^HTTP 502 without a gongjang error body: <html>Bad gateway<\/html>/);
  assert.equal(exitCodeOf(err), 5);
});

test("exit codes: auth → usage, other 4xx → input, 5xx and unreachable → service", () => {
  const cases: [unknown, number][] = [
    [new ApiError(401, "GJ_ERR_UNAUTHENTICATED", "x"), 2],
    [new ApiError(403, "GJ_ERR_FORBIDDEN", "x"), 2],
    [new ApiError(409, "GJ_ERR_JOB_FINISHED", "x"), 3],
    [new ApiError(500, "GJ_ERR_INTERNAL", "x"), 5],
    [new GongjangError("GJ_ERR_ARGUMENT", "x"), 2],
    [new GongjangError("GJ_ERR_FILE_NOT_FOUND", "x"), 3],
    [new GongjangError("GJ_ERR_SERVER_UNREACHABLE", "x"), 5],
  ];
  for (const [err, code] of cases) assert.equal(exitCodeOf(err), code);
});

test("a refused connection is GJ_ERR_SERVER_UNREACHABLE naming the URL", async () => {
  const f = (async () => {
    throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
  }) as unknown as Fetch;
  const err = await new ApiClient(conn, f).get("/v1/fleet").catch((e: unknown) => e);
  assert.ok(err instanceof GongjangError);
  assert.equal(err.code, "GJ_ERR_SERVER_UNREACHABLE");
  assert.match(
    describeError(err),
    /^error GJ_ERR_SERVER_UNREACHABLE: cannot reach http:\/\/gj:8080 \(ECONNREFUSED\)/,
  );
});
