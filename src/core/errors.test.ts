// docs/errors.md documents every GJ_ERR_* code with its HTTP status and title,
// and nothing else: this test keeps the two in sync.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ERRORS, GongjangError } from "./errors.ts";

test("docs/errors.md lists exactly the catalogue", () => {
  const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "errors.md"), "utf8");
  const rows = [...doc.matchAll(/^\| `(GJ_ERR_[A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
    m[3].trim(),
  ]);
  const expected = Object.entries(ERRORS).map(([code, e]) => [code, e.status, e.title]);
  assert.deepEqual(
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    expected.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
});

test("a coded error names where it happened", () => {
  const e = new GongjangError("GJ_ERR_TRACE_ROW", "column devices: expected integer", {
    file: "t.csv",
    line: 17,
  });
  assert.equal(e.message, "GJ_ERR_TRACE_ROW: t.csv:17: column devices: expected integer");
  assert.equal(e.status, 400);
});
