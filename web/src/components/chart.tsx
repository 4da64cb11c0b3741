/**
 * An ECharts chart (SVG renderer), built from echarts/core with only the chart types
 * and components the dashboard uses, to keep the bundle small.
 */
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import type { EChartsCoreOption } from "echarts/core";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "preact/hooks";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export function Chart(props: { option: EChartsCoreOption; height?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (el.current === null) return;
    const c = echarts.init(el.current, undefined, { renderer: "svg" });
    chart.current = c;
    const resize = () => c.resize();
    addEventListener("resize", resize);
    return () => {
      removeEventListener("resize", resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);
  return (
    <div
      class="chart"
      ref={el}
      role="img"
      aria-label={props.label}
      style={{ height: `${props.height ?? 320}px` }}
    />
  );
}
