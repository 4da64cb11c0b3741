/**
 * Request bodies for the API fuzzer (test/integration/fuzz.test.ts): random JSON,
 * mutations of a valid body (fields dropped, added, retyped; huge strings, deep
 * nesting, out-of-range numbers, NaN-like strings, unicode, prototype-pollution keys),
 * raw text that is not JSON or only nearly, and wrong or odd content types.
 */
import fc from "fast-check";

/** One request body as sent: the raw text and its content type (undefined: no header). */
export interface FuzzBody {
  readonly text: string | undefined;
  readonly contentType: string | undefined;
}

/** Keys that poison naive merges, and other awkward names. */
const NASTY_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "",
  " ",
  "QUEUE",
  "$ref",
  "\u0000",
  "👾",
  "a.b",
  "a/b",
];

const NAN_LIKE = [
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "0x10",
  "1_000",
  " 1",
  "1 ",
  "",
  "null",
  "undefined",
  "true",
  "8",
  "8.0",
  "1e3",
  "٣",
];

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  1e-7,
  64,
  65,
  1000,
  1001,
  4096,
  4097,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53 + 2,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  366 * 86400,
  366 * 86400 + 1,
];

const ODD_STRINGS = [
  "\ud800",
  "\udfff\ud800",
  "\u202eevil",
  "a\u0000b",
  "../../etc/passwd",
  "'; drop table jobs; --",
  "%s%n%x",
  "<script>alert(1)</script>",
  "$" + "{7*7}", // a template-injection probe
  "hyundai/llm/",
  "/hyundai",
  "hyundai//llm",
  "HYUNDAI/LLM",
];

// Shared: a full-unicode string arbitrary is costly to build (fast-check maps every code point).
const unicode40 = fc.string({ unit: "binary", maxLength: 40 });
const unicode200 = fc.string({ unit: "binary", maxLength: 200 });

/** A string of `n` copies of a character, n around and past the limits that matter. */
const hugeString = fc
  .tuple(
    fc.constantFrom(65, 200, 4097, 65_537, 262_145),
    fc.constantFrom("x", "é", "😀", "\u0000", " "),
  )
  .map(([n, c]) => c.repeat(n));

/** Nested arrays or objects, `depth` deep. */
const deep = fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

/** A value to put where a field's value was. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 4 },
  { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 3 },
  { arbitrary: fc.constantFrom(...NAN_LIKE), weight: 2 },
  { arbitrary: unicode40, weight: 2 },
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 2 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deep, weight: 1 },
);

const key = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_KEYS), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 12 }), weight: 1 },
);

/** Sets `k` as an own property, even `__proto__`, so JSON.stringify writes it. */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

type Mutation = (o: Record<string, unknown>) => void;
const pickKey = (o: Record<string, unknown>, i: number) => {
  const keys = Object.keys(o);
  return keys.length === 0 ? undefined : keys[i % keys.length];
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (i): Mutation =>
      (o) => {
        const k = pickKey(o, i);
        if (k !== undefined) delete o[k];
      },
  ),
  fc.tuple(fc.nat(), weirdValue).map(
    ([i, v]): Mutation =>
      (o) => {
        const k = pickKey(o, i);
        if (k !== undefined) define(o, k, v);
      },
  ),
  fc.tuple(key, weirdValue).map(
    ([k, v]): Mutation =>
      (o) =>
        define(o, k, v),
  ),
  // a number field as a string a lax coercion would read as a number (or as ±Infinity)
  fc.tuple(fc.nat(), fc.constantFrom(...NAN_LIKE, "-1e309", "1e400")).map(
    ([i, v]): Mutation =>
      (o) => {
        const numbers = Object.keys(o).filter((k) => typeof o[k] === "number");
        if (numbers.length > 0) define(o, numbers[i % numbers.length], v);
      },
  ),
  // a field of the right type one step out of range, or a string of it
  fc.tuple(fc.nat(), fc.constantFrom(-1, 1, 1e9, -1e9)).map(
    ([i, d]): Mutation =>
      (o) => {
        const k = pickKey(o, i);
        if (k !== undefined && typeof o[k] === "number") define(o, k, (o[k] as number) + d);
        else if (k !== undefined) define(o, k, String(o[k]));
      },
  ),
);

/** A valid body with one to three mutations. */
export function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => {
    const o = structuredClone(v);
    for (const m of ms) m(o);
    return o;
  });
}

/** Text that is not JSON, nearly JSON, or JSON that a lax parser would misread. */
function rawText(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  const json = valid.map((v) => JSON.stringify(v));
  return fc.oneof(
    unicode200,
    fc.constantFrom(
      "",
      "{",
      "[",
      "{not json",
      "null",
      '""',
      "{}",
      "[]",
      "0",
      "-1",
      "true",
      '{"a":}',
      "{'queue':'x'}",
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      "\ufeff{}",
      "{}\u0000",
      "NaN",
      "[1,2,",
      '{"a":1,"a":2}',
    ),
    json.map((j) => `${j}garbage`),
    json.map((j) => `\ufeff${j}`),
    json.map((j) => j.slice(0, Math.max(1, j.length - 1))),
    json.map((j) => (j.length > 2 ? `{"queue":"x",${j.slice(1)}` : j)),
    json.map((j) => j.replace("{", '{"__proto__":{"polluted":"yes"},')),
    json.map((j) => j.replace("{", '{"constructor":{"prototype":{"polluted":"yes"}},')),
  );
}

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/json; charset=utf-16",
      "APPLICATION/JSON",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "application/vnd.api+json",
      "application/json, text/plain",
      "",
      undefined,
    ),
    weight: 3,
  },
);

/**
 * A body for a route whose valid bodies are `valid` (undefined: the route takes none,
 * so it gets no body, an empty object or junk): mostly mutations of a valid body, some
 * valid ones, random JSON and raw text, with a content type that is usually JSON.
 */
export function fuzzBody(valid: fc.Arbitrary<Record<string, unknown>> | undefined) {
  const base = valid ?? fc.constant({});
  const text: fc.Arbitrary<string | undefined> = fc.oneof(
    { arbitrary: mutated(base).map((v) => JSON.stringify(v)), weight: valid ? 8 : 2 },
    { arbitrary: base.map((v) => JSON.stringify(v)), weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: rawText(base), weight: 2 },
    { arbitrary: fc.constant(undefined), weight: valid ? 1 : 4 },
  );
  return fc
    .tuple(text, contentType)
    .map(([t, ct]): FuzzBody => ({ text: t, contentType: t === undefined ? undefined : ct }));
}

/** Path segments that are not ids: signs, floats, overflow, encodings, traversal. */
export const oddSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-1",
    "1.5",
    "1e3",
    "9007199254740993",
    "99999999999999999999",
    "NaN",
    "abc",
    "%00",
    "%2e%2e",
    "..",
    "%ZZ",
    "%F0%9F%91%BE",
    "a%2Fb",
    "%C0%AF",
    "__proto__",
    " ",
  ),
  unicode40.map((s) => encodeURIComponent(s.toWellFormed())),
);
