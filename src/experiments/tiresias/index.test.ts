import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { tiresiasClusterFleet } from "../../trace/tiresias/cluster.ts";
import { readTiresiasJobs } from "../../trace/tiresias/jobs.ts";
import { runTiresias, smallClusters, tiresiasTable } from "./index.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "trace", "tiresias", "fixtures");
const { jobs } = readTiresiasJobs(join(FIXTURES, "60_job.csv"));

describe("Tiresias 60-job sample", () => {
  const clusters = [
    { name: "cluster_spec", fleet: tiresiasClusterFleet(join(FIXTURES, "cluster_spec.csv")) },
    ...smallClusters(),
  ];
  const rows = runTiresias(jobs, clusters);
  const row = (cluster: string, policy: string) =>
    rows.find((r) => r.cluster === cluster && r.policy === policy)!;

  test("every policy completes all 60 jobs on every cluster", () => {
    for (const r of rows) assert.equal(r.completed, 60, `${r.cluster}/${r.policy}`);
  });

  test("64 GPUs: nothing queues, so every policy gives the trace's own mean duration", () => {
    // Σ duration / 60 = 10,705 / 60 = 178.4 s: every job starts at submit.
    for (const p of ["fifo", "sjf", "las", "backfill"]) {
      assert.equal(row("cluster_spec", p).meanWait, 0);
      assert.equal(row("cluster_spec", p).meanJct.toFixed(1), "178.4");
    }
  });

  test("small clusters reproduce Tiresias's finding: 2D-LAS beats FIFO on mean JCT", () => {
    for (const c of ["n4g4", "n2g4"]) {
      assert.ok(
        row(c, "fifo").meanWait > 0,
        `${c}: jobs must queue for the check to mean anything`,
      );
      assert.ok(row(c, "las").meanJct < row(c, "fifo").meanJct, `${c}: LAS < FIFO`);
    }
  });

  test("EASY backfill beats strict FIFO where the head blocks (8 GPUs)", () => {
    assert.ok(row("n2g4", "backfill").meanJct < row("n2g4", "fifo").meanJct);
  });

  test("the table has a header and one line per run", () => {
    const lines = tiresiasTable(rows).split("\n");
    assert.equal(lines.length, 2 + rows.length);
    assert.match(lines[0], /mean JCT/);
  });
});
