/**
 * Pieces every report's "over time" charts share: display labels and colours per
 * run, the time axis, and one stepped line per run for a picked value.
 */
import { colorAt, lineChartOption } from "./charts.ts";
import { type DurationUnit, durationUnit } from "./format.ts";
import type { ChartRenderer, ChartSize } from "./svg.ts";

export const LINE: ChartSize = { width: 960, height: 340 };

/** A run with the display name and colour the whole report uses for it. */
export interface Labelled<T> {
  readonly label: string;
  readonly color: string;
  readonly result: T;
}

/** Display names: the policy, plus the seed (then the position) where names would clash. */
export function labelRuns<T extends { readonly policy: string; readonly seed: number }>(
  results: readonly T[],
): Labelled<T>[] {
  const count = (names: readonly string[], n: string) => names.filter((x) => x === n).length;
  const policies = results.map((r) => r.policy);
  const withSeed = results.map((r) =>
    count(policies, r.policy) > 1 ? `${r.policy} (seed ${r.seed})` : r.policy,
  );
  return results.map((result, i) => ({
    label: count(withSeed, withSeed[i]) > 1 ? `${withSeed[i]} #${i + 1}` : withSeed[i],
    color: colorAt(i),
    result,
  }));
}

/** The time unit and x axis that fit every run's timeline. */
export function timeAxis(timelines: readonly (readonly { readonly t: number }[])[]): {
  unit: DurationUnit;
  x: { name: string; min: "dataMin" };
} {
  let tMax = 0;
  for (const tl of timelines) for (const p of tl) tMax = Math.max(tMax, p.t);
  const unit = durationUnit(tMax);
  return { unit, x: { name: `virtual time (${unit.name})`, min: "dataMin" } };
}

/**
 * A renderer of per-run stepped lines over time: pass what to plot from each point
 * and the y axis. Colours are the runs'.
 */
export function perRunLines<P extends { readonly t: number }>(
  rows: readonly Labelled<unknown>[],
  timelines: readonly (readonly P[])[],
  charts: ChartRenderer,
): (pick: (p: P) => number, y: Parameters<typeof lineChartOption>[0]["y"]) => string {
  const { unit, x } = timeAxis(timelines);
  return (pick, y) =>
    charts.render(
      lineChartOption({
        x,
        y,
        series: rows.map((r, i) => ({
          name: r.label,
          color: r.color,
          step: true,
          points: timelines[i].map((p) => [p.t / unit.seconds, pick(p)] as const),
        })),
      }),
      LINE,
    );
}

/** Allocation % per run, 0–100. */
export function allocationChart<P extends { readonly t: number; readonly allocation: number }>(
  chart: ReturnType<typeof perRunLines<P>>,
): string {
  return chart((p) => p.allocation, {
    name: "allocated devices (%)",
    min: 0,
    max: 100,
    format: (v: number) => `${v}%`,
  });
}

/** FGD fragmentation % per run (free devices typical work cannot use), from 0 up. */
export function fragmentationChart<
  P extends { readonly t: number; readonly fragmentation: number },
>(chart: ReturnType<typeof perRunLines<P>>): string {
  return chart((p) => p.fragmentation, {
    name: "fragmented devices (%)",
    min: 0,
    format: (v: number) => `${v}%`,
  });
}
