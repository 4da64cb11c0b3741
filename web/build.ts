/**
 * Builds the dashboard into web/dist when it is missing or older than its sources, so
 * that `npm install` (prepare) and `npm start` (prestart) serve a current build with no
 * extra step; an up-to-date build is left alone (a few stat calls).
 *
 *   node web/build.ts            build if stale
 *   node web/build.ts --force    always build
 *   node web/build.ts --size     also print the JS and CSS sizes, raw and gzipped, as JSON
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const WEB = fileURLToPath(new URL(".", import.meta.url));
const DIST = join(WEB, "dist");

/** Newest modification time (ms) under `path`, skipping test files. */
function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const e of readdirSync(path))
    if (!e.endsWith(".test.ts")) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** True when web/dist/index.html exists and is newer than every source of the build. */
export function isFresh(): boolean {
  const index = join(DIST, "index.html");
  if (!existsSync(index)) return false;
  const sources = ["index.html", "vite.config.ts", "src"].map((p) => newest(join(WEB, p)));
  return statSync(index).mtimeMs >= Math.max(...sources);
}

/** Builds the dashboard with Vite unless it is fresh (or `force`); returns whether it built. */
export async function buildWeb(force = false): Promise<boolean> {
  if (!force && isFresh()) return false;
  const { build } = await import("vite");
  await build({ configFile: join(WEB, "vite.config.ts"), logLevel: "warn" });
  return true;
}

/** Sizes of the built JS and CSS, raw and gzipped (level 9), in bytes. */
export function bundleSize(): {
  files: { name: string; raw: number; gzip: number }[];
  js: { raw: number; gzip: number };
} {
  const dir = join(DIST, "assets");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".js") || f.endsWith(".css"))
    .sort()
    .map((name) => {
      const buf = readFileSync(join(dir, name));
      return { name, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
  const js = files.filter((f) => f.name.endsWith(".js"));
  return {
    files,
    js: { raw: js.reduce((s, f) => s + f.raw, 0), gzip: js.reduce((s, f) => s + f.gzip, 0) },
  };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const t0 = performance.now();
  const built = await buildWeb(args.includes("--force"));
  const ms = Math.round(performance.now() - t0);
  process.stderr.write(
    built ? `dashboard built into web/dist in ${ms} ms\n` : "dashboard build is up to date\n",
  );
  if (args.includes("--size")) process.stdout.write(`${JSON.stringify(bundleSize(), null, 2)}\n`);
}
