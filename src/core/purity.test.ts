// The core must stay pure: no Node built-ins, clock, randomness, environment or
// files, and no imports from outside src/core. Enforced here, not by good intentions.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";

const coreDir = resolve(import.meta.dirname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["']node:/, "imports a Node built-in"],
  [/\brequire\(/, "uses require()"],
  [/\bDate\b/, "touches Date"],
  [/Math\.random/, "uses Math.random"],
  [/\bprocess\./, "reads process"],
  [/performance\.now/, "reads the clock"],
  [/\bsetTimeout\b|\bsetInterval\b/, "uses timers"],
];

test("src/core source files are pure", () => {
  const files = sources(coreDir);
  assert.ok(files.length > 10, "found the core sources");
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [re, what] of FORBIDDEN)
      if (re.test(text)) problems.push(`${relative(coreDir, file)} ${what}`);
    for (const m of text.matchAll(/from\s+["'](\.[^"']+)["']/g)) {
      const target = resolve(join(file, ".."), m[1]);
      if (!target.startsWith(coreDir))
        problems.push(`${relative(coreDir, file)} imports ${m[1]} from outside src/core`);
    }
  }
  assert.deepEqual(problems, []);
});
