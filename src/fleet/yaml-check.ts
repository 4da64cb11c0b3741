/**
 * A small checker over the `yaml` package's syntax tree. The fleet schema reads its
 * document through it so that every problem keeps the JSON path and the source line
 * it came from, and so that checking goes on after the first problem: a person fixing
 * a fleet file wants the whole list at once.
 */
import { readFileSync, statSync } from "node:fs";
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type LineCounter } from "yaml";
import { GongjangError } from "../core/errors.ts";

/**
 * The text of a YAML file (`what` names it in the error: "fleet file"). Throws
 * GJ_ERR_FILE_NOT_FOUND when `path` is not a readable file.
 */
export function readYamlFile(path: string, what: string): string {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile)
    throw new GongjangError("GJ_ERR_FILE_NOT_FOUND", `${what} not found`, { file: path });
  return readFileSync(path, "utf8");
}

/** One schema problem: where (line, JSON path) and what. */
export interface Issue {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

/** A value in the document together with its JSON path and source line. */
export interface Field {
  readonly node: unknown;
  readonly path: string;
  readonly line: number;
}

/** JSON-ish names for what a YAML node holds, as error messages show them. */
export type Kind = "object" | "array" | "string" | "number" | "boolean" | "null";

/** Builds the JSON path of a key below `path` ("" is the document root). */
export function childPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * Collects issues while reading a parsed document. Readers return `undefined` for a
 * value that is missing or has the wrong type (after reporting it), so callers can
 * keep going and report the rest.
 */
export class YamlChecker {
  readonly issues: Issue[] = [];
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(doc: Document, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /** The document's root as a field with path "" (shown as "(root)"). */
  root(): Field {
    const node = this.#resolve(this.#doc.contents);
    return { node, path: "", line: this.lineOf(node, 1) };
  }

  /** The 1-based line where `node` starts, or `fallback` when it has no position. */
  lineOf(node: unknown, fallback: number): number {
    if (isNode(node) && node.range) return this.#lines.linePos(node.range[0]).line;
    return fallback;
  }

  report(line: number, path: string, message: string): void {
    this.issues.push({ line, path: path === "" ? "(root)" : path, message });
  }

  kindOf(node: unknown): Kind {
    if (isMap(node)) return "object";
    if (isSeq(node)) return "array";
    const v = isScalar(node) ? node.value : node;
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return "string";
    if (typeof v === "number" || typeof v === "bigint") return "number";
    if (typeof v === "boolean") return "boolean";
    return "object";
  }

  /**
   * Reads a mapping whose keys must come from `required` and `optional`. Reports
   * unknown keys (with a suggestion when one is close), duplicate keys and missing
   * required keys. Returns the present fields by key, or undefined if not a mapping.
   */
  object(
    f: Field,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Map<string, Field> | undefined {
    if (!isMap(f.node)) {
      this.report(f.line, f.path, `expected object, got ${this.kindOf(f.node)}`);
      return undefined;
    }
    const known = [...required, ...optional];
    const out = new Map<string, Field>();
    for (const pair of f.node.items) {
      const keyNode = pair.key;
      const keyLine = this.lineOf(keyNode, f.line);
      if (!isScalar(keyNode) || typeof keyNode.value !== "string") {
        this.report(keyLine, f.path, `keys must be strings, got ${this.kindOf(keyNode)}`);
        continue;
      }
      const key = keyNode.value;
      const path = childPath(f.path, key);
      if (out.has(key)) {
        this.report(keyLine, path, `duplicate key (first on line ${out.get(key)!.line})`);
        continue;
      }
      if (!known.includes(key)) {
        const near = closest(key, known);
        const hint =
          near === undefined ? `expected one of: ${known.join(", ")}` : `did you mean "${near}"?`;
        this.report(keyLine, path, `unknown key (${hint})`);
        continue;
      }
      const value = this.#resolve(pair.value);
      out.set(key, { node: value, path, line: this.lineOf(value, keyLine) });
    }
    for (const key of required) {
      if (!out.has(key)) this.report(f.line, childPath(f.path, key), "required key is missing");
    }
    return out;
  }

  /** The items of a sequence as fields `path[i]`, or undefined (reported) if not one. */
  array(f: Field | undefined): Field[] | undefined {
    if (f === undefined) return undefined;
    if (!isSeq(f.node)) {
      this.report(f.line, f.path, `expected array, got ${this.kindOf(f.node)}`);
      return undefined;
    }
    return f.node.items.map((item, i) => {
      const node = this.#resolve(item);
      return { node, path: `${f.path}[${i}]`, line: this.lineOf(node, f.line) };
    });
  }

  /** A string; empty strings are reported too, since every string here is an id or label. */
  string(f: Field | undefined): string | undefined {
    if (f === undefined) return undefined;
    const v = isScalar(f.node) ? f.node.value : undefined;
    if (typeof v !== "string") {
      this.report(f.line, f.path, `expected string, got ${this.kindOf(f.node)}`);
      return undefined;
    }
    if (v.trim() === "") {
      this.report(f.line, f.path, "expected a non-empty string");
      return undefined;
    }
    return v;
  }

  /** True when the field holds YAML null (`~`, `null` or nothing after the colon). */
  isNull(f: Field): boolean {
    return this.kindOf(f.node) === "null";
  }

  /**
   * A finite number with bounds: `min` inclusive, `above` exclusive, `integer` for
   * counts. The message states the rule that was broken.
   */
  number(
    f: Field | undefined,
    rule: { min?: number; above?: number; max?: number; integer?: boolean } = {},
  ): number | undefined {
    if (f === undefined) return undefined;
    const raw = isScalar(f.node) ? f.node.value : undefined;
    const v = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      const got = this.kindOf(f.node);
      this.report(f.line, f.path, `expected ${rule.integer ? "integer" : "number"}, got ${got}`);
      return undefined;
    }
    const broken =
      (rule.integer === true && !Number.isInteger(v)) ||
      (rule.min !== undefined && v < rule.min) ||
      (rule.above !== undefined && v <= rule.above) ||
      (rule.max !== undefined && v > rule.max);
    if (broken) {
      this.report(f.line, f.path, `expected ${describe(rule)}, got ${v}`);
      return undefined;
    }
    return v;
  }

  #resolve(node: unknown): unknown {
    // Anchors and aliases are legal YAML; follow them so `nodes: *h100-box` reuse works.
    // Merge keys (`<<`) are not YAML 1.2 and come out as unknown keys.
    return isAlias(node) ? node.resolve(this.#doc) : node;
  }
}

function describe(rule: { min?: number; above?: number; max?: number; integer?: boolean }): string {
  const what = rule.integer ? "an integer" : "a number";
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.length === 0 ? what : `${what} ${parts.join(" and ")}`;
}

/** The known key within edit distance 2 of `key` (a typo), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
