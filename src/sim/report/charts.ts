/**
 * ECharts option builders for the report charts. They only describe charts (no
 * rendering, no HTML), so each report picks data and units and the look stays the
 * same everywhere: one colour per policy, set explicitly on every series so a
 * policy keeps its colour in every chart even when it has no data in one of them.
 */
import type { EChartsOption } from "echarts";

/**
 * Tableau 10: distinct on screen and in greyscale print, readable on white. Policy
 * i gets colour i; past ten they repeat (reports with more policies are unreadable anyway).
 */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** The colour of the i-th policy (stable: depends only on the policy's position). */
export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** One axis: its name (with unit), scale, bounds and tick label format. */
export interface AxisSpec {
  readonly name: string;
  readonly log?: boolean;
  /** Omitted: ECharts' nice bound from the data ("dataMin" hugs the smallest value). */
  readonly min?: number | "dataMin";
  readonly max?: number | "dataMax";
  readonly format?: (value: number) => string;
  /** Label and tick exactly these values (e.g. humane durations on a log axis). */
  readonly ticks?: readonly number[];
}

/** One line: points are [x, y]; a null y leaves a gap (a bin with no samples). */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number | null])[];
  readonly dashed?: boolean;
  /**
   * Draw as a staircase holding each sample until the next: right for state sampled
   * at events (allocation, queue length) and for empirical CDFs.
   */
  readonly step?: boolean;
}

/** A line chart: `legend` lists the names to show (default: every series). */
export interface LineChartSpec {
  readonly series: readonly LineSeries[];
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly legend?: readonly string[];
  /** A labelled vertical reference line, e.g. 100 % arrived. */
  readonly xMark?: { readonly value: number; readonly label: string };
}

const TEXT = { fontFamily: "system-ui, sans-serif", color: "#1f2328", fontSize: 12 };
const GRID = { left: 72, right: 28, top: 48, bottom: 56 };

function axis(spec: AxisSpec, gap: number, extra: Record<string, unknown> = {}) {
  return {
    type: spec.log ? ("log" as const) : ("value" as const),
    name: spec.name,
    nameLocation: "middle" as const,
    nameGap: gap,
    min: spec.min,
    max: spec.max,
    axisLabel: {
      ...(spec.format ? { formatter: spec.format } : {}),
      ...(spec.ticks ? { customValues: [...spec.ticks] } : {}),
    },
    axisTick: spec.ticks ? { customValues: [...spec.ticks] } : {},
    splitLine: { lineStyle: { color: "#eaeef2" } },
    ...extra,
  };
}

// Server-side rendering estimates text widths without real fonts, so the legend gets
// a wide gap to keep entries from running into each other in the browser.
function legend(names: readonly string[]) {
  return { top: 4, itemWidth: 20, itemHeight: 10, itemGap: 28, data: [...names], textStyle: TEXT };
}

/** Option for a line chart with explicit colours, no symbols and no animation. */
export function lineChartOption(spec: LineChartSpec): EChartsOption {
  const names = spec.legend ?? spec.series.map((s) => s.name);
  return {
    animation: false,
    textStyle: TEXT,
    legend: legend(names),
    grid: GRID,
    xAxis: axis(spec.x, 30),
    yAxis: axis(spec.y, 50),
    series: spec.series.map((s, i) => ({
      type: "line" as const,
      name: s.name,
      data: s.points.map(([x, y]) => [x, y]),
      step: s.step ? ("end" as const) : false,
      showSymbol: false,
      symbol: "none",
      connectNulls: false,
      color: s.color,
      itemStyle: { color: s.color },
      lineStyle: {
        color: s.color,
        width: 1.6,
        type: s.dashed ? ("dashed" as const) : ("solid" as const),
      },
      emphasis: { disabled: true },
      markLine:
        i === 0 && spec.xMark
          ? {
              silent: true,
              symbol: "none",
              lineStyle: { color: "#8c959f", type: "dotted" as const, width: 1 },
              label: { formatter: spec.xMark.label, color: "#59636e" },
              data: [{ xAxis: spec.xMark.value }],
            }
          : undefined,
    })),
  };
}

/** One group member of a grouped bar chart: a value per category, null where absent. */
export interface BarSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** A grouped bar chart: one group per category, one bar per series. */
export interface BarChartSpec {
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly y: AxisSpec;
}

/** Option for a grouped bar chart; long category lists get slanted labels so none is skipped. */
export function barChartOption(spec: BarChartSpec): EChartsOption {
  const slant = spec.categories.length > 6 || spec.categories.some((c) => c.length > 12);
  return {
    animation: false,
    textStyle: TEXT,
    legend: legend(spec.series.map((s) => s.name)),
    grid: { ...GRID, bottom: slant ? 96 : GRID.bottom },
    // No x axis name: slanted labels would run into it, and the section title says what groups are.
    xAxis: {
      type: "category",
      data: [...spec.categories],
      axisLabel: { interval: 0, rotate: slant ? 30 : 0, width: 140, overflow: "truncate" },
    },
    yAxis: axis(spec.y, 50),
    series: spec.series.map((s) => ({
      type: "bar" as const,
      name: s.name,
      data: [...s.values],
      color: s.color,
      itemStyle: { color: s.color },
      emphasis: { disabled: true },
      barMaxWidth: 28,
    })),
  };
}
