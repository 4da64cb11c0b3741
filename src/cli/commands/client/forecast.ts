/**
 * `gongjang forecast ID`: when a pending job will start, from GET /v1/jobs/:id/forecast:
 * P10/P50/P90 (in how long, and when) and why it waits. `eta()` is the queue table's
 * ETA cell from the same answer.
 */
import type { Command } from "commander";
import { type ClientEnv, clientAction } from "../../client/command.ts";
import { duration } from "../../client/format.ts";
import { jsonText } from "../../client/io.ts";
import type { Forecast } from "../../client/types.ts";
import { jobId } from "./cancel.ts";

/** Adds `forecast` to `program`. */
export function registerForecast(program: Command, env: ClientEnv): void {
  const cmd = program
    .command("forecast")
    .description("when a pending job will start: P10/P50/P90 from Monte Carlo runs, and why")
    .argument("<id>", "job id");
  clientAction<object, [string]>(cmd, env, async ({ api, io, opts, now }, id) => {
    const f = await api.get<Forecast>(`/v1/jobs/${jobId(id)}/forecast`);
    io.out(opts.json ? jsonText(f) : forecastText(f, now));
  });
}

/** "in 2h10m (11:10Z)", "now", or "never / not within the horizon". */
function when(iso: string | null, nowMs: number): string {
  if (iso === null) return "-";
  const s = (Date.parse(iso) - nowMs) / 1000;
  return `${s <= 0 ? "now" : `in ${duration(s)}`}  ${iso}`;
}

/**
 *   job 42: starts in 2h10m (P50), between 1h05m and 5h30m (P10–P90)
 *     P10  in 1h05m  2026-11-23T11:05:00.000Z
 *     P50  in 2h10m  2026-11-23T12:10:00.000Z
 *     P90  in 5h30m  2026-11-23T15:30:00.000Z
 *     why  behind 3 jobs of your queue; waits for 16 free devices (2 × 8, …)
 *     from 20 runs computed 2026-11-23T10:00:00.000Z
 */
export function forecastText(f: Forecast, nowMs: number): string {
  const head = `job ${f.jobId}: `;
  switch (f.status) {
    case "computing":
      return `${head}no forecast yet (computing); ask again shortly\n`;
    case "started":
      return `${head}started ${f.p50}\n`;
    case "ended":
      return `${head}${f.reason}\n`;
    case "forecast":
      break;
    default: {
      const never: never = f.status;
      return `${head}${String(never)}\n`;
    }
  }
  const summary =
    f.outcome === "never"
      ? "never starts on this fleet"
      : f.outcome === "beyond-horizon"
        ? "does not start within the forecast horizon in most runs"
        : `starts ${eta(f, nowMs)} (P50)`;
  return [
    `${head}${summary}`,
    `  P10  ${when(f.p10, nowMs)}`,
    `  P50  ${when(f.p50, nowMs)}`,
    `  P90  ${when(f.p90, nowMs)}`,
    `  why  ${f.reason}`,
    `  from ${f.runs} runs computed ${f.computedAt ?? "-"}; ${
      f.calibratedOn > 0
        ? `band calibrated on ${f.calibratedOn} past forecasts`
        : "band as simulated (no past forecasts yet)"
    }`,
    "",
  ].join("\n");
}

/** The queue's ETA cell: "now", "in 2h10m", "never", ">horizon", "…" (computing), "-". */
export function eta(f: Forecast | undefined, nowMs: number): string {
  if (f === undefined || f.status !== "forecast") return f?.status === "computing" ? "…" : "-";
  if (f.outcome === "never") return "never";
  if (f.p50 === null) return ">horizon";
  const s = (Date.parse(f.p50) - nowMs) / 1000;
  return s <= 0 ? "now" : `in ${duration(s)}`;
}
