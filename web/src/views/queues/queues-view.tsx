/**
 * Queues and tenants: per tenant and device type, guarantee vs used vs borrowed (a bar
 * chart for one device type, and the table for all), the fair-share factor, pending
 * count and oldest wait. Polled.
 */
import { useMemo, useState } from "preact/hooks";
import { api } from "../../api.ts";
import { Chart } from "../../components/chart.tsx";
import { Status } from "../../components/status.tsx";
import { useApp } from "../../context.ts";
import { formatDuration, formatNumber, shortType } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import type { Queue, Tenant } from "../../types.ts";

function tenantChart(queues: readonly Queue[], type: string, t: ReturnType<typeof useApp>["t"]) {
  const tops = queues.filter((q) => !q.path.includes("/"));
  const val = (q: Queue, k: "guaranteed" | "used" | "borrowed") => q.types[type]?.[k] ?? 0;
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: tops.map((q) => q.path) },
    yAxis: { type: "value", name: shortType(type) },
    series: [
      {
        name: t("queues.guaranteed"),
        type: "bar",
        data: tops.map((q) => val(q, "guaranteed")),
        itemStyle: { color: "#9ab6e8" },
      },
      {
        name: t("queues.used"),
        type: "bar",
        data: tops.map((q) => val(q, "used")),
        itemStyle: { color: "#2f6fde" },
      },
      {
        name: t("queues.borrowed"),
        type: "bar",
        data: tops.map((q) => val(q, "borrowed")),
        itemStyle: { color: "#d0346b" },
      },
    ],
  };
}

export function QueuesView() {
  const { t } = useApp();
  const polled = usePoll(async () => {
    const [queues, tenants] = await Promise.all([
      api<{ items: Queue[] }>("/v1/queues"),
      api<{ items: Tenant[] }>("/v1/tenants"),
    ]);
    return { queues: queues.items, tenants: tenants.items };
  }, []);
  const queues = polled.data?.queues ?? [];
  const types = queues.length > 0 ? Object.keys(queues[0].types) : [];
  const [picked, setType] = useState<string | null>(null);
  const type = picked ?? types[0] ?? "";
  const option = useMemo(() => tenantChart(queues, type, t), [polled.data, type, t]);
  const names = new Map((polled.data?.tenants ?? []).map((x) => [x.id, x.displayName]));
  return (
    <div class="view queues">
      <h1>{t("queues.title")}</h1>
      <Status polled={polled} />
      {polled.data && (
        <>
          <label class="inline">
            {t("queues.type")}{" "}
            <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
              {types.map((ty) => (
                <option key={ty} value={ty}>
                  {ty}
                </option>
              ))}
            </select>
          </label>
          <h2>{t("queues.chart")}</h2>
          <Chart option={option} label={t("queues.chart")} height={300} />
          <div class="scroll">
            <table class="grid queues-table">
              <thead>
                <tr>
                  <th>{t("queues.queue")}</th>
                  <th>{t("queues.weight")}</th>
                  <th title={t("queues.fairShareHelp")}>{t("queues.fairShare")} ⓘ</th>
                  {types.map((ty) => (
                    <th key={ty} title={ty}>
                      {shortType(ty)}
                      <br />
                      <small>
                        {t("queues.used")} / {t("queues.guaranteed")} (+{t("queues.borrowed")})
                      </small>
                    </th>
                  ))}
                  <th>{t("queues.running")}</th>
                  <th>{t("queues.pending")}</th>
                  <th>{t("queues.oldestWait")}</th>
                </tr>
              </thead>
              <tbody>
                {queues.map((q) => {
                  const depth = q.path.split("/").length - 1;
                  return (
                    <tr key={q.path} class={depth === 0 ? "tenant-row" : ""} data-queue={q.path}>
                      <td style={{ paddingLeft: `${0.5 + depth * 1.2}em` }}>
                        {depth === 0 ? <b>{q.path}</b> : q.path.split("/").pop()}
                        {depth === 0 && names.get(q.path) ? (
                          <small> {names.get(q.path)}</small>
                        ) : null}
                      </td>
                      <td class="num">{q.weight}</td>
                      <td class="num">{formatNumber(q.fairShare, 3)}</td>
                      {types.map((ty) => {
                        const v = q.types[ty];
                        return (
                          <td key={ty} class="num">
                            {formatNumber(v.used)} / {formatNumber(v.guaranteed)}
                            {v.borrowed > 0 ? (
                              <span class="borrowed"> +{formatNumber(v.borrowed)}</span>
                            ) : null}
                          </td>
                        );
                      })}
                      <td class="num">{q.running}</td>
                      <td class="num">{q.pending}</td>
                      <td class="num">{formatDuration(q.oldestWaitSeconds)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
