import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiClient } from "../../client/http.ts";
import type { Forecast } from "../../client/types.ts";
import { fakeFetch, job } from "./fixtures.ts";
import { listJobs, queueTable, sortForQueue, waitedOrRan } from "./queue.ts";

const NOW = Date.parse("2026-11-23T10:00:00Z");

test("waitedOrRan: pending counts from submit, running from start, ended start to end", () => {
  assert.equal(waitedOrRan(job(), NOW), "1h00m"); // 09:00 → 10:00
  const running = job({ state: "running", startedAt: "2026-11-23T09:55:30Z" });
  assert.equal(waitedOrRan(running, NOW), "4m30s");
  const ended = job({
    state: "succeeded",
    startedAt: "2026-11-23T09:00:00Z",
    endedAt: "2026-11-23T09:00:42Z",
  });
  assert.equal(waitedOrRan(ended, NOW), "42s");
  assert.equal(waitedOrRan(job({ state: "cancelled", endedAt: "2026-11-23T09:01:00Z" }), NOW), "-");
});

test("sortForQueue: running, then pending, oldest first", () => {
  const jobs = [
    job({ id: 5 }),
    job({ id: 3, state: "running" }),
    job({ id: 2 }),
    job({ id: 9, state: "succeeded" }),
    job({ id: 4, state: "stopping" }),
  ];
  assert.deepEqual(
    sortForQueue(jobs).map((j) => j.id),
    [3, 4, 2, 5, 9],
  );
});

test("queueTable: one row per job, reason truncated, ETA a placeholder", () => {
  const out = queueTable(
    [
      job({
        id: 3,
        state: "running",
        startedAt: "2026-11-23T09:58:00Z",
        deviceType: "nvidia-h100-80g",
        user: "bob",
      }),
      job({ id: 12, reason: `quota: ${"x".repeat(80)}` }),
    ],
    NOW,
  );
  const lines = out.split("\n");
  assert.equal(
    lines[0],
    "ID  NAME    QUEUE        USER   STATE    DEVICES   WAITED/RAN  ETA  REASON",
  );
  assert.equal(lines[1], " 3  llm-7b  hyundai/llm  bob    running  2×8 h100       2m00s  -    -");
  assert.match(
    lines[2],
    /^12 +llm-7b +hyundai\/llm +alice +pending +2×8 h100 +1h00m +- +quota: x+…$/,
  );
  assert.equal(lines[2].split("  ").pop()?.length, 48);
});

test("listJobs follows nextCursor up to the limit", async () => {
  // Pages of 2 from id 5 down: [5,4] → cursor 4, [3,2] → cursor 2, [1] → null.
  const { fetch, urls } = fakeFetch((u) => {
    const below = Number(u.searchParams.get("cursor") ?? 6);
    const limit = Math.min(2, Number(u.searchParams.get("limit")));
    const ids = [5, 4, 3, 2, 1].filter((id) => id < below).slice(0, limit);
    const more = ids.length > 0 && ids[ids.length - 1] > 1;
    return { items: ids.map((id) => job({ id })), nextCursor: more ? ids[ids.length - 1] : null };
  });
  const api = new ApiClient({ server: "http://x", token: "t", tokenSource: "option" }, fetch);
  const all = await listJobs(api, { state: "pending" }, 100);
  assert.deepEqual(
    all.items.map((j) => j.id),
    [5, 4, 3, 2, 1],
  );
  assert.equal(all.more, false);
  assert.equal(urls[1].searchParams.get("cursor"), "4");
  assert.equal(urls[0].searchParams.get("state"), "pending");
  const three = await listJobs(api, {}, 3);
  assert.deepEqual(
    three.items.map((j) => j.id),
    [5, 4, 3],
  );
  assert.equal(three.more, true);
});

test("queueTable: ETA from forecasts, by state and outcome", () => {
  const f = (jobId: number, o: Partial<Forecast>): [number, Forecast] => [
    jobId,
    {
      jobId,
      status: "forecast",
      p10: null,
      p50: null,
      p90: null,
      outcome: "scheduled",
      reason: "",
      calibratedOn: 0,
      computedAt: null,
      runs: 20,
      ...o,
    },
  ];
  const etas = new Map([
    f(1, { p50: "2026-11-23T12:10:00Z" }), // 10:00 → 12:10
    f(2, { p50: "2026-11-23T10:00:00Z" }),
    f(3, { outcome: "never" }),
    f(4, { outcome: "beyond-horizon" }),
    f(5, { status: "computing", outcome: null }),
  ]);
  const jobs = [1, 2, 3, 4, 5, 6].map((id) => job({ id }));
  const cells = queueTable(jobs, NOW, etas)
    .split("\n")
    .slice(1, 7)
    .map((l) => l.split(/ {2,}/)[7]);
  assert.deepEqual(cells, ["in 2h10m", "now", "never", ">horizon", "…", "-"]);
});
