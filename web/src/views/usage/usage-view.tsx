/**
 * Usage: device-hours per tenant and device type over a period (?from=&to=, dates),
 * as a stacked bar chart and a table, with the same report as CSV for download.
 */
import { useMemo } from "preact/hooks";
import { api, apiFetch } from "../../api.ts";
import { Chart } from "../../components/chart.tsx";
import { Status } from "../../components/status.tsx";
import { useApp } from "../../context.ts";
import { formatNumber } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import { navigate } from "../../router.ts";
import type { UsageReport } from "../../types.ts";
import { typeColor } from "../fleet/node-state.ts";

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The period of a query: whole UTC days, `to` inclusive; defaults to the last 7 days.
 * A period reaching today leaves `to` out, so the server counts up to now (and the
 * query string, which keys the polling, stays the same between renders).
 */
export function usagePeriod(
  q: URLSearchParams,
  now = new Date(),
): { from: string; to: string; query: string } {
  const to = q.get("to") ?? day(now);
  const from = q.get("from") ?? day(new Date(Date.parse(to) - 6 * 86400_000));
  const end = Date.parse(to) + 86400_000;
  const query = new URLSearchParams({ from: `${from}T00:00:00.000Z`, by: "tenant,type" });
  if (end < now.getTime()) query.set("to", new Date(end).toISOString());
  return { from, to, query: query.toString() };
}

function chartOption(r: UsageReport) {
  const tenants = [...new Set(r.rows.map((x) => x.tenant ?? ""))];
  const types = [...new Set(r.rows.map((x) => x.type ?? ""))];
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 56, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: tenants },
    yAxis: { type: "value" },
    series: types.map((ty) => ({
      name: ty,
      type: "bar",
      stack: "hours",
      itemStyle: { color: typeColor(ty) },
      data: tenants.map((tn) =>
        Number((r.rows.find((x) => x.tenant === tn && x.type === ty)?.deviceHours ?? 0).toFixed(3)),
      ),
    })),
  };
}

export function UsageView(props: { query: URLSearchParams }) {
  const { t } = useApp();
  const period = usagePeriod(props.query);
  const polled = usePoll(
    () => api<UsageReport>(`/v1/usage?${period.query}`),
    [period.query],
    10_000,
  );
  const option = useMemo(() => (polled.data ? chartOption(polled.data) : null), [polled.data]);
  const apply = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    navigate(`/usage?from=${f.get("from")}&to=${f.get("to")}`);
  };
  const download = async () => {
    const res = await apiFetch(`/v1/usage?${period.query}&format=csv`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `usage-${period.from}-${period.to}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div class="view usage">
      <h1>{t("usage.title")}</h1>
      <form class="filters" onSubmit={apply}>
        <label>
          {t("usage.from")} <input type="date" name="from" value={period.from} />
        </label>
        <label>
          {t("usage.to")} <input type="date" name="to" value={period.to} />
        </label>
        <button type="submit">{t("usage.apply")}</button>
        <button type="button" data-action="csv" onClick={download}>
          {t("usage.csv")}
        </button>
      </form>
      <Status polled={polled} />
      {polled.data && option && (
        <>
          <h2>{t("usage.chart")}</h2>
          <Chart option={option} label={t("usage.chart")} />
          <table class="grid usage-table">
            <thead>
              <tr>
                <th>{t("usage.tenant")}</th>
                <th>{t("usage.type")}</th>
                <th>{t("usage.hours")}</th>
                <th>{t("usage.runs")}</th>
              </tr>
            </thead>
            <tbody>
              {polled.data.rows.map((r) => (
                <tr key={`${r.tenant}/${r.type}`}>
                  <td>{r.tenant}</td>
                  <td>{r.type}</td>
                  <td class="num">{formatNumber(r.deviceHours, 3)}</td>
                  <td class="num">{r.runs}</td>
                </tr>
              ))}
              <tr class="total">
                <td colSpan={2}>{t("usage.total")}</td>
                <td class="num">{formatNumber(polled.data.total.deviceHours, 3)}</td>
                <td class="num">{polled.data.total.runs}</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
