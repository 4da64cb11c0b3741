/** How a start-time forecast reads: the jobs table's ETA cell and the job page's times (pure). */
import { formatClock, formatSpan } from "../../format.ts";
import type { T } from "../../i18n/index.ts";
import type { Forecast } from "../../types.ts";

/** The ETA cell while a forecast is being computed (the next poll fills it). */
export const COMPUTING_CELL = "—";

/** "in 2 h 10 min" (parts 2) or "in 2 h" (parts 1); "now" once the time has come. */
export function relativeStart(iso: string, now: number, t: T, parts: 1 | 2 = 2): string {
  const s = (Date.parse(iso) - now) / 1000;
  if (s <= 0) return t("eta.now");
  return t("eta.in", { d: formatSpan(s, (u, n) => t(`unit.${u}`, { n }), parts) });
}

/** "in 2 h 10 min (12:10)"; null (no start within the horizon) as "beyond the horizon". */
export function startText(iso: string | null, now: number, t: T): string {
  if (iso === null) return t("eta.beyond");
  return `${relativeStart(iso, now, t)} (${formatClock(iso, now)})`;
}

/**
 * A pending job's ETA cell from its P50, as `gongjang queue` shows it: "in 2 h", "now",
 * "never", "beyond horizon", "—" while computing; "" without a forecast (not pending, or
 * the batch failed).
 */
export function etaText(f: Forecast | undefined, now: number, t: T): string {
  if (f === undefined) return "";
  switch (f.status) {
    case "computing":
      return COMPUTING_CELL;
    case "started":
      return t("eta.now"); // it started after the table's job list was read
    case "ended":
      return "";
    case "forecast":
      if (f.outcome === "never") return t("eta.never");
      return f.p50 === null ? t("eta.beyond") : relativeStart(f.p50, now, t, 1);
    default: {
      const never: never = f.status;
      return String(never);
    }
  }
}
