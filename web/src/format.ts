/** Number, time and duration formatting shared by the views (pure). */

/** A duration in seconds as "45s", "12m", "3h 05m", "2d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** A number with at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(v: number, digits = 2): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(digits)));
}

/** Bytes as "12.3 KB" / "1.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** An ISO time as local "YYYY-MM-DD HH:MM:SS". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A device type's short label: "nvidia-h100-80g" → "h100-80g". */
export function shortType(type: string | null): string {
  if (type === null) return "cpu";
  return type.replace(/^(nvidia|rebellions|furiosa)-/, "");
}

export type SpanUnit = "d" | "h" | "min";

/**
 * A coarse duration for forecasts, rounded, largest unit first and zero parts dropped:
 * with `parts` 2 "45 min", "2 h 10 min", "1 h", "3 d 4 h"; with 1 "45 min", "2 h", "3 d".
 * Negative is 0. `unit` words one number in the reader's language ("{n} h", "{n}시간").
 */
export function formatSpan(
  seconds: number,
  unit: (u: SpanUnit, n: number) => string,
  parts: 1 | 2 = 2,
): string {
  const min = Math.max(0, Math.round(seconds / 60));
  if (min < 60) return unit("min", min);
  const two = (u: SpanUnit, a: number, v: SpanUnit, b: number) =>
    parts === 1 || b === 0 ? unit(u, a) : `${unit(u, a)} ${unit(v, b)}`;
  if (min < 1440) {
    // Two parts: to the minute; one: to the nearest hour (119 min = "2 h").
    if (parts === 2) return two("h", Math.floor(min / 60), "min", min % 60);
    const h = Math.round(min / 60);
    if (h < 24) return unit("h", h);
  }
  const hours = Math.round(min / 60);
  if (parts === 1) return unit("d", Math.round(hours / 24));
  return two("d", Math.floor(hours / 24), "h", hours % 24);
}

/** An ISO time as local "HH:MM", or "MM-DD HH:MM" when not on `now`'s local day. */
export function formatClock(iso: string, now: number): string {
  const d = new Date(iso);
  const n = new Date(now);
  const p = (x: number) => String(x).padStart(2, "0");
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === n.getFullYear() &&
    d.getMonth() === n.getMonth() &&
    d.getDate() === n.getDate();
  return sameDay ? hm : `${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`;
}
