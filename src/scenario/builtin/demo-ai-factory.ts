/**
 * The demo scenario: six tenants share the demo AI factory (src/fleet/builtin/
 * demo-ai-factory.ts) for two weeks while hardware is still arriving.
 *
 *   tenant      leaves                          vr-nvl144  h100  atom  rngd  (guaranteed)
 *   hyundai     robotics/sim, llm                   80      32    32    16
 *   samsung     foundation, serving                 80      24    16    24
 *   lg          exaone                              40      16    32     8
 *   snu         gsai, robotics (consortium)         24      24     8     0
 *   startups    alpha, beta (access program)        16       8    24    16
 *   kisti       climate (public lab)                32      16     0     0
 *   sum                                            272     120   112    64
 *   fleet                                          288     128   128    64
 *
 * Deliveries: half of the second NVL144 rack (72 devices) on day 3, half of the H100
 * nodes (64) on day 7, all RNGD servers (64) on day 10; until then those guarantees
 * cannot all be met, which is what makes the first week contended. One H100 pod is
 * drained for firmware on day 9, nodes fail every ~30 days each (4 h repairs), and
 * kisti holds a whole NVL144 domain on day 5 for a 12-hour climate run.
 */
import type { Fleet } from "../../core/model/fleet.ts";
import type { Rng } from "../../core/rng.ts";
import type { QueueSpec, TenancySpec } from "../../core/tenancy/spec.ts";
import { loadFleet } from "../../fleet/index.ts";
import type { ClassBindings } from "../class-bindings.ts";
import { drawScenario, type ScenarioSpec } from "../spec.ts";
import type { MaintenanceWindow, ReservationSpec, Scenario, Tranche } from "../types.ts";
import type { TenantMix } from "../workload-mix.ts";

const H = 3600;
const D = 86400;

const VR = "nvidia-vr-nvl144";
const H100 = "nvidia-h100-80g";
const ATOM = "rebellions-atom";
const RNGD = "furiosa-rngd";

/** guaranteed, borrowLimit, lendLimit (undefined: unlimited) per type. */
type Q = Readonly<Record<string, readonly [number, number?, number?]>>;

function queue(path: string, weight: number, quota: Q): QueueSpec {
  return {
    path,
    weight,
    quota: Object.fromEntries(
      Object.entries(quota).map(([type, [guaranteed, borrowLimit, lendLimit]]) => [
        type,
        {
          guaranteed,
          ...(borrowLimit !== undefined && { borrowLimit }),
          ...(lendLimit !== undefined && { lendLimit }),
        },
      ]),
    ),
  };
}

/** The demo's queues, priority classes and QoS. */
export const DEMO_TENANCY: TenancySpec = {
  reclaimGrace: 300,
  halfLife: 7 * D,
  priorityClasses: [
    { name: "critical", value: 100, preemptible: false },
    { name: "serving", value: 80, preemptible: true },
    { name: "standard", value: 40, preemptible: true },
    { name: "opportunistic", value: 10, preemptible: true },
  ],
  qos: [
    { name: "interactive", priority: 50, maxRuntime: 4 * H },
    { name: "standard", priority: 0, maxRuntime: 3 * D },
    { name: "scavenger", priority: -5 },
  ],
  queues: [
    // Large companies lend at most half of an idle guarantee; the others lend it all.
    queue("hyundai", 3, {
      [VR]: [80, 80, 40],
      [H100]: [32, 32, 16],
      [ATOM]: [32, 32, 16],
      [RNGD]: [16, 16, 8],
    }),
    queue("hyundai/robotics/sim", 2, { [VR]: [16, 32], [H100]: [24, 24] }),
    queue("hyundai/llm", 1, {
      [VR]: [64, 64],
      [H100]: [8, 16],
      [ATOM]: [32, 32],
      [RNGD]: [16, 16],
    }),
    queue("samsung", 3, {
      [VR]: [80, 80, 40],
      [H100]: [24, 24, 12],
      [ATOM]: [16, 16, 8],
      [RNGD]: [24, 16, 12],
    }),
    queue("samsung/foundation", 2, { [VR]: [72, 80], [H100]: [16, 24] }),
    queue("samsung/serving", 1, {
      [VR]: [8, 8],
      [H100]: [8, 8],
      [ATOM]: [16, 16],
      [RNGD]: [24, 16],
    }),
    queue("lg", 2, {
      [VR]: [40, 40, 20],
      [H100]: [16, 16, 8],
      [ATOM]: [32, 16, 16],
      [RNGD]: [8, 8, 4],
    }),
    queue("lg/exaone", 1, { [VR]: [40], [H100]: [16], [ATOM]: [32], [RNGD]: [8] }),
    queue("snu", 2, { [VR]: [24, 48], [H100]: [24, 24], [ATOM]: [8, 8] }),
    queue("snu/gsai", 1, { [VR]: [16], [H100]: [12], [ATOM]: [8] }),
    queue("snu/robotics", 1, { [VR]: [8], [H100]: [12] }),
    queue("startups", 1, { [VR]: [16, 32], [H100]: [8, 16], [ATOM]: [24, 24], [RNGD]: [16, 16] }),
    queue("startups/alpha", 1, { [VR]: [8], [H100]: [4], [ATOM]: [16], [RNGD]: [8] }),
    queue("startups/beta", 1, { [VR]: [8], [H100]: [4], [ATOM]: [8], [RNGD]: [8] }),
    queue("kisti", 2, { [VR]: [32, 32], [H100]: [16, 16] }),
    queue("kisti/climate", 1, { [VR]: [32], [H100]: [16] }),
  ],
};

/** Which priority class and QoS each workload class runs under. */
export const DEMO_BINDINGS: ClassBindings = {
  interactive: { priorityClass: "critical", qos: "interactive" },
  inference: { priorityClass: "serving" },
  batch: { priorityClass: "standard", qos: "standard" },
  simulation: { priorityClass: "opportunistic", qos: "scavenger" },
};

/** Who submits what: count shares and class weights per leaf queue. */
export const DEMO_TENANTS: readonly TenantMix[] = [
  { queue: "hyundai/robotics/sim", share: 3, mix: { simulation: 70, batch: 20, interactive: 10 } },
  { queue: "hyundai/llm", share: 2.5, mix: { batch: 85, interactive: 13, inference: 2 } },
  { queue: "samsung/foundation", share: 2.5, mix: { batch: 85, interactive: 15 } },
  { queue: "samsung/serving", share: 0.3, mix: { batch: 85, inference: 15 } },
  { queue: "lg/exaone", share: 2, mix: { batch: 80, interactive: 18, inference: 2 } },
  { queue: "snu/gsai", share: 1.5, mix: { batch: 60, interactive: 25, simulation: 15 } },
  {
    queue: "snu/robotics",
    share: 1.5,
    mix: { simulation: 50, batch: 35, interactive: 15 },
    residency: "kr-gyeonggi",
    residencyShare: 0.5,
  },
  // The startup access program pairs each startup with a domestic NPU vendor.
  {
    queue: "startups/alpha",
    share: 0.6,
    mix: { batch: 70, interactive: 25, inference: 5 },
    deviceTypes: { inference: [ATOM] },
  },
  {
    queue: "startups/beta",
    share: 0.6,
    mix: { batch: 70, interactive: 26, inference: 4 },
    deviceTypes: { inference: [RNGD] },
  },
  {
    queue: "kisti/climate",
    share: 1.5,
    mix: { batch: 70, simulation: 25, interactive: 5 },
    residency: "kr-gwangju",
    residencyShare: 0.4,
  },
];

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(2, "0")}`);

export const DEMO_TRANCHES: readonly Tranche[] = [
  { id: "vr2-second-half", time: 3 * D, nodes: range("vr2", 9, 17) },
  { id: "h100-pods-2-3", time: 7 * D, nodes: range("h100", 8, 15) },
  { id: "rngd-servers", time: 10 * D, nodes: range("rngd", 0, 7) },
];

export const DEMO_MAINTENANCE: readonly MaintenanceWindow[] = [
  // Firmware on the first H100 pod: drained from 18:00, down 00:00–08:00 on day 9.
  {
    id: "h100-pod0-firmware",
    nodes: range("h100", 0, 3),
    drainStart: 8 * D + 18 * H,
    start: 9 * D,
    end: 9 * D + 8 * H,
  },
];

export const DEMO_RESERVATIONS: readonly ReservationSpec[] = [
  {
    id: "kisti-climate-run",
    queue: "kisti",
    domain: "pangyo/vr-01/nvl144",
    start: 5 * D,
    end: 5 * D + 12 * H,
  },
  {
    id: "samsung-npu-eval",
    queue: "samsung/serving",
    deviceType: ATOM,
    devices: 32,
    start: 11 * D,
    end: 12 * D,
  },
];

/**
 * Offered load at scale 1, of the whole fleet with every tranche delivered. Below 1.0,
 * yet queues form: hardware arrives late, many jobs accept one device type only, and
 * arrivals peak in the afternoon (FIFO waits run to days; see docs/scenario-format.md).
 */
export const DEMO_LOAD = 0.8;

export interface DemoOptions {
  readonly rng: Rng;
  readonly days?: number;
  readonly scale?: number;
}

/**
 * The demo scenario, deterministic in the rng's seed. `days` sets the horizon
 * (default 14; tranches, maintenance and reservations keep their days), `scale`
 * multiplies arrival rates (default 1).
 */
export function demoAiFactoryScenario(options: DemoOptions): Scenario {
  return drawScenario(demoAiFactorySpec(options), options.rng);
}

/**
 * The demo scenario before its workloads are drawn (see demoAiFactoryScenario for
 * `days` and `scale`); capacity planning patches it.
 */
export function demoAiFactorySpec(options: { days?: number; scale?: number } = {}): ScenarioSpec {
  const fleet: Fleet = loadFleet("demo-ai-factory");
  const horizon = (options.days ?? 14) * D;
  return {
    name: "demo-ai-factory",
    description: demoDescription(horizon / D),
    fleet,
    tenancy: DEMO_TENANCY,
    tranches: DEMO_TRANCHES,
    maintenance: DEMO_MAINTENANCE,
    failures: { mtbf: 30 * D, repair: 4 * H },
    reservations: DEMO_RESERVATIONS,
    horizon,
    mix: { tenants: DEMO_TENANTS, load: DEMO_LOAD, scale: options.scale ?? 1 },
    bindings: DEMO_BINDINGS,
  };
}

/** One line saying what the scenario holds, for `days` simulated days. */
export function demoDescription(days: number): string {
  return `6 tenants (10 queues) on the demo AI factory for ${days} days: 3 deliveries, maintenance, failures, 2 reservations`;
}
