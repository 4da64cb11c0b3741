/** How a node is drawn: its category for the map, and a colour per device type (pure). */
import type { FleetNode } from "../../types.ts";

export const NodeCategory = {
  Free: "free",
  Busy: "busy",
  Fractional: "fractional",
  Cordoned: "cordoned",
  Draining: "draining",
  Down: "down",
} as const;
export type NodeCategory = (typeof NodeCategory)[keyof typeof NodeCategory];

/**
 * Operator state wins (down, draining, cordoned); else fractional when any device is
 * partly held (0 < free < 1), busy when any device is fully held, else free.
 */
export function nodeCategory(n: Pick<FleetNode, "state" | "free">): NodeCategory {
  switch (n.state) {
    case "down":
      return NodeCategory.Down;
    case "draining":
      return NodeCategory.Draining;
    case "cordoned":
      return NodeCategory.Cordoned;
    case "up":
      break;
    default: {
      const never: never = n.state;
      return never;
    }
  }
  if (n.free.some((f) => f > 0 && f < 1)) return NodeCategory.Fractional;
  if (n.free.some((f) => f < 1)) return NodeCategory.Busy;
  return NodeCategory.Free;
}

const PALETTE = ["#2f6fde", "#1a9c6b", "#c2601c", "#8e44ad", "#b8860b", "#d0346b", "#1b8ea8"];
const KNOWN: Record<string, string> = {
  "nvidia-vr-nvl144": "#2f6fde",
  "nvidia-h100-80g": "#1a9c6b",
  "rebellions-atom": "#c2601c",
  "furiosa-rngd": "#8e44ad",
};

/** A stable colour for a device type (known types fixed, others hashed into the palette). */
export function typeColor(type: string | null): string {
  if (type === null) return "#888888";
  if (KNOWN[type] !== undefined) return KNOWN[type];
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Nodes grouped site › rack › domain, in the order the API lists them (fleet order). */
export function groupNodes(
  nodes: readonly FleetNode[],
): Map<string, Map<string, Map<string, FleetNode[]>>> {
  const sites = new Map<string, Map<string, Map<string, FleetNode[]>>>();
  for (const n of nodes) {
    const racks = sites.get(n.site) ?? new Map<string, Map<string, FleetNode[]>>();
    sites.set(n.site, racks);
    const domains = racks.get(n.rack) ?? new Map<string, FleetNode[]>();
    racks.set(n.rack, domains);
    const list = domains.get(n.domain) ?? [];
    domains.set(n.domain, list);
    list.push(n);
  }
  return sites;
}
