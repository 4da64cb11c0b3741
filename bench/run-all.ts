/** `npm run bench`: runs every benchmark in turn and prints their JSON, one per line. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const scripts = ["fgd-experiment.ts", "synthetic-300k.ts"];
for (const script of scripts) {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, script)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(`${JSON.stringify(JSON.parse(out))}\n`);
}
