/** The fleet page: allocation per device type, the legend and the heat map (polled). */
import { api } from "../../api.ts";
import { Status } from "../../components/status.tsx";
import { useApp } from "../../context.ts";
import { formatNumber } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import type { FleetSummary } from "../../types.ts";
import { FleetLegend, FleetMap } from "./fleet-map.tsx";
import { loadNodes } from "./load.ts";
import { typeColor } from "./node-state.ts";

export function FleetView() {
  const { t } = useApp();
  const polled = usePoll(async () => {
    const [summary, nodes] = await Promise.all([api<FleetSummary>("/v1/fleet"), loadNodes()]);
    return { summary, nodes };
  }, []);
  const d = polled.data;
  return (
    <div class="view fleet">
      <h1>
        {t("fleet.title")} {d && <small>{d.summary.name}</small>}
      </h1>
      <Status polled={polled} />
      {d && (
        <>
          <div class="cards">
            <div class="card stat">
              <b>{t("fleet.nodes", { n: d.summary.nodes.total })}</b>
              <span>
                {(["cordoned", "draining", "down"] as const)
                  .filter((s) => d.summary.nodes[s] > 0)
                  .map((s) => `${t(`fleet.state.${s}`)} ${d.summary.nodes[s]}`)
                  .join(" · ")}
              </span>
            </div>
            {d.summary.deviceTypes.map((ty) => (
              <div key={ty.id} class="card stat" data-type={ty.id}>
                <b style={{ color: typeColor(ty.id) }}>{ty.id}</b>
                <span>
                  {t("fleet.allocated", { used: formatNumber(ty.allocated), total: ty.total })}
                </span>
                <meter min={0} max={ty.total} value={ty.allocated} />
              </div>
            ))}
          </div>
          <FleetLegend types={d.summary.deviceTypes.map((x) => x.id)} />
          <FleetMap nodes={d.nodes} />
        </>
      )}
    </div>
  );
}
