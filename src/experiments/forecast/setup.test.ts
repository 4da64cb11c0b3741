import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openbSlice } from "./setup.ts";

const DAY = 86_400;

/** An openb pod list with one pod submitted at each of these days (each runs an hour). */
function podList(days: readonly number[]): string {
  const dir = mkdtempSync(join(tmpdir(), "gongjang-backtest-"));
  const rows = days.map((d, i) => {
    const t = d * DAY;
    return `openb-pod-${i},4000,8192,1,1000,,LS,Succeeded,${t},${t + 3600},${t}`;
  });
  writeFileSync(
    join(dir, "openb_pod_list_default.csv"),
    `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n${rows.join("\n")}\n`,
  );
  return dir;
}

test("an openb slice replays its tail's submissions but forecasts only inside the slice", () => {
  const dir = podList([9.5, 10.5, 12.5, 13.5, 15.5]);
  const base = { dir, fromDay: 10, days: 3, nodeEvery: 600, moments: 4, seed: 1 };
  const plain = openbSlice(base);
  assert.deepEqual(
    plain.workloads.map((w) => w.submitTime / DAY),
    [0.5, 2.5],
    "days [10, 13), from the slice start",
  );
  const tailed = openbSlice({ ...base, tailDays: 2 });
  assert.deepEqual(
    tailed.workloads.map((w) => w.submitTime / DAY),
    [0.5, 2.5, 3.5],
    "and the pod of day 13.5, in the 2-day tail",
  );
  assert.deepEqual(tailed.moments, plain.moments, "the same moments");
  assert.ok(tailed.moments.every((t) => t >= DAY && t < 3 * DAY));
  assert.match(tailed.name, /\+2 d replayed\)/);
  const cut = openbSlice({ ...base, tailDays: 7 });
  assert.match(cut.name, /\+7 d replayed, but the trace ends 2\.5 d after the slice/);
});
