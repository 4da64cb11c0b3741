import assert from "node:assert/strict";
import { test } from "node:test";
import { type NumberRule, RowFault, readNumber, readTypeList } from "./fields.ts";

const INT0: NumberRule = { integer: true, min: 0 };
const POS: NumberRule = { above: 0 };

/** raw, rule → the number, or the fault message. */
const NUMBERS: [raw: unknown, rule: NumberRule, want: number | string][] = [
  ["12", INT0, 12],
  [" 12 ", INT0, 12],
  ["2.0", INT0, 2], // pandas writes integers this way
  ["1e3", INT0, 1000],
  ["+7", INT0, 7],
  ["-0", INT0, 0],
  [5, INT0, 5], // a JSON number
  ["two", INT0, 'expected integer ≥ 0, got "two"'],
  ["2.5", INT0, 'expected integer ≥ 0, got "2.5"'],
  ["-1", INT0, 'expected integer ≥ 0, got "-1"'],
  ["0x10", INT0, 'expected integer ≥ 0, got "0x10"'], // Number() would say 16
  ["1_000", INT0, 'expected integer ≥ 0, got "1_000"'],
  ["Infinity", INT0, 'expected integer ≥ 0, got "Infinity"'],
  ["NaN", POS, 'expected number > 0, got "NaN"'],
  ["0", POS, 'expected number > 0, got "0"'],
  ["", POS, 'expected number > 0, got ""'],
  [undefined, POS, "expected number > 0, got nothing"],
  [true, POS, "expected number > 0, got true"],
  ["1001", { integer: true, min: 1, max: 1000 }, 'expected integer 1..1000, got "1001"'],
];

for (const [raw, rule, want] of NUMBERS) {
  test(`readNumber(${JSON.stringify(raw)}) → ${want}`, () => {
    if (typeof want === "number") assert.equal(readNumber(raw, "c", rule), want);
    else
      assert.throws(
        () => readNumber(raw, "c", rule),
        (e: unknown) => e instanceof RowFault && e.column === "c" && e.message === want,
      );
  });
}

test("readNumber: blank takes the fallback when one is given", () => {
  assert.equal(readNumber("", "c", INT0, 9), 9);
  assert.equal(readNumber(null, "c", INT0, 9), 9);
});

test("readTypeList: split on |, trim, refuse empty entries", () => {
  assert.deepEqual(readTypeList("", "t"), []);
  assert.deepEqual(readTypeList("T4| P100 ", "t"), ["T4", "P100"]);
  assert.throws(() => readTypeList("T4|", "t"), RowFault);
});
