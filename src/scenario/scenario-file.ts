/**
 * Scenario files: YAML → Scenario. The format is in docs/scenario-format.md.
 *
 * A file is read in two passes, and every problem of both is reported at once as
 * `file:line json.path: message` in one error: the schema (scenario-read.ts), then
 * the cross-checks against the fleet and tenancy it names (scenario-check.ts), for
 * skipping what a schema problem already explains. The error's code is the one its problems share:
 * GJ_ERR_TENANCY_INVALID (tenancy, class bindings), GJ_ERR_TENANT_UNKNOWN (queues the
 * tenancy lacks), the fleet's own code when the fleet cannot be loaded, and
 * GJ_ERR_WORKLOAD_INVALID for everything else and for a mix of kinds.
 */

import { dirname, resolve } from "node:path";
import { type ErrorCode, GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { createRng } from "../core/rng.ts";
import { OPEN_TENANCY, type TenancySpec } from "../core/tenancy/spec.ts";
import { loadFleet } from "../fleet/index.ts";
import { readYamlFile } from "../fleet/yaml-check.ts";
import { scenarioIssues } from "./scenario-check.ts";
import { readScenario } from "./scenario-read.ts";
import { drawScenario, type ScenarioSpec } from "./spec.ts";
import { loadTenancyDocument, type TenancySource } from "./tenancy-file.ts";
import type { Scenario } from "./types.ts";
import { type LineIndex, lineOf, openYaml } from "./yaml-read.ts";

/** Overrides a caller may apply to a scenario, built-in or file. */
export interface ScenarioOptions {
  /** Seed of the workload draw; default the file's `seed`, else 1. */
  readonly seed?: number;
  /** Horizon in days, replacing the file's `horizon`. */
  readonly days?: number;
  /** Multiplies arrival rates; default 1. */
  readonly scale?: number;
}

interface Located {
  readonly code: ErrorCode;
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly message: string;
  /** The details of a nested error (a fleet or tenancy file that failed), shown below it. */
  readonly details?: readonly string[];
}

/**
 * Parses a scenario file's text. `file` names it in messages, and relative `fleet:`
 * and `tenancy:` paths are resolved from its folder. Throws one GongjangError listing
 * every problem (see the file comment for its code); GJ_ERR_FILE_NOT_FOUND comes
 * through as a problem when a referenced file is missing.
 */
export function parseScenarioYaml(
  text: string,
  file: string,
  options: ScenarioOptions = {},
): Scenario {
  const spec = parseScenarioSpec(text, file, options);
  return drawScenario(spec, createRng(options.seed ?? spec.seed ?? 1));
}

/**
 * Parses and checks a scenario file's text as {@link parseScenarioYaml} does, but
 * stops before drawing the workloads: the spec a seed turns into a Scenario
 * (`drawScenario`). `seed` in `options` is ignored; `days` and `scale` apply.
 */
export function parseScenarioSpec(
  text: string,
  file: string,
  options: ScenarioOptions = {},
): ScenarioSpec {
  const { checker: c, lines, ok } = openYaml(text);
  const problems: Located[] = [];
  const fromChecker = (code: ErrorCode) => {
    for (const i of c.issues.splice(0)) problems.push({ code, file, ...i });
  };
  if (!ok) {
    fromChecker("GJ_ERR_WORKLOAD_INVALID");
    throw combined(file, problems);
  }
  const draft = readScenario(c, c.root());
  // Schema problems inside `tenancy:` are tenancy problems; the rest the scenario's.
  for (const i of c.issues.splice(0))
    problems.push({
      code: i.path.startsWith("tenancy") ? "GJ_ERR_TENANCY_INVALID" : "GJ_ERR_WORKLOAD_INVALID",
      file,
      ...i,
    });
  // Paths with schema problems: a cross-check on or under them would only repeat them.
  const dirty = problems.map((p) => p.path);
  const base = dirname(file);

  let fleet: Fleet | undefined;
  if (draft.fleet !== undefined) {
    const { spec, field } = draft.fleet;
    // As loadFleet decides: path-like specs are files (relative to this file), the rest names.
    const pathLike = /[/\\]/.test(spec) || /\.ya?ml$/i.test(spec);
    try {
      fleet = loadFleet(pathLike ? resolve(base, spec) : spec);
    } catch (err) {
      if (!(err instanceof GongjangError)) throw err;
      const { code, message, details } = err;
      problems.push({ code, file, line: field.line, path: "fleet", message, details });
    }
  }

  let tenancy: TenancySpec = OPEN_TENANCY;
  let tenancySource: TenancySource = { file, lines, prefix: "tenancy" };
  if (draft.tenancy !== undefined && "inline" in draft.tenancy) tenancy = draft.tenancy.inline;
  else if (draft.tenancy !== undefined) {
    const { path, field } = draft.tenancy;
    try {
      const located = loadTenancyDocument(resolve(base, path));
      tenancy = located.spec;
      tenancySource = located.source;
    } catch (err) {
      if (!(err instanceof GongjangError)) throw err;
      dirty.push("tenancy");
      const { code, message, details } = err;
      problems.push({ code, file, line: field.line, path: "tenancy", message, details });
    }
  }

  const horizon = options.days !== undefined ? options.days * 86400 : (draft.horizon ?? 1);
  const mix = {
    tenants: draft.tenants,
    ...(draft.load !== undefined && { load: draft.load }),
    ...(draft.rate !== undefined && { rate: draft.rate }),
    ...(draft.diurnal !== undefined && { diurnal: draft.diurnal }),
    ...(draft.growth.length > 0 && { growth: draft.growth }),
    scale: options.scale ?? 1,
  };
  if (fleet !== undefined) {
    const parts = {
      ...draft,
      fleet,
      tenancy,
      horizon,
      mix,
      bindings: draft.bindings,
      maintenance: draft.maintenance,
    };
    const tenancyBad = dirty.some((d) => d === "tenancy" || d.startsWith("tenancy."));
    const horizonBad = dirty.includes("horizon");
    for (const issue of scenarioIssues(parts)) {
      const i = { ...issue, path: fileIndexes(issue.path, draft.indexes) };
      const dependsOnTenancy =
        i.code === "GJ_ERR_TENANT_UNKNOWN" ||
        i.path.startsWith("workload.classes") ||
        i.path.startsWith("tenancy");
      if (dirty.some((d) => overlaps(d, i.path)) || (tenancyBad && dependsOnTenancy)) continue;
      if (horizonBad && i.path === "workload.horizon") continue;
      if (i.path === "workload.rate" && dirty.includes("workload.load")) continue;
      problems.push(locate(i, file, lines, tenancySource));
    }
  }
  if (problems.length > 0) throw combined(file, problems);

  return {
    name: draft.name,
    description: draft.description,
    fleet: fleet!,
    tenancy,
    tranches: draft.tranches,
    maintenance: draft.maintenance,
    retirements: draft.retirements,
    ...(draft.failures !== undefined && { failures: draft.failures }),
    reservations: draft.reservations,
    horizon,
    mix,
    bindings: draft.bindings,
    ...(draft.seed !== undefined && { seed: draft.seed }),
  };
}

/**
 * Reads a scenario file from disk. GJ_ERR_FILE_NOT_FOUND when `path` is not a file;
 * otherwise as {@link parseScenarioYaml}.
 */
export function loadScenarioFile(path: string, options: ScenarioOptions = {}): Scenario {
  return parseScenarioYaml(readYamlFile(path, "scenario file"), path, options);
}

/** Reads a scenario file's spec from disk; throws as {@link loadScenarioFile}. */
export function loadScenarioSpecFile(path: string, options: ScenarioOptions = {}): ScenarioSpec {
  return parseScenarioSpec(readYamlFile(path, "scenario file"), path, options);
}

/** True when one path is the other or inside it (`a.b` and `a.b[2].c`). */
function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string) =>
    x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return inside(a, b) || inside(b, a);
}

/** Rewrites a list index in `path` from the read entries' numbering to the file's. */
function fileIndexes(path: string, indexes: ReadonlyMap<string, readonly number[]>): string {
  for (const [key, list] of indexes) {
    if (!path.startsWith(`${key}[`)) continue;
    const m = /^\[(\d+)\]/.exec(path.slice(key.length));
    if (m === null) continue;
    const at = list[Number(m[1])];
    return `${key}[${at}]${path.slice(key.length + m[0].length)}`;
  }
  return path;
}

/** Where a cross-check issue points: this file, or the tenancy file it names. */
function locate(
  i: { code: ErrorCode; path: string; message: string },
  file: string,
  lines: LineIndex,
  tenancy: TenancySource,
): Located {
  if (tenancy.file !== file && i.path.startsWith("tenancy.")) {
    const inner = i.path.slice("tenancy.".length);
    return { ...i, file: tenancy.file, line: lineOf(tenancy.lines, inner), path: inner };
  }
  return { ...i, file, line: lineOf(lines, i.path) };
}

/** One error for all problems: this file's by line, then other files'; nested details indented. */
function combined(file: string, problems: readonly Located[]): GongjangError {
  const codes = new Set(problems.map((p) => p.code));
  const code: ErrorCode = codes.size === 1 ? [...codes][0] : "GJ_ERR_WORKLOAD_INVALID";
  const details = [...problems]
    .sort(
      (a, b) =>
        Number(a.file !== file) - Number(b.file !== file) ||
        a.file.localeCompare(b.file) ||
        a.line - b.line,
    )
    .flatMap((p) => [
      `${p.file}:${p.line} ${p.path}: ${p.message}`,
      ...(p.details ?? []).map((d) => `  ${d}`),
    ]);
  const n = problems.length;
  return new GongjangError(
    code,
    `${n} ${n === 1 ? "error" : "errors"} in scenario file`,
    { file },
    details,
  );
}
