/**
 * The fleet folder's entry point: turn a name or a path into a Fleet. Built-in names
 * win over files; anything that looks like a path is read as a YAML fleet file.
 */
import { existsSync } from "node:fs";
import { GongjangError } from "../core/errors.ts";
import type { Fleet } from "../core/model/fleet.ts";
import { demoAiFactoryFleet } from "./builtin/demo-ai-factory.ts";
import { openbFleet } from "./builtin/openb.ts";
import { loadFleetFile } from "./schema.ts";
import { syntheticFleet } from "./synthetic.ts";

export { loadFleetFile, parseFleetYaml } from "./schema.ts";
export { type SyntheticFleetOptions, syntheticFleet } from "./synthetic.ts";

/** The built-in fleets, by the name `loadFleet` accepts, with a one-line description. */
export const BUILTIN_FLEETS = [
  {
    name: "openb",
    description: "Alibaba openb trace (FGD, ATC'23): 1,213 GPU nodes, 6,212 GPUs of 7 models",
  },
  {
    name: "openb-all",
    description: "openb with its 310 CPU-only nodes: 1,523 nodes, 6,212 GPUs",
  },
  {
    name: "demo-ai-factory",
    description:
      "2 Korean sites: Vera Rubin NVL144, H100, Rebellions ATOM, Furiosa RNGD (608 devices)",
  },
  {
    name: "synthetic:<nodes>x<devices>",
    description:
      "identical H100-class nodes in domains of 4, e.g. synthetic:37500x8 = 300,000 devices",
  },
] as const;

const NAMED: Readonly<Record<string, () => Fleet>> = {
  openb: () => openbFleet("gpu"),
  "openb-all": () => openbFleet("all"),
  "demo-ai-factory": demoAiFactoryFleet,
};

const SYNTHETIC = /^synthetic:(\d+)x(\d+)$/;

/**
 * Resolves `spec` to a Fleet: a built-in name (see BUILTIN_FLEETS), or else the
 * path of a YAML fleet file. A spec that is neither an existing file nor shaped
 * like a path (no "/" or "\", no .yaml/.yml ending) is taken as a mistyped
 * built-in name: GJ_ERR_FLEET_UNKNOWN listing the valid names. Files throw as
 * loadFleetFile does (GJ_ERR_FILE_NOT_FOUND, GJ_ERR_FLEET_INVALID).
 */
export function loadFleet(spec: string): Fleet {
  if (Object.hasOwn(NAMED, spec)) return NAMED[spec]();
  if (spec.startsWith("synthetic:")) {
    const m = SYNTHETIC.exec(spec);
    if (m === null || Number(m[1]) < 1)
      throw unknown(spec, "expected synthetic:<nodes>x<devices>, e.g. synthetic:37500x8");
    return syntheticFleet({ nodes: Number(m[1]), devicesPerNode: Number(m[2]) });
  }
  const looksLikePath = /[/\\]/.test(spec) || /\.ya?ml$/i.test(spec);
  if (looksLikePath || existsSync(spec)) return loadFleetFile(spec);
  throw unknown(spec, "not a built-in fleet, and no such file");
}

function unknown(spec: string, why: string): GongjangError {
  const names = BUILTIN_FLEETS.map((f) => f.name);
  return new GongjangError(
    "GJ_ERR_FLEET_UNKNOWN",
    `unknown fleet "${spec}": ${why}; built-in fleets: ${names.join(", ")}`,
    {},
    BUILTIN_FLEETS.map((f) => `${f.name.padEnd(28)} ${f.description}`),
  );
}
