import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fleet } from "../../test/support/builders.ts";
import { GongjangError } from "../core/errors.ts";
import { fleetNodes } from "../core/model/fleet.ts";
import { createRng } from "../core/rng.ts";
import type { Workload, WorkloadClass } from "../core/workload/index.ts";
import { loadFleet } from "../fleet/index.ts";
import { typesAtResidency } from "./fleet-facts.ts";
import { openbSingleGpuShapes } from "./trace-fits.ts";
import {
  arrivalRate,
  generateWorkloads,
  mixIssues,
  type TenantMix,
  type WorkloadMixOptions,
} from "./workload-mix.ts";
import { countByClass, offeredLoad } from "./workload-stats.ts";

const D = 86400;
const demo = loadFleet("demo-ai-factory");

/** Options on the demo fleet: `tenants` at `rate` per day over `days`. */
const mix = (tenants: TenantMix[], rate = 1000, days = 2): WorkloadMixOptions => ({
  fleet: demo,
  tenants,
  horizon: days * D,
  rate,
});

const EVERY_CLASS: TenantMix = {
  queue: "lab/a",
  share: 1,
  mix: { batch: 4, inference: 1, simulation: 3, interactive: 2 },
};

const run = (o: WorkloadMixOptions, seed = 1): Workload[] => generateWorkloads(o, createRng(seed));

test("same options and seed → byte-identical JSON; another seed → different", () => {
  const o = mix([EVERY_CLASS, { ...EVERY_CLASS, queue: "lab/b", share: 2 }]);
  const a = JSON.stringify(run(o, 42));
  assert.equal(JSON.stringify(run(o, 42)), a);
  assert.notEqual(JSON.stringify(run(o, 43)), a);
});

test("sorted by submit time then id; ids unique and shaped queue-letter-number", () => {
  const ws = run(mix([EVERY_CLASS, { ...EVERY_CLASS, queue: "lab/b" }]));
  for (let i = 1; i < ws.length; i++) {
    const [p, w] = [ws[i - 1], ws[i]];
    assert.ok(p.submitTime < w.submitTime || (p.submitTime === w.submitTime && p.id < w.id));
  }
  assert.equal(new Set(ws.map((w) => w.id)).size, ws.length);
  for (const w of ws) assert.match(w.id, /^lab-[ab]-[bisn]-\d{6}$/);
  assert.ok(ws.every((w) => w.submitTime >= 0 && w.submitTime < 2 * D));
});

test("class proportions and tenant shares come out as configured", () => {
  // 1,500/day × 4 days ≈ 6,000 submissions: a share p is within ±0.025 (> 3 sigma)
  const tenants: TenantMix[] = [
    { queue: "a", share: 3, mix: { batch: 1, simulation: 3 } },
    { queue: "b", share: 1, mix: { interactive: 1 } },
  ];
  const ws = run(mix(tenants, 1500, 4));
  assert.ok(Math.abs(ws.length - 6000) < 300, `${ws.length} submissions`);
  const a = ws.filter((w) => w.queue === "a");
  assert.ok(Math.abs(a.length / ws.length - 0.75) < 0.025); // share 3 of 4
  const counts = countByClass(a);
  assert.ok(Math.abs(counts.batch / a.length - 0.25) < 0.025); // weight 1 of 4
  assert.ok(Math.abs(counts.simulation / a.length - 0.75) < 0.025);
  assert.equal(counts.inference + counts.interactive, 0);
  assert.ok(ws.filter((w) => w.queue === "b").every((w) => w.class === "interactive"));
});

test("arrivals follow the day: more in the afternoon than at night", () => {
  const ws = run({ ...mix([EVERY_CLASS], 2000, 7), diurnal: 0.5 });
  const hour = (w: Workload) => Math.floor((w.submitTime % D) / 3600);
  const day = ws.filter((w) => hour(w) >= 12 && hour(w) < 16).length;
  const night = ws.filter((w) => hour(w) >= 0 && hour(w) < 4).length;
  // rate ∝ 1 + 0.5 sin(2π(t − 8h)/24h): ~1.45 around 14:00, ~0.55 around 02:00
  assert.ok(day > 2 * night, `${day} in 12–16h vs ${night} in 0–4h`);
});

const shapes = new Set(openbSingleGpuShapes().map((s) => s.deviceMilli));
const nodeSize = new Map<string, { cpu: number; mem: number; devices: number }>();
for (const { node } of fleetNodes(demo))
  if (node.deviceType !== null)
    nodeSize.set(node.deviceType, {
      cpu: node.cpuMilli,
      mem: node.memoryMiB,
      devices: node.devices,
    });

// Per class: what every workload of it must satisfy.
const CLASS_RULES: Record<WorkloadClass, (w: Workload) => void> = {
  batch: (w) => {
    assert.ok([1, 2, 4, 8, 16].includes(w.members));
    assert.equal(w.member.devices, 8);
    assert.equal(w.member.deviceMilli, 1000);
    assert.ok(w.minMembers === w.members || w.minMembers === w.members / 2); // rigid or elastic
    assert.ok(w.preemptible);
    assert.ok(w.duration >= 60 && w.duration <= 3 * D);
    if (w.topology !== undefined) assert.equal(w.topology.required, false);
  },
  inference: (w) => {
    assert.equal(w.duration, Number.POSITIVE_INFINITY);
    assert.ok(w.members >= 2 && w.members <= 8);
    assert.ok(w.minMembers >= 1 && w.minMembers <= Math.ceil(w.members / 2));
    assert.deepEqual([w.member.devices, w.member.deviceMilli], [1, 1000]);
    assert.equal(w.estimate, undefined);
  },
  simulation: (w) => {
    assert.deepEqual([w.members, w.minMembers, w.member.devices], [1, 1, 1]);
    assert.ok(shapes.has(w.member.deviceMilli)); // an openb pod's GPU share
    assert.ok(w.preemptible);
    assert.ok(w.duration >= 60 && w.duration <= 12 * 3600);
  },
  interactive: (w) => {
    assert.deepEqual([w.members, w.member.devices], [1, 1]);
    assert.ok([250, 500, 1000].includes(w.member.deviceMilli));
    assert.equal(w.preemptible, false);
    assert.equal(w.maxRuntime, 4 * 3600);
    assert.ok(w.duration <= 4 * 3600);
  },
};

test("every workload keeps its class's rules, fits its nodes, and estimates high", () => {
  const ws = run(mix([EVERY_CLASS], 3000, 1));
  for (const c of Object.keys(CLASS_RULES) as WorkloadClass[])
    assert.ok(
      ws.some((w) => w.class === c),
      `some ${c}`,
    );
  for (const w of ws) {
    CLASS_RULES[w.class](w);
    assert.ok(w.deviceTypes.length > 0);
    for (const t of w.deviceTypes) {
      const n = nodeSize.get(t)!;
      assert.ok(
        w.member.cpuMilli <= n.cpu && w.member.memoryMiB <= n.mem && w.member.devices <= n.devices,
      );
    }
    if (w.estimate !== undefined) assert.ok(w.estimate >= w.duration);
    if (w.speeds !== undefined) {
      assert.deepEqual(Object.keys(w.speeds), w.deviceTypes);
      if (w.speeds["nvidia-h100-80g"] !== undefined) assert.equal(w.speeds["nvidia-h100-80g"], 1);
    }
  }
  // defaults: training and notebooks on GPUs; services mostly on NPUs
  const gpu = (t: string) => t.startsWith("nvidia-");
  assert.ok(ws.filter((w) => w.class !== "inference").every((w) => w.deviceTypes.every(gpu)));
  const services = ws.filter((w) => w.class === "inference");
  const onNpu = services.filter((w) => !w.deviceTypes.some(gpu)).length;
  assert.ok(onNpu / services.length > 0.5, `${onNpu} of ${services.length} on NPUs`);
});

test("residency: the share asked for, and only device types the place has", () => {
  const t: TenantMix = { ...EVERY_CLASS, residency: "kr-gwangju", residencyShare: 0.5 };
  const ws = run(mix([t], 2000, 1));
  const bound = ws.filter((w) => w.residency === "kr-gwangju");
  assert.ok(Math.abs(bound.length / ws.length - 0.5) < 0.05);
  const there = typesAtResidency(demo, "kr-gwangju"); // H100, ATOM
  for (const w of bound)
    assert.ok(
      w.deviceTypes.every((d) => there.has(d)),
      w.id,
    );
});

test("smaller boxes: batch members take the node's 4 devices", () => {
  const small = fleet().node("n1", "gpu4", 4, 32, 256).node("n2", "gpu4", 4, 32, 256).build();
  const ws = generateWorkloads(
    {
      fleet: small,
      tenants: [{ queue: "a", share: 1, mix: { batch: 1 }, deviceTypes: { batch: ["gpu4"] } }],
      horizon: D,
      rate: 200,
    },
    createRng(3),
  );
  assert.ok(
    ws.length > 0 && ws.every((w) => w.member.devices === 4 && w.member.cpuMilli <= 32_000),
  );
});

test("load calibration: the offered load lands near the target, and scale multiplies the rate", () => {
  const o: WorkloadMixOptions = { fleet: demo, tenants: [EVERY_CLASS], horizon: 7 * D, load: 0.6 };
  const loads = [1, 2, 3].map((seed) => offeredLoad(run(o, seed), demo, o.horizon));
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
  assert.ok(Math.abs(mean - 0.6) < 0.15, `mean offered load ${mean} (${loads.join(", ")})`);
  const rate = arrivalRate(o);
  assert.ok(Math.abs(arrivalRate({ ...o, load: 1.2 }) / rate - 2) < 1e-9); // linear in load
  assert.ok(Math.abs(arrivalRate({ ...o, scale: 3 }) / rate - 3) < 1e-9);
  assert.equal(arrivalRate({ ...mix([EVERY_CLASS], 500), scale: 2 }), 1000);
});

// Bad options → the paths of the problems reported.
const ISSUE_CASES: { name: string; options: Partial<WorkloadMixOptions>; paths: string[] }[] = [
  { name: "rate and load together", options: { rate: 1, load: 1 }, paths: ["rate"] },
  { name: "neither rate nor load", options: { rate: undefined }, paths: ["rate"] },
  { name: "no tenants", options: { tenants: [] }, paths: ["tenants"] },
  { name: "diurnal above 1", options: { diurnal: 2 }, paths: ["diurnal"] },
  {
    name: "bad share, class and weights",
    options: { tenants: [{ queue: "a", share: 0, mix: { batch: -1, gaming: 1 } as never }] },
    paths: ["tenants[0].share", "tenants[0].mix.batch", "tenants[0].mix.gaming"],
  },
  {
    name: "unknown residency and device type",
    options: {
      tenants: [
        { queue: "a", share: 1, mix: { batch: 1 }, residency: "kr-busan" },
        { queue: "b", share: 1, mix: { batch: 1 }, deviceTypes: { batch: ["nvidia-h200"] } },
      ],
    },
    paths: ["tenants[0].residency", "tenants[1].deviceTypes.batch[0]"],
  },
  {
    name: "a residency that leaves a class nothing to run on",
    // Vera Rubin is only in pangyo
    options: {
      tenants: [
        {
          queue: "a",
          share: 1,
          mix: { batch: 1 },
          residency: "gwangju",
          deviceTypes: { batch: ["nvidia-vr-nvl144"] },
        },
      ],
    },
    paths: ["tenants[0].residency"],
  },
  {
    name: "two mixes for one queue",
    options: { tenants: [EVERY_CLASS, EVERY_CLASS] },
    paths: ["tenants[1].queue"],
  },
];

for (const c of ISSUE_CASES) {
  test(`mixIssues: ${c.name}`, () => {
    const o = { ...mix([EVERY_CLASS]), ...c.options };
    assert.deepEqual(
      mixIssues(o).map((i) => i.path),
      c.paths,
    );
    assert.throws(
      () => generateWorkloads(o, createRng(1)),
      (e: unknown) => e instanceof GongjangError && e.code === "GJ_ERR_WORKLOAD_INVALID",
    );
  });
}

test("src/scenario draws no ambient randomness", () => {
  const dir = import.meta.dirname;
  const sources = [...readdirSync(dir, { recursive: true })]
    .map(String)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  assert.ok(sources.length > 5);
  for (const f of sources)
    assert.doesNotMatch(readFileSync(join(dir, f), "utf8"), /Math\.random/, f);
});
