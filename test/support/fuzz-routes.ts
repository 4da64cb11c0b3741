/**
 * The mutating routes the API fuzzer drives, one row each: method, a path builder (it
 * draws real ids from the store most of the time, odd segments otherwise), valid
 * bodies for the fuzzer to mutate, whose token it sends, and the audit actions an
 * accepted request writes. Adding a route is adding a row.
 */
import fc from "fast-check";
import { oddSegment } from "./fuzz-bodies.ts";

/** Ids in the store when a request is built (refreshed as the fuzzer runs). */
export interface FuzzState {
  readonly jobIds: readonly number[];
  readonly nodeIds: readonly string[];
  readonly queuePaths: readonly string[];
  /** Tokens the fuzzer may revoke: never the ones it sends. */
  readonly tokenIds: readonly string[];
  readonly allocationIds: readonly number[];
}

/** Whose token a request carries; "none" sends none, "forged" a well-formed unknown one. */
export const PRINCIPALS = [
  "admin",
  "programAdmin",
  "tenantAdmin",
  "member",
  "viewer",
  "none",
  "forged",
] as const;
export type FuzzPrincipal = (typeof PRINCIPALS)[number];

export interface FuzzRoute {
  readonly method: "POST" | "PUT" | "DELETE";
  /** The route as registered; names the test. */
  readonly route: string;
  readonly path: fc.Arbitrary<(s: FuzzState) => string>;
  /** Valid bodies, which the fuzzer mutates; undefined: the route takes none. */
  readonly body?: fc.Arbitrary<Record<string, unknown>>;
  readonly headers?: fc.Arbitrary<Record<string, string>>;
  /** Whose token it sends, most of the time. */
  readonly as: FuzzPrincipal;
  /** An accepted request writes exactly one audit record with one of these actions. */
  readonly audit: readonly string[];
  /** Whether a reply status means the store changed; default: any 2xx. */
  readonly accepted?: (status: number) => boolean;
}

/** The demo tenancy's leaf queues (src/scenario/builtin/demo-ai-factory.ts). */
const LEAVES = [
  "hyundai/llm",
  "hyundai/robotics/sim",
  "samsung/foundation",
  "samsung/serving",
  "lg/exaone",
  "snu/gsai",
  "snu/robotics",
  "startups/alpha",
  "kisti/climate",
];
const TENANTS = ["hyundai", "samsung", "lg", "snu", "startups", "kisti"];
const DEVICE_TYPES = ["nvidia-vr-nvl144", "nvidia-h100-80g", "rebellions-atom", "furiosa-rngd"];
const PROGRAMS = ["startup", "university", "public-lab"];

const fixed = (path: string) => fc.constant(() => path);

/** `at(id)` for an id the store holds (most draws) or an odd segment. */
function withId(
  ids: (s: FuzzState) => readonly (string | number)[],
  at: (segment: string) => string,
): fc.Arbitrary<(s: FuzzState) => string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.nat().map((n) => (s: FuzzState) => {
        const xs = ids(s);
        return at(xs.length === 0 ? "1" : encodeURIComponent(String(xs[n % xs.length])));
      }),
    },
    { weight: 2, arbitrary: oddSegment.map((seg) => () => at(seg)) },
  );
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const iso = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((d) => new Date(Date.UTC(2031, 0, d)).toISOString());

const jobBody = fc.record(
  {
    queue: fc.constantFrom(...LEAVES),
    name,
    class: fc.constantFrom("batch", "inference", "simulation", "interactive"),
    members: fc.integer({ min: 1, max: 3 }),
    devices: fc.constantFrom(0, 1, 2, 4, 8),
    deviceShare: fc.constantFrom(0.25, 0.5, 1),
    deviceTypes: fc.subarray(DEVICE_TYPES, { maxLength: 2 }),
    duration: fc.integer({ min: 1, max: 86_400 }),
    priority: fc.integer({ min: -1000, max: 1000 }),
    preemptible: fc.boolean(),
    command: fc.constantFrom("python train.py", "sleep 60"),
    env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,7}$/), fc.string(), { maxKeys: 3 }),
    topology: fc.record({
      level: fc.constantFrom("domain", "rack", "site"),
      required: fc.boolean(),
    }),
  },
  { requiredKeys: ["queue", "duration"] },
);

const agentDevice = fc.record({
  uuid: fc.uuid().map((u) => `GPU-${u}`),
  model: fc.constantFrom("NVIDIA H100 80GB HBM3", "NVIDIA B200", ""),
  memoryMiB: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 200_000 })),
  mig: fc.oneof(fc.constant(null), fc.constantFrom("3g.40gb", "1g.10gb")),
});
const agentRun = fc.record(
  {
    key: fc.stringMatching(/^[0-9]{1,3}\.[1-3]\.[0-3]$/),
    state: fc.constantFrom("running", "succeeded", "failed", "cancelled", "lost"),
    exitCode: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 255 })),
    signal: fc.oneof(fc.constant(null), fc.constantFrom("SIGKILL", "SIGTERM")),
  },
  { requiredKeys: ["key", "state"] },
);

/** The table. Order matters a little: later rows act on what earlier ones created. */
export const FUZZ_ROUTES: readonly FuzzRoute[] = [
  {
    method: "POST",
    route: "/v1/jobs",
    path: fixed("/v1/jobs"),
    body: jobBody,
    headers: fc.option(
      fc.record({
        "idempotency-key": fc.oneof(
          fc.constantFrom("k-1", "k-2", "k-3", "", " ", "x".repeat(201)),
          fc.string({ unit: "binary-ascii", maxLength: 40 }).filter((k) => /^[ -~]*$/.test(k)),
        ),
      }),
      { nil: {} },
    ),
    as: "admin",
    audit: ["job.submit"],
    accepted: (status) => status === 201, // 200: an idempotent repeat stores nothing
  },
  {
    method: "POST",
    route: "/v1/jobs/:id/cancel",
    path: withId(
      (s) => s.jobIds,
      (id) => `/v1/jobs/${id}/cancel`,
    ),
    as: "admin",
    audit: ["job.cancel"],
  },
  {
    method: "POST",
    route: "/v1/tenants",
    path: fixed("/v1/tenants"),
    body: fc.record(
      { id: name, displayName: fc.string({ minLength: 1 }), program: fc.constantFrom(...PROGRAMS) },
      { requiredKeys: ["id", "displayName"] },
    ),
    as: "admin",
    audit: ["tenant.create"],
  },
  {
    method: "POST",
    route: "/v1/tokens",
    path: fixed("/v1/tokens"),
    body: fc.oneof(
      fc.record({
        name,
        role: fc.constantFrom("admin", "program-admin"),
        tenant: fc.constant(null),
      }),
      fc.record({
        name,
        role: fc.constantFrom("tenant-admin", "member", "viewer"),
        tenant: fc.constantFrom(...TENANTS),
      }),
    ),
    as: "admin",
    audit: ["token.create"],
  },
  {
    method: "DELETE",
    route: "/v1/tokens/:id",
    path: withId(
      (s) => s.tokenIds,
      (id) => `/v1/tokens/${id}`,
    ),
    as: "admin",
    audit: ["token.revoke"],
  },
  ...["cordon", "drain", "uncordon"].map(
    (action): FuzzRoute => ({
      method: "POST",
      route: `/v1/fleet/nodes/:id/${action}`,
      path: withId(
        (s) => s.nodeIds,
        (id) => `/v1/fleet/nodes/${id}/${action}`,
      ),
      body: fc.record({ reason: fc.string({ minLength: 1, maxLength: 60 }) }, { requiredKeys: [] }),
      as: "admin",
      audit: [`node.${action}`],
    }),
  ),
  {
    method: "POST",
    route: "/v1/programs",
    path: fixed("/v1/programs"),
    body: fc.record({
      id: name,
      name: fc.string({ minLength: 1, maxLength: 40 }),
      enforcement: fc.constantFrom("preemptible", "refuse"),
    }),
    as: "admin",
    audit: ["program.create"],
  },
  {
    method: "POST",
    route: "/v1/allocations",
    path: fixed("/v1/allocations"),
    body: fc.record(
      {
        queue: fc.constantFrom("snu/gsai", "snu/robotics", "startups/alpha", "kisti/climate"),
        deviceType: fc.constantFrom(...DEVICE_TYPES),
        guaranteed: fc.integer({ min: 1, max: 16 }),
        budgetHours: fc.integer({ min: 1, max: 10_000 }),
        startsAt: iso(1, 30),
        endsAt: iso(31, 400),
        justification: fc.string({ minLength: 1, maxLength: 80 }),
      },
      {
        requiredKeys: ["queue", "deviceType", "guaranteed", "startsAt", "endsAt", "justification"],
      },
    ),
    as: "admin",
    audit: ["allocation.request"],
  },
  {
    method: "POST",
    route: "/v1/allocations/:id/approve",
    path: withId(
      (s) => s.allocationIds,
      (id) => `/v1/allocations/${id}/approve`,
    ),
    body: fc.record(
      {
        guaranteed: fc.integer({ min: 0, max: 16 }),
        budgetHours: fc.option(fc.integer({ min: 1, max: 10_000 })),
        startsAt: iso(1, 30),
        endsAt: iso(31, 400),
        note: fc.string({ minLength: 1, maxLength: 80 }),
      },
      { requiredKeys: [] },
    ),
    as: "programAdmin",
    audit: ["allocation.approve", "allocation.change"],
  },
  {
    method: "POST",
    route: "/v1/allocations/:id/reject",
    path: withId(
      (s) => s.allocationIds,
      (id) => `/v1/allocations/${id}/reject`,
    ),
    body: fc.record({ note: fc.string({ minLength: 1, maxLength: 80 }) }),
    as: "programAdmin",
    audit: ["allocation.reject"],
  },
  {
    method: "PUT",
    route: "/v1/queues/:path",
    path: withId(
      (s) => [...s.queuePaths, ...TENANTS.map((t) => `${t}/fz-${s.queuePaths.length % 7}`)],
      (p) => `/v1/queues/${p}`,
    ),
    body: fc.record({
      weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
      quota: fc.dictionary(
        fc.constantFrom(...DEVICE_TYPES),
        fc.record(
          {
            guaranteed: fc.integer({ min: 0, max: 16 }),
            borrowLimit: fc.integer({ min: 0, max: 32 }),
            lendLimit: fc.integer({ min: 0, max: 16 }),
          },
          { requiredKeys: ["guaranteed"] },
        ),
        { maxKeys: 2 },
      ),
    }),
    as: "admin",
    audit: ["queue.create", "queue.update"],
  },
  {
    method: "DELETE",
    route: "/v1/queues/:path",
    path: withId(
      (s) => s.queuePaths,
      (p) => `/v1/queues/${p}`,
    ),
    as: "admin",
    audit: ["queue.delete"],
  },
  // Usage reconciliation needs the Slurm executor; the fuzzed service runs sim, so every
  // request that gets past the schema is refused (409) and nothing is ever written.
  {
    method: "POST",
    route: "/v1/usage/reconcile",
    path: fixed("/v1/usage/reconcile"),
    body: fc.record(
      {
        since: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        apply: fc.boolean(),
        toleranceSeconds: fc.integer({ min: 0, max: 86_400 }),
      },
      { requiredKeys: [] },
    ),
    as: "admin",
    audit: ["usage.reconcile"],
    accepted: () => false,
  },
  // The node agent protocol. The fuzzed service runs the sim executor, so its hub serves
  // no node: registrations are refused (coded 4xx) and heartbeats have no session.
  {
    method: "POST",
    route: "/v1/agents/register",
    path: fixed("/v1/agents/register"),
    body: fc.record({
      node: fc.oneof(fc.constantFrom("h100-01", "h100-02", "gpu-a"), name),
      devices: fc.array(agentDevice, { maxLength: 8 }),
      runs: fc.array(agentRun, { maxLength: 4 }),
    }),
    as: "admin",
    audit: ["agent.register"],
  },
  {
    method: "POST",
    route: "/v1/agents/heartbeat",
    path: fixed("/v1/agents/heartbeat"),
    body: fc.record({
      node: fc.constantFrom("h100-01", "gpu-a"),
      session: fc.uuid(),
      seq: fc.integer({ min: 1, max: 1000 }),
      ack: fc.integer({ min: 0, max: 1000 }),
      waitMs: fc.constant(0),
      gpus: fc.constant([]),
      runs: fc.array(agentRun, { maxLength: 4 }),
    }),
    as: "admin",
    // In-memory only: nothing is stored, and no such record is ever written.
    audit: ["agent.heartbeat"],
    accepted: () => false,
  },
];
