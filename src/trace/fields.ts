/**
 * Cell readers shared by every adapter. A reader either returns a value or throws a
 * {@link RowFault} saying what it expected and what it got; the row loop turns that
 * into a `file:line` message. Numbers are matched against a strict pattern first,
 * because `Number()` would accept "", " ", "0x10" and "1_000" without complaint.
 */

/** A problem with one row; `column` is absent when the row as a whole is wrong. */
export class RowFault extends Error {
  readonly column: string | undefined;
  constructor(column: string | undefined, problem: string) {
    super(problem);
    this.name = "RowFault";
    this.column = column;
  }
}

/** What a numeric field accepts. `min`/`max` are inclusive, `above` exclusive. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly above?: number;
  readonly max?: number;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for an absent value: a missing JSON key, `null`, or a CSV cell of only spaces. */
export function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
}

/** A value as messages quote it: `"two"`, `12`, `""`; `nothing` for a missing one. */
export function show(raw: unknown): string {
  if (raw === undefined) return "nothing";
  const s = JSON.stringify(raw) ?? String(raw);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

/** The rule in words, as messages print it: "integer ≥ 0", "number > 0", "integer 1..1000". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? "integer" : "number";
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} ${rule.min}..${rule.max}`;
  if (rule.min !== undefined) return `${kind} ≥ ${rule.min}`;
  if (rule.above !== undefined) return `${kind} > ${rule.above}`;
  if (rule.max !== undefined) return `${kind} ≤ ${rule.max}`;
  return kind;
}

/**
 * Reads a number from a CSV cell (a string) or a JSON value (a number) under `rule`.
 * A blank value gives `fallback`, or a fault when no fallback is given (required).
 * Integers may be written with a zero fraction ("2.0"), as pandas often writes them.
 */
export function readNumber(
  raw: unknown,
  column: string,
  rule: NumberRule,
  fallback?: number,
): number {
  if (isBlank(raw)) {
    if (fallback !== undefined) return fallback;
    throw expected(column, describeRule(rule), raw);
  }
  let value: number;
  if (typeof raw === "number") value = raw;
  else if (typeof raw === "string" && NUMBER.test(raw.trim())) value = Number(raw.trim());
  else throw expected(column, describeRule(rule), raw);
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) throw expected(column, describeRule(rule), raw);
  // -0 from "-0" would print as 0 but compare oddly in tests; normalise it.
  return value === 0 ? 0 : value;
}

/** Reads a non-empty string (spaces kept) or, when blank, `fallback`; faults otherwise. */
export function readText(raw: unknown, column: string, fallback?: string): string {
  if (isBlank(raw)) {
    if (fallback !== undefined) return fallback;
    throw expected(column, "a non-empty string", raw);
  }
  if (typeof raw !== "string") throw expected(column, "a string", raw);
  return raw;
}

/**
 * Reads `|`-separated device types ("T4|P100"); blank gives []. Each entry is trimmed;
 * an empty entry ("T4||P100") is a fault, as it is almost always a typo.
 */
export function readTypeList(raw: unknown, column: string): string[] {
  if (isBlank(raw)) return [];
  if (typeof raw !== "string") throw expected(column, '"|"-separated device types', raw);
  const types = raw.split("|").map((t) => t.trim());
  if (types.some((t) => t === "")) throw expected(column, '"|"-separated device types', raw);
  return types;
}

/** A fault worded the standard way: `expected WHAT, got RAW`. */
export function expected(column: string, what: string, raw: unknown): RowFault {
  return new RowFault(column, `expected ${what}, got ${show(raw)}`);
}
