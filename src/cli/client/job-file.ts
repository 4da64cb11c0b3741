/**
 * Reads a job file for `gongjang submit`: YAML or JSON (JSON is YAML), from a path or
 * "-" for stdin. Syntax errors carry file:line. The parsed document is kept so that a
 * field the API refuses ("body.members", "deviceTypes[0]") can be shown at its line.
 */
import { isNode, LineCounter, parseDocument } from "yaml";
import { GongjangError } from "../../core/errors.ts";
import { readYamlFile } from "../../fleet/yaml-check.ts";

export interface JobFile {
  /** The name shown in messages: the path, or "<stdin>". */
  readonly name: string;
  /** The parsed document: the request body. */
  readonly body: Record<string, unknown>;
  /** The 1-based line of an API error path inside this file, if it can be found. */
  lineOf(apiPath: string | undefined): number | undefined;
}

/** Reads and parses `path` ("-": `stdin()`); throws GJ_ERR_FILE_NOT_FOUND or GJ_ERR_WORKLOAD_INVALID. */
export function readJobFile(path: string, stdin: () => string): JobFile {
  const name = path === "-" ? "<stdin>" : path;
  const text = path === "-" ? stdin() : readYamlFile(path, "job file");
  return parseJobFile(text, name);
}

/** Parses the text of a job file named `name`; see readJobFile. */
export function parseJobFile(text: string, name: string): JobFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = lines.linePos(e.pos[0]).line;
    throw new GongjangError(
      "GJ_ERR_WORKLOAD_INVALID",
      `syntax error: ${firstLine(e.message)}`,
      { file: name, line },
      doc.errors
        .slice(1)
        .map((x) => `${name}:${lines.linePos(x.pos[0]).line}: ${firstLine(x.message)}`),
    );
  }
  const body = doc.toJS() as unknown;
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new GongjangError(
      "GJ_ERR_WORKLOAD_INVALID",
      "expected a mapping of job fields (queue, devices, duration, …)",
      { file: name, line: 1 },
    );
  return {
    name,
    body: body as Record<string, unknown>,
    lineOf: (apiPath) => {
      if (apiPath === undefined) return undefined;
      const keys = pathKeys(apiPath);
      // The deepest part of the path that exists: an unknown key's parent, at least.
      for (let n = keys.length; n > 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true);
        if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/**
 * An API error path as document keys: "body.topology.level" → ["topology", "level"],
 * "deviceTypes[0]" and "body.deviceTypes.0" → ["deviceTypes", 0]; "body" → [].
 */
export function pathKeys(apiPath: string): (string | number)[] {
  const parts = apiPath
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((p) => p !== "");
  if (parts[0] === "body") parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
