/**
 * What the tenancy and scenario readers share on top of src/fleet/yaml-check.ts:
 * opening a document, maps with free keys (quota by device type), durations such as
 * `14d` or `4h30m`, a line index so checks made after reading (a queue path the
 * fleet lacks) still point at a line, and turning issues into one coded error.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { type ErrorCode, GongjangError } from "../core/errors.ts";
import { childPath, type Field, YamlChecker } from "../fleet/yaml-check.ts";

/** A problem found after reading, by JSON path; its line comes from a {@link LineIndex}. */
export interface PathIssue {
  readonly code: ErrorCode;
  readonly path: string;
  readonly message: string;
}

/** JSON path → the line its value starts on, for every node of a document. */
export type LineIndex = ReadonlyMap<string, number>;

/** An opened document: its checker (with the syntax errors already reported) and line index. */
export interface OpenedYaml {
  readonly checker: YamlChecker;
  readonly lines: LineIndex;
  /** False when YAML syntax errors were found; the tree is then not worth reading. */
  readonly ok: boolean;
}

/** Parses `text`; syntax errors become issues at their line with path "(yaml)". */
export function openYaml(text: string): OpenedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false });
  const checker = new YamlChecker(doc, counter);
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      checker.issues.push({
        line: counter.linePos(e.pos[0]).line,
        path: "(yaml)",
        message: `syntax error: ${e.message}`,
      });
    return { checker, lines: new Map(), ok: false };
  }
  const lines = new Map<string, number>();
  indexLines(doc.contents, "", 1, counter, lines);
  return { checker, lines, ok: true };
}

function indexLines(
  node: unknown,
  path: string,
  fallback: number,
  counter: LineCounter,
  out: Map<string, number>,
): void {
  const line = isNode(node) && node.range ? counter.linePos(node.range[0]).line : fallback;
  if (!out.has(path)) out.set(path, line);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== "string") continue;
      const keyLine = pair.key.range ? counter.linePos(pair.key.range[0]).line : line;
      indexLines(pair.value, childPath(path, pair.key.value), keyLine, counter, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      indexLines(item, `${path}[${i}]`, line, counter, out);
    });
  }
}

/** The line of `path`, or of its nearest indexed ancestor; 1 when none is known. */
export function lineOf(lines: LineIndex, path: string): number {
  for (let p = path; p !== ""; p = parentPath(p)) {
    const line = lines.get(p);
    if (line !== undefined) return line;
  }
  return lines.get("") ?? 1;
}

function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut < 0 ? "" : path.slice(0, cut);
}

/**
 * A mapping whose keys are data (device type ids, class names): every entry as a
 * field, in file order. Duplicate and non-string keys are reported by the checker.
 */
export function record(c: YamlChecker, f: Field | undefined): Map<string, Field> | undefined {
  if (f === undefined) return undefined;
  const keys = isMap(f.node)
    ? f.node.items.flatMap((p) =>
        isScalar(p.key) && typeof p.key.value === "string" ? [p.key.value] : [],
      )
    : [];
  return c.object(f, [], keys);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};
const DURATION = /^(?:\d+(?:\.\d+)?[smhdw])+$/;

/** Seconds in a duration string such as `14d`, `4h30m` or `90s`; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g))
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return total;
}

/**
 * A time in seconds: a number, or a duration string (`s`, `m`, `h`, `d`, `w`, which
 * may be combined: `1d12h`). `above` excludes its bound, `min` includes it.
 */
export function seconds(
  c: YamlChecker,
  f: Field | undefined,
  rule: { min?: number; above?: number } = { min: 0 },
): number | undefined {
  if (f === undefined) return undefined;
  const raw = isScalar(f.node) ? f.node.value : undefined;
  if (typeof raw !== "string") {
    if (typeof raw === "number" || typeof raw === "bigint") return c.number(f, rule);
    c.report(
      f.line,
      f.path,
      `expected seconds or a duration such as "6h", got ${c.kindOf(f.node)}`,
    );
    return undefined;
  }
  const v = parseDuration(raw);
  if (v === undefined) {
    c.report(
      f.line,
      f.path,
      `expected seconds or a duration such as "6h" or "1d12h", got "${raw}"`,
    );
    return undefined;
  }
  if ((rule.min !== undefined && v < rule.min) || (rule.above !== undefined && v <= rule.above)) {
    const bound = rule.above !== undefined ? `> ${rule.above}` : `>= ${rule.min}`;
    c.report(f.line, f.path, `expected a duration ${bound} seconds, got ${v}`);
    return undefined;
  }
  return v;
}

/** A list of non-empty strings, or undefined (reported) when it is not one. */
export function strings(c: YamlChecker, f: Field | undefined): string[] | undefined {
  const items = c.array(f);
  if (items === undefined) return undefined;
  const out = items.map((i) => c.string(i));
  return out.some((s) => s === undefined) ? undefined : (out as string[]);
}

/** Details as `file:line path: message`, sorted by line (stable within a line). */
export function formatDetails(
  file: string,
  issues: readonly { line: number; path: string; message: string }[],
): string[] {
  return [...issues]
    .sort((a, b) => a.line - b.line)
    .map((i) => `${file}:${i.line} ${i.path}: ${i.message}`);
}

/** One error for all of a file's problems: "N errors in <what>", details one per problem. */
export function fileError(
  code: ErrorCode,
  file: string,
  what: string,
  details: readonly string[],
): GongjangError {
  const n = details.length;
  return new GongjangError(code, `${n} ${n === 1 ? "error" : "errors"} in ${what}`, { file }, [
    ...details,
  ]);
}

/** A boolean, or undefined (reported). */
export function boolean(c: YamlChecker, f: Field | undefined): boolean | undefined {
  if (f === undefined) return undefined;
  const v = isScalar(f.node) ? f.node.value : undefined;
  if (typeof v === "boolean") return v;
  c.report(f.line, f.path, `expected boolean, got ${c.kindOf(f.node)}`);
  return undefined;
}

/** A mapping of free keys to numbers >= 0 (charge weights by device type). */
export function numberRecord(
  c: YamlChecker,
  f: Field | undefined,
): Record<string, number> | undefined {
  const fields = record(c, f);
  if (fields === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of fields) {
    const n = c.number(v, { min: 0 });
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/**
 * Reads each item with `read`, dropping those that fail. Items whose `keyName` (e.g.
 * `path`, `name`) repeats an earlier item's are reported where they repeat, even when
 * the earlier item had other problems, and dropped.
 */
export function unique<T>(
  c: YamlChecker,
  items: Field[] | undefined,
  what: string,
  keyName: string,
  read: (f: Field) => T | undefined,
): T[] {
  const seen = new Map<string, Field>();
  const out: T[] = [];
  for (const item of items ?? []) {
    const raw = isMap(item.node) ? item.node.get(keyName) : undefined;
    const key = typeof raw === "string" ? raw : undefined;
    const first = key === undefined ? undefined : seen.get(key);
    if (first !== undefined) {
      c.report(
        item.line,
        `${item.path}.${keyName}`,
        `duplicate ${what} "${key}" (first at ${first.path}, line ${first.line})`,
      );
      continue;
    }
    if (key !== undefined) seen.set(key, item);
    const v = read(item);
    if (v !== undefined) out.push(v);
  }
  return out;
}
