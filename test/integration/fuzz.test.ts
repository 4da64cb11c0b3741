// API fuzzing: every mutating route (test/support/fuzz-routes.ts) gets GJ_FUZZ_RUNS
// random or mutated requests (default 1,000; CI runs 10,000) on one SQLite-backed
// service, in table order. Each reply must be a 2xx or a coded 4xx, never a 5xx or a
// stack trace; each accepted request writes one audit record; after each route the
// store must be consistent. The seed is fixed (GJ_FUZZ_SEED overrides it); a failure
// names the request, and fast-check shrinks it. Rows whose route is not registered
// are skipped, so the table may run ahead of the API.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fuzzBody } from "../support/fuzz-bodies.ts";
import {
  auditCount,
  checkReply,
  checkStore,
  type FuzzRequest,
  readState,
  send,
} from "../support/fuzz-check.ts";
import {
  FUZZ_ROUTES,
  type FuzzPrincipal,
  type FuzzRoute,
  type FuzzState,
  PRINCIPALS,
} from "../support/fuzz-routes.ts";
import { testService } from "../support/service.ts";

const RUNS = Number(process.env.GJ_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.GJ_FUZZ_SEED ?? 42);
/** Runs only the rows whose "METHOD /route" contains this (for chasing one failure). */
const ONLY = process.env.GJ_FUZZ_ONLY ?? "";
/** Requests between scheduler ticks and refreshes of the ids that paths draw from. */
const EVERY = 200;

/** A request for `route`, built against the ids in the store when it is sent. */
function requestArb(route: FuzzRoute): fc.Arbitrary<(s: FuzzState) => FuzzRequest> {
  return fc
    .record({
      path: route.path,
      body: fuzzBody(route.body),
      headers: route.headers ?? fc.constant({}),
      // mostly the row's principal; sometimes anyone, nobody or a forged token
      as: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.as) },
        { weight: 1, arbitrary: fc.constantFrom(...PRINCIPALS) },
      ),
    })
    .map((r) => (s: FuzzState) => ({ ...r, method: route.method, path: r.path(s) }));
}

const tally = (m: Map<string, number>) =>
  [...m]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");

test(`${RUNS} fuzzed requests per mutating route: 2xx or coded 4xx, audited, store consistent`, {
  timeout: 3_600_000,
}, async (t) => {
  const svc = await testService("sqlite");
  t.after(() => svc.close());
  const tokens: Record<FuzzPrincipal, string | undefined> = {
    admin: svc.admin,
    programAdmin: await svc.token("program-admin", null),
    tenantAdmin: await svc.token("tenant-admin", "hyundai"),
    member: await svc.token("member", "hyundai"),
    viewer: await svc.token("viewer", null),
    none: undefined,
    forged: `gj_${"0".repeat(12)}_${"A".repeat(43)}`,
  };
  const own = new Set(Object.values(tokens).map((tk) => tk?.split("_")[1] ?? ""));
  for (const [i, route] of FUZZ_ROUTES.entries()) {
    await t.test(`${route.method} ${route.route}`, async (st) => {
      if (!`${route.method} ${route.route}`.includes(ONLY)) {
        st.skip(`GJ_FUZZ_ONLY=${ONLY}`);
        return;
      }
      if (!svc.app.hasRoute({ method: route.method, url: route.route })) {
        st.skip("not registered");
        return;
      }
      const audited = await auditCount(svc, route.audit);
      let state = await readState(svc, own);
      let n = 0;
      let accepted = 0;
      const statuses = new Map<string, number>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(requestArb(route), async (build) => {
          if (++n % EVERY === 0) {
            await svc.ctx.loop.tickNow();
            state = await readState(svc, own);
          }
          const req = build(state);
          const res = await send(svc, tokens, req);
          const code = checkReply(res, req)?.replace("GJ_ERR_", "");
          const seen = code === undefined ? String(res.status) : `${res.status} ${code}`;
          statuses.set(seen, (statuses.get(seen) ?? 0) + 1);
          if ((route.accepted ?? ((s) => s >= 200 && s < 300))(res.status)) accepted++;
        }),
        { seed: SEED + i, numRuns: RUNS },
      );
      const ms = performance.now() - started;
      st.diagnostic(
        `${RUNS} requests in ${Math.round(ms)} ms (${Math.round((RUNS * 1000) / ms)}/s); ${tally(statuses)}`,
      );
      assert.equal(
        (await auditCount(svc, route.audit)) - audited,
        accepted,
        `one ${route.audit.join("|")} audit record per accepted request`,
      );
      await svc.ctx.loop.tickNow();
      await checkStore(svc);
    });
  }
});
