import { isScalar, LineCounter, parseDocument } from "yaml";
import { GongjangError } from "../core/errors.ts";
import type { DeviceType, Domain, Fleet, FleetNode, Rack, Site } from "../core/model/fleet.ts";
import { type Field, type Issue, readYamlFile, YamlChecker } from "./yaml-check.ts";

/** Ids become parts of `site/rack/domain` keys and CLI output, so keep them plain. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Upper bound on `count` for one node entry; guards against a typo that would hang expansion. */
export const MAX_NODE_COUNT = 1_000_000;

/**
 * Parses and validates a fleet file's text. `file` is used only in messages.
 * Returns a Fleet whose ids are unique (device types, sites, racks within a site,
 * domains within a rack, nodes fleet-wide after `count` expansion) and whose nodes
 * reference declared device types. Throws GongjangError GJ_ERR_FLEET_INVALID whose
 * `details` list every problem as `file:line path: message`, sorted by line; YAML
 * syntax errors are reported the same way.
 */
export function parseFleetYaml(text: string, file: string): Fleet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const details = doc.errors.map(
      (e) => `${file}:${lines.linePos(e.pos[0]).line} (yaml): syntax error: ${e.message}`,
    );
    throw invalid(file, [...new Set(details)]);
  }
  const checker = new YamlChecker(doc, lines);
  const fleet = new FleetReader(checker).fleet(checker.root());
  if (checker.issues.length > 0) throw invalid(file, sortedDetails(file, checker.issues));
  return fleet;
}

/**
 * Reads and parses a fleet file from disk. Throws GJ_ERR_FILE_NOT_FOUND when `path`
 * is not a readable file, and GJ_ERR_FLEET_INVALID as parseFleetYaml does.
 */
export function loadFleetFile(path: string): Fleet {
  return parseFleetYaml(readYamlFile(path, "fleet file"), path);
}

function invalid(file: string, details: string[]): GongjangError {
  const n = details.length;
  return new GongjangError(
    "GJ_ERR_FLEET_INVALID",
    `${n} ${n === 1 ? "error" : "errors"} in fleet file`,
    { file },
    details,
  );
}

const byId = (v: { readonly id: string }): string => v.id;

function sortedDetails(file: string, issues: readonly Issue[]): string[] {
  // Stable sort: issues on one line keep the order they were found in.
  return [...issues]
    .sort((a, b) => a.line - b.line)
    .map((i) => `${file}:${i.line} ${i.path}: ${i.message}`);
}

/**
 * Walks the document top-down. Each reader returns what it could read, so a bad
 * field deep in one node does not hide problems in the next.
 */
class FleetReader {
  readonly #c: YamlChecker;
  readonly #typeIds = new Set<string>();
  /** Fleet-wide node ids after expansion, with where they were first declared. */
  readonly #nodeIds = new Map<string, Field>();

  constructor(checker: YamlChecker) {
    this.#c = checker;
  }

  fleet(root: Field): Fleet {
    const c = this.#c;
    const top = c.object(root, ["name", "deviceTypes", "sites"]);
    if (top === undefined) return { name: "", deviceTypes: [], sites: [] };
    const name = c.string(top.get("name")) ?? "";
    const deviceTypes = this.#each(
      top.get("deviceTypes"),
      "device type",
      (f) => this.#deviceType(f),
      byId,
    );
    for (const t of deviceTypes) this.#typeIds.add(t.id);
    const sites = this.#each(top.get("sites"), "site", (f) => this.#site(f), byId);
    return { name, deviceTypes, sites };
  }

  #deviceType(f: Field): DeviceType | undefined {
    const c = this.#c;
    const m = c.object(f, ["id", "vendor", "memoryGiB", "speed"]);
    if (m === undefined) return undefined;
    const id = this.#id(m.get("id"));
    const vendor = c.string(m.get("vendor"));
    const memoryGiB = c.number(m.get("memoryGiB"), { min: 0 });
    const speed = c.number(m.get("speed"), { above: 0 });
    if (id === undefined || vendor === undefined || memoryGiB === undefined || speed === undefined)
      return undefined;
    return { id, vendor, memoryGiB, speed };
  }

  #site(f: Field): Site | undefined {
    const c = this.#c;
    const m = c.object(f, ["id", "racks"], ["residency"]);
    if (m === undefined) return undefined;
    const id = this.#id(m.get("id"));
    const residencyField = m.get("residency");
    const residency = (c.array(residencyField) ?? []).map((r) => c.string(r));
    const racks = this.#each(m.get("racks"), "rack", (r) => this.#rack(r), byId);
    if (id === undefined || residency.some((r) => r === undefined)) return undefined;
    return { id, residency: residency as string[], racks };
  }

  #rack(f: Field): Rack | undefined {
    const m = this.#c.object(f, ["id", "domains"]);
    if (m === undefined) return undefined;
    const id = this.#id(m.get("id"));
    const domains = this.#each(m.get("domains"), "domain", (d) => this.#domain(d), byId);
    return id === undefined ? undefined : { id, domains };
  }

  #domain(f: Field): Domain | undefined {
    const m = this.#c.object(f, ["id", "nodes"]);
    if (m === undefined) return undefined;
    const id = this.#id(m.get("id"));
    const entries = this.#each(m.get("nodes"), "node", (n) => this.#nodes(n));
    return id === undefined ? undefined : { id, nodes: entries.flat() };
  }

  /** One node entry, expanded by `count` into `id-0 … id-(count-1)`. */
  #nodes(f: Field): FleetNode[] | undefined {
    const c = this.#c;
    const m = c.object(f, ["id", "devices", "cpu", "memoryGiB"], ["deviceType", "count"]);
    if (m === undefined) return undefined;
    const id = this.#id(m.get("id"));
    const devices = c.number(m.get("devices"), { integer: true, min: 0 });
    const cpu = c.number(m.get("cpu"), { above: 0 });
    const memoryGiB = c.number(m.get("memoryGiB"), { above: 0 });
    const countField = m.get("count");
    const count = c.number(countField, { integer: true, min: 1, max: MAX_NODE_COUNT });
    const deviceType = this.#deviceTypeRef(m.get("deviceType"));
    if (devices !== undefined && devices > 0 && deviceType === null) {
      c.report(f.line, `${f.path}.deviceType`, `required when devices > 0 (devices is ${devices})`);
      return undefined;
    }
    const cpuMilli = cpu === undefined ? undefined : Math.round(cpu * 1000);
    if (cpu !== undefined && Math.abs(cpu * 1000 - (cpuMilli ?? 0)) > 1e-6) {
      c.report(
        m.get("cpu")!.line,
        `${f.path}.cpu`,
        `expected a multiple of 0.001 cores, got ${cpu}`,
      );
      return undefined;
    }
    if (
      id === undefined ||
      devices === undefined ||
      cpuMilli === undefined ||
      memoryGiB === undefined ||
      deviceType === undefined ||
      (countField !== undefined && count === undefined)
    )
      return undefined;
    const memoryMiB = Math.round(memoryGiB * 1024);
    // `count` present (even 1) means "a template": ids get a -i suffix. Absent: as written.
    const ids = count === undefined ? [id] : Array.from({ length: count }, (_, i) => `${id}-${i}`);
    for (const nodeId of ids) {
      const first = this.#nodeIds.get(nodeId);
      if (first !== undefined) {
        const where = `${first.path} (line ${first.line})`;
        c.report(f.line, `${f.path}.id`, `node id "${nodeId}" is already used at ${where}`);
        return undefined; // one report per entry, not one per expanded id
      }
    }
    for (const nodeId of ids) this.#nodeIds.set(nodeId, f);
    return ids.map((nodeId) => ({ id: nodeId, deviceType, devices, cpuMilli, memoryMiB }));
  }

  /** null for a CPU-only node; undefined (reported) for a bad or undeclared reference. */
  #deviceTypeRef(f: Field | undefined): string | null | undefined {
    if (f === undefined || this.#c.isNull(f)) return null;
    const ref = this.#c.string(f);
    if (ref === undefined) return undefined;
    if (!this.#typeIds.has(ref)) {
      const declared = [...this.#typeIds].join(", ") || "none";
      this.#c.report(f.line, f.path, `unknown device type "${ref}" (declared: ${declared})`);
      return undefined;
    }
    return ref;
  }

  #id(f: Field | undefined): string | undefined {
    // `id: 01` is a number to YAML; as an id, the digits as written are what was meant.
    const node = f?.node;
    const id =
      isScalar(node) && typeof node.value === "number"
        ? (node.source ?? String(node.value))
        : this.#c.string(f);
    if (f === undefined || id === undefined) return undefined;
    if (!ID_PATTERN.test(id)) {
      this.#c.report(
        f.line,
        f.path,
        `invalid id "${id}" (letters, digits, ".", "_", "-"; starts alphanumeric)`,
      );
      return undefined;
    }
    return id;
  }

  /**
   * Reads an array of entries with `read`, dropping failed ones. With `idOf`, ids
   * must be unique in this array: the scope in which ClusterState tells entries apart
   * (types and sites fleet-wide, racks per site, domains per rack). Node ids are
   * checked fleet-wide in #nodes instead.
   */
  #each<T>(
    f: Field | undefined,
    what: string,
    read: (item: Field) => T | undefined,
    idOf?: (value: T) => string,
  ): T[] {
    const items = this.#c.array(f);
    if (f === undefined || items === undefined) return [];
    // An empty list is legal only for device types (a CPU-only fleet declares none).
    if (items.length === 0 && what !== "device type")
      this.#c.report(f.line, f.path, `expected at least one ${what}`);
    const seen = new Map<string, Field>();
    const out: T[] = [];
    for (const item of items) {
      const value = read(item);
      if (value === undefined) continue;
      const id = idOf?.(value);
      if (id !== undefined) {
        const first = seen.get(id);
        if (first !== undefined) {
          const where = `first at ${first.path}, line ${first.line}`;
          this.#c.report(item.line, `${item.path}.id`, `duplicate ${what} id "${id}" (${where})`);
          continue;
        }
        seen.set(id, item);
      }
      out.push(value);
    }
    return out;
  }
}
