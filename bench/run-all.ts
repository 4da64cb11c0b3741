/** `npm run bench`: runs every benchmark in turn and prints their JSON, one object per line. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const scripts = [
  "fgd-experiment.ts",
  "synthetic-300k.ts",
  "schedule-300k.ts",
  "live-cycle.ts",
  "api-load.ts",
];
for (const script of scripts) {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, script)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  // A script prints one JSON document, or one object per line (schedule-300k: per policy).
  let docs: unknown[];
  try {
    docs = [JSON.parse(out)];
  } catch {
    docs = out
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line));
  }
  for (const doc of docs) process.stdout.write(`${JSON.stringify(doc)}\n`);
}
