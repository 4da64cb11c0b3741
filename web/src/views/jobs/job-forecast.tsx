/**
 * A pending job's start forecast on its page: the P50 ("in 2 h 10 min (12:10)"), the
 * P10–P90 range, the outcome when it never starts or not within the horizon, the reason,
 * and what it rests on (Monte Carlo runs, when, how the band was calibrated).
 */
import { ApiError, api } from "../../api.ts";
import { useApp } from "../../context.ts";
import { formatClock } from "../../format.ts";
import type { Forecast } from "../../types.ts";
import { startText } from "./forecast-format.ts";

/** A forecast, or why none could be read (the rest of the page still shows). */
export type ForecastLoad = Forecast | { readonly error: string };

/**
 * GET /v1/jobs/:id/forecast. api() does not throw on 202 (it is 2xx): that answer is the
 * "computing" view, and the route has already started a computation, so the next poll
 * usually finds the forecast.
 */
export async function loadForecast(id: number): Promise<ForecastLoad> {
  try {
    return await api<Forecast>(`/v1/jobs/${id}/forecast`);
  } catch (err) {
    return { error: err instanceof ApiError ? `${err.code}: ${err.message}` : String(err) };
  }
}

export function JobForecast(props: { forecast: ForecastLoad; now: number }) {
  const { t } = useApp();
  const f = props.forecast;
  const now = props.now;
  if ("error" in f)
    return (
      <section class="forecast card" data-forecast="error">
        <h2>{t("forecast.title")}</h2>
        <p class="error">{t("forecast.unavailable", { msg: f.error })}</p>
      </section>
    );
  // Started or ended since the job was read: the next poll shows the job's new state.
  if (f.status === "started" || f.status === "ended") return null;
  if (f.status === "computing")
    return (
      <section class="forecast card" data-forecast="computing">
        <h2>{t("forecast.title")}</h2>
        <p class="hint">{t("forecast.computing")}</p>
      </section>
    );
  const outcome =
    f.outcome === "never"
      ? t("forecast.never")
      : f.outcome === "beyond-horizon"
        ? t("forecast.beyondHorizon")
        : null;
  const band =
    f.calibratedOn > 0
      ? t("forecast.calibrated", { n: f.calibratedOn })
      : t("forecast.uncalibrated");
  return (
    <section class="forecast card" data-forecast={f.outcome ?? f.status}>
      <h2>{t("forecast.title")}</h2>
      <dl class="facts">
        <dt>{t("forecast.p50")}</dt>
        <dd data-forecast-p50>
          {outcome === null ? <b>{startText(f.p50, now, t)}</b> : <b class="outcome">{outcome}</b>}
        </dd>
        {f.outcome !== "never" && (
          <>
            <dt>{t("forecast.range")}</dt>
            <dd data-forecast-range>
              {startText(f.p10, now, t)} – {startText(f.p90, now, t)}
            </dd>
          </>
        )}
        <dt>{t("forecast.reason")}</dt>
        <dd data-forecast-reason>{f.reason}</dd>
      </dl>
      <p class="hint" data-forecast-basis>
        {t("forecast.basis", {
          runs: f.runs,
          time: f.computedAt === null ? "–" : formatClock(f.computedAt, now),
          band,
        })}
      </p>
    </section>
  );
}
