/**
 * Where client commands print and how their errors look. Errors are printed here, not
 * in main.ts, as `error GJ_ERR_…: message (at where)` with one indented line per
 * detail, and the exit code follows from the error (see exitCodeOf).
 */
import { GongjangError } from "../../core/errors.ts";
import { EXIT } from "../exit-codes.ts";
import { ApiError } from "./http.ts";

/** Output sinks and the exit code; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Records the exit code (the process exits when its work is done). */
  exit(code: number): void;
  /** The directory `.gongjang/admin-token` is looked for in. */
  readonly cwd: string;
}

/** stdout, stderr and process.exitCode. */
export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  exit: (code) => {
    process.exitCode = code;
  },
  get cwd() {
    return process.cwd();
  },
};

/** The one-line form of an error: `error CODE: message (at where)`. */
export function errorLine(code: string, message: string, at?: string): string {
  return `error ${code}: ${message}${at === undefined || at === "" ? "" : ` (at ${at})`}`;
}

/**
 * The exit code for an error a client command hit:
 *   usage (2): a bad argument, or the token is missing, invalid or not allowed (401, 403)
 *   input (3): the request or job file was refused (other 4xx, local file problems)
 *   internal (1): the server failed (5xx) or cannot be reached
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return EXIT.USAGE;
    if (err.status >= 400 && err.status < 500) return EXIT.INPUT;
    return EXIT.SERVICE;
  }
  if (err instanceof GongjangError) {
    if (err.code === "GJ_ERR_ARGUMENT") return EXIT.USAGE;
    if (err.code === "GJ_ERR_SERVER_UNREACHABLE") return EXIT.SERVICE;
    return EXIT.INPUT;
  }
  return EXIT.INTERNAL;
}

/** What to print for an error, with an optional `at` override (a job file's file:line). */
export function describeError(err: unknown, at?: string): string {
  if (err instanceof ApiError) {
    const lines = [errorLine(err.code, err.message, at ?? err.path)];
    for (const d of err.details) lines.push(`  ${d}`);
    return `${lines.join("\n")}\n`;
  }
  if (err instanceof GongjangError) {
    const where = at ?? whereOf(err);
    const lines = [errorLine(err.code, err.text, where)];
    for (const d of err.details) lines.push(`  ${d}`);
    return `${lines.join("\n")}\n`;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `internal error: ${text}\n`;
}

function whereOf(err: GongjangError): string | undefined {
  const { file, line, path } = err.location;
  const parts: string[] = [];
  if (file !== undefined) parts.push(line === undefined ? file : `${file}:${line}`);
  if (path !== undefined) parts.push(path);
  return parts.length === 0 ? undefined : parts.join(" ");
}

/** Prints `err` to io.err and records its exit code. */
export function reportError(io: Io, err: unknown, at?: string): void {
  io.err(describeError(err, at));
  io.exit(exitCodeOf(err));
}

/** Pretty JSON with a final newline, as every --json prints it. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
