/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium (GJ_CHROMIUM overrides)
 * driven by playwright-core, never a downloaded browser. When it is missing the tests
 * skip with a message, unless GJ_REQUIRE_BROWSER=1 (CI sets it), which fails instead.
 *
 *   const skip = browserSkip();
 *   test("…", { skip }, async () => { const browser = await launchChromium(); … });
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildWeb } from "../../web/build.ts";

export const CHROMIUM = process.env.GJ_CHROMIUM || "/usr/bin/chromium";

/** The flags every launch uses (DESIGN.md §5). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
] as const;

/** Where tests save screenshots (git-ignored). */
export const SHOTS = join(import.meta.dirname, "../../test-output/e2e");

/** A skip message when chromium is missing; throws instead under GJ_REQUIRE_BROWSER=1. */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const msg = `browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`;
  if (process.env.GJ_REQUIRE_BROWSER === "1") throw new Error(`GJ_REQUIRE_BROWSER=1 but ${msg}`);
  process.stderr.write(`${msg}\n`);
  return msg;
}

/** Launches Debian's chromium headless with CHROMIUM_FLAGS. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    timeout: 60_000,
  });
}

/** Collects console errors and uncaught page errors, for a test to assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Saves a full-page screenshot as test-output/e2e/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Held while one test file builds web/dist (git-ignored, like SHOTS). */
const BUILD_LOCK = join(SHOTS, "..", "web-build.lock");

/**
 * buildWeb() for browser tests, which node --test runs in parallel processes: one builds
 * a stale web/dist while the others wait on a lock file, then find it fresh (two Vite
 * builds at once would empty web/dist under each other). A lock older than 5 minutes is
 * left from a crashed run and is taken over.
 */
export async function buildWebOnce(): Promise<void> {
  mkdirSync(join(SHOTS, ".."), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(BUILD_LOCK, "wx"));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 300_000) rmSync(BUILD_LOCK, { force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await buildWeb();
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}
