/**
 * The page shell shared by every report: escaping, inline CSS, sections and tables.
 * Reports must open from a file:// URL on a machine with no network, so the page
 * carries all of its styling, uses system fonts only, and its Content-Security-Policy
 * forbids scripts and every fetch: a report that tried to load anything would show it.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** One table cell: plain text (escaped on output), an optional class, an optional colour swatch. */
export interface Cell {
  readonly text: string;
  readonly className?: string;
  /** CSS colour of a small square drawn before the text (the policy's chart colour). */
  readonly swatch?: string;
  /** Tooltip. */
  readonly title?: string;
}

/** A header cell; `title` becomes a tooltip explaining the column. */
export interface HeaderCell {
  readonly text: string;
  readonly title?: string;
}

function cellHtml(tag: "td" | "th", c: Cell | HeaderCell): string {
  const cls = "className" in c && c.className ? ` class="${escapeHtml(c.className)}"` : "";
  const title = c.title ? ` title="${escapeHtml(c.title)}"` : "";
  const swatch =
    "swatch" in c && c.swatch
      ? `<span class="swatch" style="background:${escapeHtml(c.swatch)}"></span>`
      : "";
  return `<${tag}${cls}${title}>${swatch}${escapeHtml(c.text)}</${tag}>`;
}

/** A table; every string in it is escaped, so callers pass raw text. */
export function table(head: readonly HeaderCell[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => cellHtml("th", h)).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => cellHtml("td", c)).join("")}</tr>`).join("\n");
  return `<div class="scroll"><table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/**
 * A titled section. `heading` and `note` are text (escaped); `innerHtml` is markup the
 * caller built from escaped parts or from chart SVG.
 */
export function section(heading: string, innerHtml: string, note?: string): string {
  const p = note ? `\n<p class="note">${escapeHtml(note)}</p>` : "";
  return `<section>\n<h2>${escapeHtml(heading)}</h2>${p}\n${innerHtml}\n</section>`;
}

/** Wraps a chart's SVG in a figure with an accessible, escaped label. */
export function figure(svg: string, label: string): string {
  return `<figure role="img" aria-label="${escapeHtml(label)}">\n${svg}\n</figure>`;
}

/** Page options: text only; escaped by `page`. */
export interface PageOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Shown in the footer (e.g. a generation time). Omitted: no footer line, so output stays reproducible. */
  readonly footer?: string;
}

/** A complete HTML document around `bodyHtml`; deterministic in its inputs. */
export function page(opts: PageOptions, bodyHtml: string): string {
  const sub = opts.subtitle ? `\n<p class="subtitle">${escapeHtml(opts.subtitle)}</p>` : "";
  const foot = opts.footer ? `\n<footer>${escapeHtml(opts.footer)}</footer>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="gongjang">
<title>${escapeHtml(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(opts.title)}</h1>${sub}
</header>
<main>
${bodyHtml}
</main>${foot}
</body>
</html>
`;
}

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --win: #dafbe1; --winfg: #116329; --fail: #ffebe9; --failfg: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px 20px 48px; color: var(--fg); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.subtitle, .note, footer { color: var(--muted); margin: 0 0 8px; }
footer { margin-top: 40px; font-size: 12px; }
figure { margin: 8px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; white-space: nowrap; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { font-weight: 600; background: #f6f8fa; cursor: help; }
th:first-child, td:first-child { text-align: left; }
td.win { background: var(--win); color: var(--winfg); font-weight: 600; }
td.pass { color: var(--winfg); font-weight: 600; }
td.fail { background: var(--fail); color: var(--failfg); font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; vertical-align: baseline; }
.verdict { display: inline-block; padding: 4px 10px; border-radius: 4px; font-weight: 600; }
.verdict.pass { background: var(--win); color: var(--winfg); }
.verdict.fail { background: var(--fail); color: var(--failfg); }
@media print { h2 { break-after: avoid; } figure { break-inside: avoid; } }
`;
