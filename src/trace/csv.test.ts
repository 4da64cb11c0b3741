import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "./csv.ts";

/** Text → [line, cells] of each data row: line numbers must be physical. */
const CASES: [what: string, text: string, rows: [number, string[]][]][] = [
  [
    "LF",
    "a,b\n1,2\n3,4\n",
    [
      [2, ["1", "2"]],
      [3, ["3", "4"]],
    ],
  ],
  [
    "CRLF without a final newline",
    "a,b\r\n1,2\r\n3,4",
    [
      [2, ["1", "2"]],
      [3, ["3", "4"]],
    ],
  ],
  [
    "bare CR",
    "a,b\r1,2\r3,4",
    [
      [2, ["1", "2"]],
      [3, ["3", "4"]],
    ],
  ],
  [
    "blank lines are skipped but counted",
    "a,b\n\n1,2\n   \n3,4\n\n",
    [
      [3, ["1", "2"]],
      [5, ["3", "4"]],
    ],
  ],
  // a quoted field spanning two lines: the next row starts on line 4
  [
    "quoted newline",
    'a,b\n"x\ny",1\n3,4\n',
    [
      [2, ["x\ny", "1"]],
      [4, ["3", "4"]],
    ],
  ],
  [
    "quoted CRLF",
    'a,b\r\n"x\r\ny",1\r\n3,4\r\n',
    [
      [2, ["x\r\ny", "1"]],
      [4, ["3", "4"]],
    ],
  ],
  ["escaped quotes and commas", 'a,b\n"say ""hi"", ok",2\n', [[2, ['say "hi", ok', "2"]]]],
];

for (const [what, text, rows] of CASES) {
  test(`parseCsv: ${what}`, () => {
    const t = parseCsv(text, "t.csv");
    assert.deepEqual(t.header, ["a", "b"]);
    assert.deepEqual(
      t.rows.map((r) => [r.line, r.cells]),
      rows,
    );
  });
}

test("parseCsv: blank lines before the header move it down; header cells are trimmed", () => {
  const t = parseCsv("\n\n a , b \n1,2\n", "t.csv");
  assert.deepEqual([t.headerLine, t.header, t.rows[0].line], [3, ["a", "b"], 4]);
});

test("parseCsv: an unclosed quote is reported on the row where it opens", () => {
  const t = parseCsv('a,b\n1,2\n3,"4\n5,6\n', "t.csv");
  assert.equal(t.rows[1].line, 3);
  assert.equal(t.rows[1].problem, "a quoted field is never closed");
});

test("parseCsv: whitespace only is GJ_ERR_TRACE_EMPTY", () => {
  assert.throws(() => parseCsv("\n  \n", "t.csv"), { code: "GJ_ERR_TRACE_EMPTY" });
});

test("parseCsv: a byte-order mark in text from memory is ignored", () => {
  assert.deepEqual(parseCsv("\ufeffa,b\n1,2\n", "t.csv").header, ["a", "b"]);
});
