/**
 * A small, strict XML reader for machine-written documents such as `nvidia-smi -q -x`.
 *
 * Why not a library: nvidia-smi's XML uses elements, text and the odd `id="…"` attribute,
 * nothing else (no namespaces, CDATA or mixed content that matters), so 100 lines cover it
 * without pulling a dependency tree into the node agent. It is strict where it counts: an
 * unclosed or mismatched tag, or text after the root, throws, so truncated output from a
 * crashed nvidia-smi is reported rather than half-read.
 */

/** One element: its name, attributes, child elements and its own trimmed text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/** Thrown for malformed XML; `offset` is the character position where reading stopped. */
export class XmlSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at character ${offset}`);
    this.name = "XmlSyntaxError";
    this.offset = offset;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[ref] ?? whole;
  });
}

interface Open {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTR = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Parses `xml` into its root element. Skips the XML declaration, DOCTYPE, comments and
 * processing instructions. Throws {@link XmlSyntaxError} on anything malformed.
 */
export function parseXml(xml: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.trim() !== "") {
      const top = stack.at(-1);
      if (top === undefined) throw new XmlSyntaxError("text outside the root element", i);
      top.text += text;
    }
    if (lt === -1) break;
    i = skipMarkup(xml, lt);
    if (i !== lt) continue;
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (m === null) throw new XmlSyntaxError("malformed tag", lt);
    i = TAG.lastIndex;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing === "/") {
      const open = stack.pop();
      if (open === undefined || open.name !== name)
        throw new XmlSyntaxError(`</${name}> closes <${open?.name ?? "nothing"}>`, lt);
      const done = finish(open);
      if (stack.length === 0) root = checkSingleRoot(root, done, lt);
      else stack[stack.length - 1].children.push(done);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(ATTR)) attrs[a[1]] = decode(a[2] ?? a[3] ?? "");
    const open: Open = { name, attrs, children: [], text: "" };
    if (selfClosing === "/") {
      const done = finish(open);
      if (stack.length === 0) root = checkSingleRoot(root, done, lt);
      else stack[stack.length - 1].children.push(done);
    } else {
      if (stack.length === 0 && root !== undefined)
        throw new XmlSyntaxError("a second root element", lt);
      stack.push(open);
    }
  }
  if (stack.length > 0)
    throw new XmlSyntaxError(`<${stack[stack.length - 1].name}> is never closed`, xml.length);
  if (root === undefined) throw new XmlSyntaxError("no root element", 0);
  return root;
}

function finish(open: Open): XmlElement {
  return {
    name: open.name,
    attrs: open.attrs,
    children: open.children,
    text: decode(open.text.trim()),
  };
}

function checkSingleRoot(prev: XmlElement | undefined, next: XmlElement, at: number): XmlElement {
  if (prev !== undefined) throw new XmlSyntaxError("a second root element", at);
  return next;
}

/** Returns the index after a declaration, DOCTYPE, comment or PI starting at `lt`, else `lt`. */
function skipMarkup(xml: string, lt: number): number {
  for (const [open, close] of [
    ["<?", "?>"],
    ["<!--", "-->"],
    ["<!", ">"],
  ] as const) {
    if (xml.startsWith(open, lt)) {
      const end = xml.indexOf(close, lt + open.length);
      if (end === -1) throw new XmlSyntaxError(`unterminated ${open}`, lt);
      return end + close.length;
    }
  }
  return lt;
}

/** The first child named `name`, following a `/`-separated path, or undefined. */
export function child(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const part of path.split("/")) {
    cur = cur?.children.find((c) => c.name === part);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The text of the element at `path` below `el`, or undefined when it is missing. */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  return child(el, path)?.text;
}
