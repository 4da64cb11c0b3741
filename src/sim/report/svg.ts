/**
 * Server-side ECharts rendering to inline SVG. ECharts names clip paths and CSS
 * classes from process-wide counters ("zr3-c0", "zr3-cls-17"), so two renders of
 * the same chart differ and two charts in one page could clash. Each SVG is
 * therefore rewritten to page-local names: chart k's ids become "gjk-…" and its
 * class numbers restart at 0 in order of first use. That makes the output a pure
 * function of (option, size, chart index).
 */
import type { EChartsOption } from "echarts";
import { init } from "echarts";

/** Pixel size of a rendered chart; the page scales it down to fit with CSS. */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

/** Renders charts of one page, numbering them so their SVG ids never collide. */
export interface ChartRenderer {
  /** SVG markup for `option` (animation is forced off). */
  render(option: EChartsOption, size: ChartSize): string;
}

/** A renderer for one page; create one per document so ids restart at 0. */
export function createChartRenderer(): ChartRenderer {
  let next = 0;
  return {
    render(option, size) {
      const chart = init(null, null, {
        renderer: "svg",
        ssr: true,
        width: size.width,
        height: size.height,
      });
      try {
        chart.setOption({ ...option, animation: false });
        return localizeIds(chart.renderToSVGString(), `gj${next++}`);
      } finally {
        chart.dispose();
      }
    },
  };
}

// Text nodes reach the SVG entity-escaped (zrender encodes `"`), so `="…"` only ever
// matches a real attribute value and a tenant called "zr1-c0" keeps its name.
const ATTR_VALUE = /="([^"]*)"/g;
const STYLE_BLOCK = /(<style[^>]*>)([\s\S]*?)<\/style>/g;
const ZR_NAME = /(^|[\s#(.])zr\d+-([a-z]+)(-?)(\d+)/g;

/**
 * Rewrites zrender's process-global ids and class names inside attribute values and
 * `<style>` blocks to `prefix`-local ones, numbered by first appearance per kind
 * ("c" clip paths, "cls" classes, …). Exported for tests.
 */
export function localizeIds(svg: string, prefix: string): string {
  const seen = new Map<string, number>();
  const counters = new Map<string, number>();
  const rename = (text: string): string =>
    text.replace(ZR_NAME, (_m, lead: string, kind: string, dash: string, n: string) => {
      const key = `${kind}:${n}`;
      let k = seen.get(key);
      if (k === undefined) {
        k = counters.get(kind) ?? 0;
        counters.set(kind, k + 1);
        seen.set(key, k);
      }
      return `${lead}${prefix}-${kind}${dash}${k}`;
    });
  return svg
    .replace(ATTR_VALUE, (_m, v: string) => `="${rename(v)}"`)
    .replace(STYLE_BLOCK, (_m, open: string, css: string) => `${open}${rename(css)}</style>`);
}
