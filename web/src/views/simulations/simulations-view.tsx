/** The simulation reports the service finds under its reports directory (GET /v1/simulations). */
import { api } from "../../api.ts";
import { Status } from "../../components/status.tsx";
import { useApp } from "../../context.ts";
import { formatBytes, formatTime } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import { linkClick, withLang } from "../../router.ts";
import type { Report } from "../../types.ts";

export function SimulationsView() {
  const { t } = useApp();
  const polled = usePoll(() => api<{ items: Report[] }>("/v1/simulations"), [], 15_000);
  const items = polled.data?.items ?? [];
  return (
    <div class="view simulations">
      <h1>{t("sims.title")}</h1>
      <p>{t("sims.dir")}</p>
      <Status polled={polled} />
      {polled.data &&
        (items.length === 0 ? (
          <p>{t("sims.empty")}</p>
        ) : (
          <table class="grid reports">
            <thead>
              <tr>
                <th>{t("sims.report")}</th>
                <th>{t("sims.modified")}</th>
                <th>{t("sims.size")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.path} data-report={r.path}>
                  <td>
                    <a href={withLang(`/simulations/${r.path}`)} onClick={linkClick}>
                      {r.title}
                    </a>
                    <br />
                    <small>{r.path}</small>
                  </td>
                  <td>{formatTime(r.modifiedAt)}</td>
                  <td class="num">{formatBytes(r.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
