/**
 * Formatting for the client commands' human output: tables, durations, device counts.
 * Pure functions of their arguments (the current time is passed in), so tests can pin
 * them down exactly.
 */

/** A table column; `right` aligns numbers, everything else is left-aligned. */
export interface Col<T> {
  readonly title: string;
  readonly cell: (row: T) => string;
  readonly right?: boolean;
}

/**
 * An aligned table like squeue's: a header line, then one line per row, columns two
 * spaces apart and no trailing spaces. Unlike text-table.ts's alignedTable, text
 * columns stay left-aligned, which reads better for names and reasons.
 */
export function table<T>(columns: readonly Col<T>[], rows: readonly T[]): string {
  const cells = [columns.map((c) => c.title), ...rows.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const lines = cells.map((row) =>
    row
      .map((cell, i) => (columns[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}

/** `text` cut to `max` characters, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? "…".slice(0, max) : `${text.slice(0, max - 1)}…`;
}

/**
 * A short duration as squeue-like humans read it: 42s, 3m05s, 2h07m, 3d04h.
 * Negative durations (clock skew) show as 0s.
 */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}h`;
}

/**
 * A device type's short name for tables: the vendor prefix and a memory suffix go,
 * e.g. nvidia-h100-80g → h100, nvidia-vr-nvl144 → vr-nvl144, furiosa-rngd → rngd.
 */
export function shortType(type: string): string {
  const parts = type.split("-");
  const rest = parts.length > 1 ? parts.slice(1) : parts;
  if (rest.length > 1 && /^\d+g$/i.test(rest[rest.length - 1])) rest.pop();
  return rest.join("-");
}

/** The parts of a job spec that say how many devices it asks for. */
export interface DeviceAsk {
  readonly members?: number;
  readonly devices?: number;
  readonly deviceShare?: number;
  readonly deviceTypes?: readonly string[];
}

/**
 * "2×8 h100" (members × devices per member, type): the type it runs on when known,
 * else the accepted types joined by "|", else "any". One member prints without "1×";
 * a fractional device prints its share ("0.25 h100"); a CPU-only job prints "cpu".
 */
export function deviceSummary(ask: DeviceAsk, runningOn?: string | null): string {
  const members = ask.members ?? 1;
  const devices = ask.devices ?? 1;
  if (devices === 0) return members === 1 ? "cpu" : `${members}×cpu`;
  const types =
    runningOn !== undefined && runningOn !== null
      ? shortType(runningOn)
      : (ask.deviceTypes ?? []).length > 0
        ? (ask.deviceTypes ?? []).map(shortType).join("|")
        : "any";
  const per =
    devices === 1 && ask.deviceShare !== undefined && ask.deviceShare < 1
      ? String(ask.deviceShare)
      : String(devices);
  return `${members === 1 ? per : `${members}×${per}`} ${types}`;
}

/** ms since epoch (or an ISO string) → "2026-11-23 09:05:00Z"; null → "-". */
export function timestamp(t: string | number | null | undefined): string {
  if (t === null || t === undefined) return "-";
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${d.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Seconds between an ISO time and `nowMs`. */
export function secondsSince(iso: string, nowMs: number): number {
  return (nowMs - Date.parse(iso)) / 1000;
}

/** 1234567.8 → "1,234,568"; small fractions keep up to `digits` decimals. */
export function num(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: Math.abs(n) >= 1000 ? 0 : digits });
}

/** Key/value lines with the keys padded to one width ("name:    llm-7b"). */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${v}\n`).join("");
}
