/**
 * Number and duration formatting for reports. Everything here is locale-free
 * (no toLocaleString, no Intl) so the same input gives byte-identical HTML on every
 * machine; non-finite input renders as an en dash rather than "NaN".
 */

/** Shown wherever a value is missing or undefined (no samples, NaN, ±Infinity). */
export const MISSING = "–";

/** A unit a duration axis can be drawn in: its short name and its length in seconds. */
export interface DurationUnit {
  readonly name: "s" | "min" | "h" | "d";
  readonly seconds: number;
}

const UNITS: readonly DurationUnit[] = [
  { name: "s", seconds: 1 },
  { name: "min", seconds: 60 },
  { name: "h", seconds: 3600 },
  { name: "d", seconds: 86400 },
];

/**
 * Three significant digits without exponent notation: 0.123, 4.56, 78.9, 1234.
 * Integers ≥ 100 keep all their digits because dropping them would lie about size.
 */
export function formatSig(x: number): string {
  if (!Number.isFinite(x)) return MISSING;
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1 || a === 0) return x.toFixed(2);
  return x.toPrecision(2);
}

/**
 * A duration in seconds as a human reads it: "350 ms", "42.0 s", "12.5 min",
 * "3.20 h", "1.50 d". The unit switches at the point where the next one reads ≥ 1,
 * so a value never shows as "90 s" next to "1.50 min". Negative input keeps its sign.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return MISSING;
  const a = Math.abs(seconds);
  if (a === 0) return "0 s";
  if (a < 1) return `${formatSig(seconds * 1000)} ms`;
  let unit = UNITS[0];
  for (const u of UNITS) if (a >= u.seconds) unit = u;
  return `${formatSig(seconds / unit.seconds)} ${unit.name}`;
}

/**
 * A short duration label for axis ticks: like formatDuration but without padding
 * zeros, so round ticks read "10 s", "1 min", "1 d".
 */
export function formatDurationTick(seconds: number): string {
  if (!Number.isFinite(seconds)) return MISSING;
  const a = Math.abs(seconds);
  if (a === 0) return "0";
  if (a < 1) return `${Number((seconds * 1000).toPrecision(3))} ms`;
  let unit = UNITS[0];
  for (const u of UNITS) if (a >= u.seconds) unit = u;
  return `${Number((seconds / unit.seconds).toPrecision(3))} ${unit.name}`;
}

/**
 * The unit to draw an axis spanning 0..maxSeconds in, chosen so tick labels stay
 * short: up to 2 min in seconds, up to 2 h in minutes, up to 2 d in hours, beyond in days.
 */
export function durationUnit(maxSeconds: number): DurationUnit {
  const a = Number.isFinite(maxSeconds) ? Math.abs(maxSeconds) : 0;
  if (a <= 120) return UNITS[0];
  if (a <= 7200) return UNITS[1];
  if (a <= 172800) return UNITS[2];
  return UNITS[3];
}

/** A percentage already in 0..100 units, e.g. 73.4 → "73.4%". */
export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)}%` : MISSING;
}

/** A fixed-point number, e.g. a Jain's index to 3 decimals. */
export function formatFixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : MISSING;
}

/** An integer count with comma thousands separators: 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  const s = Math.round(Math.abs(n)).toString();
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `-${grouped}` : grouped;
}
