import assert from "node:assert/strict";
import { test } from "node:test";
import { job } from "./fixtures.ts";
import {
  type FleetView,
  jobText,
  overviewText,
  placementText,
  type QueueView,
  quotaCell,
  ranges,
} from "./status.ts";

const NOW = Date.parse("2026-11-23T10:00:00Z");

test("ranges and placementText", () => {
  assert.equal(ranges([3, 0, 1, 2, 5, 7, 6]), "0-3,5-7");
  assert.equal(ranges([4]), "4");
  assert.equal(placementText([]), "-");
  assert.equal(
    placementText([
      { node: "h100-00", devices: [0, 1, 2, 3, 4, 5, 6, 7], deviceMilli: 1000, deviceType: null },
      { node: "h100-01", devices: [2], deviceMilli: 250, deviceType: null },
    ]),
    "h100-00 [0-7], h100-01 [2] ×0.25",
  );
});

const fleet: FleetView = {
  name: "demo",
  nodes: { total: 10, up: 9, cordoned: 0, draining: 1, down: 0 },
  deviceTypes: [
    { id: "nvidia-h100-80g", total: 64, allocated: 16, free: 48, unschedulable: 8 },
    { id: "furiosa-rngd", total: 16, allocated: 0.25, free: 15.75, unschedulable: 0 },
  ],
};

const queue = (o: Partial<QueueView>): QueueView => ({
  path: "hyundai/llm",
  leaf: true,
  pending: 0,
  running: 0,
  oldestWaitSeconds: null,
  types: {},
  ...o,
});

test("overviewText: device types, then queues", () => {
  const out = overviewText(fleet, [
    queue({
      pending: 2,
      running: 1,
      oldestWaitSeconds: 125,
      types: {
        "nvidia-h100-80g": { guaranteed: 16, used: 16 },
        "furiosa-rngd": { guaranteed: 0, used: 0 },
      },
    }),
    queue({ path: "snu" }),
  ]);
  assert.equal(
    out,
    [
      "fleet demo: 10 nodes (9 up, 1 draining)",
      "",
      "DEVICE TYPE      TOTAL  ALLOCATED   FREE  UNSCHEDULABLE  USE",
      "nvidia-h100-80g     64         16     48              8  25%", // 16 / 64
      "furiosa-rngd        16       0.25  15.75              0   2%", // 0.25 / 16 = 1.6 %
      "",
      "QUEUE        PENDING  RUNNING  OLDEST WAIT  USED/GUARANTEED",
      "hyundai/llm        2        1        2m05s  h100 16/16",
      "snu                0        0            -  -",
      "",
    ].join("\n"),
  );
  assert.match(overviewText(fleet, undefined), /\(this server has no GET \/v1\/queues\)\n$/);
});

test("quotaCell shows types with a guarantee or use", () => {
  assert.equal(
    quotaCell(
      queue({
        types: {
          "nvidia-vr-nvl144": { guaranteed: 40, used: 8 },
          "nvidia-h100-80g": { guaranteed: null, used: 4 },
          "furiosa-rngd": { guaranteed: 0, used: 0 },
        },
      }),
    ),
    "vr-nvl144 8/40  h100 4/-",
  );
});

test("jobText: fields, then the events", () => {
  const out = jobText(
    job({
      state: "running",
      attempt: 2,
      startedAt: "2026-11-23T09:30:00Z",
      deviceType: "nvidia-h100-80g",
    }),
    [{ at: "2026-11-23T09:00:00Z", kind: "submitted", detail: { user: "alice" } }],
    NOW,
  );
  assert.equal(
    out,
    [
      "job 1 llm-7b",
      "  state:      running (attempt 2)",
      "  queue:      hyundai/llm  (user alice)",
      "  devices:    2×8 h100",
      "  submitted:  2026-11-23 09:00:00Z  (waited 30m00s)",
      "  started:    2026-11-23 09:30:00Z  (running 30m00s)",
      "  ended:      -",
      "  placement:  -",
      "  reason:     -",
      "  exit code:  -",
      "",
      "TIME                  EVENT      DETAIL",
      "2026-11-23 09:00:00Z  submitted  user=alice",
      "",
    ].join("\n"),
  );
  assert.match(jobText(job(), [], NOW), /submitted: +2026-11-23 09:00:00Z {2}\(waiting 1h00m\)\n/);
});
