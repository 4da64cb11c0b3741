#!/usr/bin/env node
// Launcher for `npx gongjang`: npm may start it with an older system Node, so it
// re-runs the CLI under the Node 24 that the project installs (it runs .ts directly).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundled = join(root, "node_modules", ".bin", "node");
const node = existsSync(bundled) ? bundled : process.execPath;
const result = spawnSync(node, [join(root, "src", "cli", "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
