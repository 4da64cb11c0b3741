import assert from "node:assert/strict";
import { test } from "node:test";
import { job } from "../../test/support/builders.ts";
import { feasibleNodesToFind } from "./cycle.ts";
import { buildClusterState } from "./model/cluster.ts";
import type { Domain, Fleet, FleetNode, Rack } from "./model/fleet.ts";
import { createIdleIndex, nextWithFree, nextWithIdle, updateFree } from "./model/idle-index.ts";
import { allocate } from "./model/ledger.ts";
import { compileRequest, type Request } from "./model/request.ts";
import * as fit from "./plugins/fit/index.ts";
import type { CycleContext, Policy } from "./plugins/types.ts";
import { createPolicy } from "./registry.ts";
import { createRng } from "./rng.ts";
import { findFeasible } from "./scan.ts";

/**
 * 2 sites × 40 racks × 3 domains × 10 nodes = 2,400 nodes (> 2,000, so "adaptive"
 * scans part of the fleet). Each domain has one type, cycling a, b, c; site 1 has
 * residency "north", site 2 "south".
 */
function mixedFleet(): Fleet {
  let n = 0;
  const sites = ["north", "south"].map((label, s) => {
    const racks: Rack[] = [];
    for (let r = 0; r < 40; r++) {
      const domains: Domain[] = [];
      for (let d = 0; d < 3; d++) {
        const type = ["a", "b", "c"][(r + d) % 3];
        const nodes: FleetNode[] = [];
        for (let k = 0; k < 10; k++)
          nodes.push({
            id: `n${n++}`,
            deviceType: type,
            devices: 8,
            cpuMilli: 96_000,
            memoryMiB: 1 << 20,
          });
        domains.push({ id: `d${r}-${d}`, nodes });
      }
      racks.push({ id: `r${r}`, domains });
    }
    return { id: `s${s}`, residency: [label], racks };
  });
  return {
    name: "mixed",
    deviceTypes: ["a", "b", "c"].map((id) => ({ id, vendor: "t", memoryGiB: 80, speed: 1 })),
    sites,
  };
}

test("nextWithFree finds nodes with any free share, across word boundaries", () => {
  const index = createIdleIndex(new Int32Array(70), 8);
  for (const n of [3, 31, 32, 69]) updateFree(index, n, true);
  const all: number[] = [];
  for (let n = nextWithFree(index, 0, 70); n >= 0; n = nextWithFree(index, n + 1, 70)) all.push(n);
  assert.deepEqual(all, [3, 31, 32, 69]);
  updateFree(index, 31, false);
  assert.equal(nextWithFree(index, 4, 70), 32, "31 is full again");
  assert.equal(nextWithFree(index, 33, 69), -1, "69 is past the end");
});

/**
 * The scan as it was before runs and the free-share index: the reference that
 * findFeasible must match exactly (nodes, their order and every rejection count).
 */
function referenceScan(
  ctx: CycleContext,
  req: Request,
  policy: Policy,
  lo: number,
  hi: number,
  start: number,
  want: number,
): { nodes: number[]; rejections: number[][] } {
  const { state } = ctx;
  const filters = policy.filters;
  const rejections = filters.map((f) => new Array<number>(f.reasons.length).fill(0));
  const nodes: number[] = [];
  const count = hi - lo;
  const admit = (n: number): void => {
    for (let f = 0; f < filters.length; f++) {
      const code = filters[f].filter(ctx, req, n);
      if (code !== 0) {
        rejections[f][code]++;
        return;
      }
    }
    nodes.push(n);
  };
  const fitIndex = filters.findIndex((f) => f.name === fit.name);
  const g = req.job.devices;
  if (
    want < count &&
    fitIndex >= 0 &&
    req.job.deviceMilli === 1000 &&
    g <= state.idleIndex.levels
  ) {
    let visited = 0;
    for (let n = nextWithIdle(state.idleIndex, g, start, hi); n >= 0 && nodes.length < want; ) {
      visited++;
      admit(n);
      n = nextWithIdle(state.idleIndex, g, n + 1, hi);
    }
    for (let n = nextWithIdle(state.idleIndex, g, lo, start); n >= 0 && nodes.length < want; ) {
      visited++;
      admit(n);
      n = nextWithIdle(state.idleIndex, g, n + 1, start);
    }
    if (nodes.length === 0) rejections[fitIndex][fit.Reason.DeviceShare] += count - visited;
  } else {
    for (let i = 0; i < count && nodes.length < want; i++)
      admit(start + i < hi ? start + i : start + i - count);
  }
  return { nodes, rejections };
}

test("skipping other types, sites and full nodes finds exactly what the old scan found", () => {
  // Whole and fractional jobs, one or two accepted types (or an unknown one), some
  // with a residency (or an unknown one); the fleet fills up, so later scans fail.
  const rng = createRng(5);
  const state = buildClusterState(mixedFleet());
  const policy = createPolicy("bestfit", { deviceTypes: state.deviceTypes });
  const ctx: CycleContext = { state, now: 0, rng: createRng(9) };
  const out = new Int32Array(state.nodeCount);
  let failures = 0;
  for (let i = 0; i < 6000; i++) {
    const b = job(`j${i}`).cpu(1 + rng.int(8));
    if (rng.next() < 0.3) b.share(125 * (1 + rng.int(4)));
    else b.gpus([1, 2, 4, 8][rng.int(4)]);
    const v = rng.next();
    if (v < 0.4) b.types("a");
    else if (v < 0.7) b.types("b", "c");
    else if (v < 0.75) b.types("zzz");
    const r = rng.next();
    const built = b.build();
    const req = compileRequest(
      state,
      r < 0.2 ? { ...built, residency: r < 0.15 ? "north" : "nowhere" } : built,
    );
    // The whole fleet, or a rack or domain-sized range; a partial or a full scan.
    const span = [state.nodeCount, 30, 10][rng.int(3)];
    const lo = span === state.nodeCount ? 0 : rng.int(state.nodeCount - span);
    const hi = lo + span;
    const want = rng.next() < 0.7 ? feasibleNodesToFind(span, "adaptive") : 1 + rng.int(span);
    const start = lo + rng.int(span);
    const got = findFeasible(ctx, req, policy, lo, hi, start, want, out);
    const ref = referenceScan(ctx, req, policy, lo, hi, start, want);
    assert.deepEqual(Array.from(out.subarray(0, got.count)), ref.nodes, `job ${i}: nodes`);
    if (got.count === 0) {
      failures++;
      assert.deepEqual(
        got.rejections.map((x) => Array.from(x)),
        ref.rejections,
        `job ${i}: reasons`,
      );
      continue;
    }
    // Take the first feasible node, so the fleet fills.
    const devices = policy.reserve.selectDevices(ctx, req, ref.nodes[0]);
    if (devices) allocate(state, req, { node: ref.nodes[0], devices });
  }
  assert.ok(failures > 500, `scans that find nothing are tested too (${failures})`);
});
