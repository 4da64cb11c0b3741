/**
 * Reads a capacity-events file for `simulate --capacity`: CSV with columns
 * `time,node,kind` (seconds, a node id of the fleet, join|leave|fail), one change per
 * row. Every bad row is reported with file:line and column, like a trace row.
 */
import { GongjangError } from "../core/errors.ts";
import { type Fleet, fleetNodes } from "../core/model/fleet.ts";
import { CAPACITY_KINDS, type CapacityEvent, type CapacityKind } from "../sim/capacity.ts";
import { parseCsv } from "../trace/csv.ts";
import { readTraceText } from "../trace/source.ts";

const COLUMNS = ["time", "node", "kind"] as const;

/** Parses and checks the file against `fleet`; throws GJ_ERR_TRACE_FORMAT / GJ_ERR_TRACE_ROW. */
export function readCapacityEvents(path: string, fleet: Fleet): CapacityEvent[] {
  const table = parseCsv(readTraceText(path), path);
  const header = table.header.map((h) => h.trim());
  if (COLUMNS.some((c, i) => header[i] !== c) || header.length !== COLUMNS.length) {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      `expected the header "${COLUMNS.join(",")}", got "${header.join(",")}"`,
      { file: path, line: table.headerLine },
    );
  }
  const nodes = new Set([...fleetNodes(fleet)].map(({ node }) => node.id));
  return table.rows.map(({ line, cells, problem }) => {
    const bad = (column: string, what: string) =>
      new GongjangError("GJ_ERR_TRACE_ROW", `column ${column}: ${what}`, { file: path, line });
    if (problem !== undefined) throw bad("*", problem);
    const [timeText, node, kindText] = cells.map((c) => c.trim());
    const time = Number(timeText);
    if (timeText === "" || !Number.isFinite(time) || time < 0) {
      throw bad("time", `expected seconds ≥ 0, got "${timeText}"`);
    }
    if (!nodes.has(node)) throw bad("node", `no node "${node}" in fleet ${fleet.name}`);
    if (!(CAPACITY_KINDS as readonly string[]).includes(kindText)) {
      throw bad("kind", `expected ${CAPACITY_KINDS.join("|")}, got "${kindText}"`);
    }
    return { time, node, kind: kindText as CapacityKind };
  });
}
