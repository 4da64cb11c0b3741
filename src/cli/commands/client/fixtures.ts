/** Builders for API answers in the client commands' tests. */
import type { Fetch } from "../../client/http.ts";
import type { Job } from "../../client/types.ts";

/** A job as GET /v1/jobs shows it; `o` overrides any field. */
export function job(o: Partial<Job> = {}): Job {
  return {
    id: 1,
    name: "llm-7b",
    tenant: "hyundai",
    queue: "hyundai/llm",
    user: "alice",
    state: "pending",
    submittedAt: "2026-11-23T09:00:00.000Z",
    startedAt: null,
    endedAt: null,
    attempt: 0,
    deviceType: null,
    placement: [],
    exitCode: null,
    reason: null,
    spec: { members: 2, devices: 8, deviceTypes: ["nvidia-h100-80g"] },
    ...o,
  };
}

/** A fetch that answers each request with `answer(url)` as JSON and records the URLs. */
export function fakeFetch(answer: (url: URL) => unknown): { fetch: Fetch; urls: URL[] } {
  const urls: URL[] = [];
  const f = (async (url: string) => {
    const u = new URL(url);
    urls.push(u);
    return new Response(JSON.stringify(answer(u)), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }) as unknown as Fetch;
  return { fetch: f, urls };
}
