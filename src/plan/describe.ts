/** A variant's changes in words, for the table, the report and the summary. */
import { formatDuration } from "../sim/report/format.ts";
import { type Change, ChangeKind } from "./types.ts";

const DAY = 86400;

/** "day 7" for whole days, else a duration from the start ("day 2.5" → "60.0 h"). */
function when(t: number): string {
  return t % DAY === 0 ? `day ${t / DAY}` : `${formatDuration(t)} in`;
}

function span(s: number): string {
  const a = Math.abs(s);
  return a % DAY === 0 ? `${a / DAY} d` : formatDuration(a);
}

/** One change as a short phrase: "tranche h100-pods-2-3 30 d later". */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case ChangeKind.ShiftTranche:
      return `tranche ${c.tranche} ${span(c.by)} ${c.by >= 0 ? "later" : "earlier"}`;
    case ChangeKind.AddDevices:
      return `+${c.devices} ${c.deviceType}${c.like ? ` (like ${c.like})` : ""}${c.at > 0 ? ` on ${when(c.at)}` : " from the start"}`;
    case ChangeKind.RemoveDevices:
      return `−${c.devices} ${c.deviceType} ${c.at > 0 ? `from ${when(c.at)}` : "from the start"}`;
    case ChangeKind.RetireNodes:
      return `retire ${c.nodes.length} node${c.nodes.length === 1 ? "" : "s"} (${c.nodes.slice(0, 3).join(", ")}${c.nodes.length > 3 ? ", …" : ""}) on ${when(c.at)}`;
    case ChangeKind.ScaleDemand: {
      const d = c.demand;
      const who = `${d.queue ?? "all tenants"}${d.class ? ` ${d.class}` : ""} demand`;
      const parts: string[] = [];
      if (d.factor !== undefined) parts.push(`×${d.factor}`);
      if (d.rate !== undefined)
        parts.push(
          `${d.rate >= 0 ? "+" : "−"}${Math.abs(d.rate * 100)}% per ${span(d.per ?? 30 * DAY)}`,
        );
      return `${who} ${parts.join(", then ")}${(d.from ?? 0) > 0 ? ` from ${when(d.from ?? 0)}` : ""}`;
    }
    case ChangeKind.SetGuarantee:
      return `${c.queue} guaranteed ${c.guaranteed} ${c.deviceType}`;
    case ChangeKind.SetDeviceTypes:
      return `${c.queue} ${c.class} runs on ${c.deviceTypes.join(", ")}`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}
