import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AllocationView,
  allocationLine,
  allocationsTable,
  programsTable,
} from "./allocation.ts";

const a: AllocationView = {
  id: 7,
  tenant: "startups",
  queue: "startups/alpha",
  program: "startup",
  deviceType: "nvidia-h100-80g",
  guaranteed: 8,
  budgetHours: 1000,
  startsAt: "2026-12-01T00:00:00.000Z",
  endsAt: "2027-03-01T00:00:00.000Z",
  justification: "pretraining",
  state: "requested",
  requestedBy: "ceo",
  decidedBy: null,
  decisionNote: null,
};

test("allocationLine and allocationsTable", () => {
  assert.equal(
    allocationLine(a),
    "startups/alpha +8 h100, 1,000 h h100 budget, 2026-12-01 .. 2027-03-01 (startup)",
  );
  assert.equal(
    allocationsTable([{ ...a, guaranteed: 0, state: "approved", decidedBy: "kim" }]),
    [
      "ID  STATE     QUEUE           PROGRAM  GRANT                PERIOD                    REQUESTED BY  DECIDED BY",
      " 7  approved  startups/alpha  startup  1,000 h h100 budget  2026-12-01 .. 2027-03-01  ceo           kim",
      "",
    ].join("\n"),
  );
});

test("programsTable", () => {
  assert.equal(
    programsTable([
      { id: "startup", name: "Startups", enforcement: "refuse", createdAt: "2026-11-01T00:00:00Z" },
    ]),
    "ID       NAME      OVER BUDGET  CREATED\nstartup  Startups  refuse       2026-11-01 00:00:00Z\n",
  );
});
