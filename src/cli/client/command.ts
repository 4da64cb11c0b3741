/**
 * What every client command shares: the --server, --token and --json options, the
 * connection they resolve to, and one error handler. A command's action receives a
 * ready ApiClient and prints through `io`; it throws on any problem and the handler
 * prints it (io.ts) and sets the exit code.
 */
import { type Command, Option } from "commander";
import { GongjangError } from "../../core/errors.ts";
import { DEFAULT_SERVER, resolveConnection } from "./connection.ts";
import { ApiClient, ApiError, type Fetch } from "./http.ts";
import { type Io, reportError } from "./io.ts";

/** The options every client command has. */
export interface CommonOptions {
  readonly server?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** What an action gets: the API, where to print, and its parsed options. */
export interface ClientContext<O> {
  readonly api: ApiClient;
  readonly io: Io;
  readonly opts: O & CommonOptions;
  /** The current time in ms (formatting of "waited 3m" needs it). */
  readonly now: number;
}

/** How client commands are wired: output, and fetch (tests may stub it). */
export interface ClientEnv {
  readonly io: Io;
  readonly fetch?: Fetch;
  readonly now?: () => number;
}

/** Adds --server, --token and --json to `cmd`, reading GONGJANG_SERVER and GONGJANG_TOKEN. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--server <url>", `gongjang server (default: ${DEFAULT_SERVER})`).env(
        "GONGJANG_SERVER",
      ),
    )
    .addOption(
      new Option("--token <token>", "API token (default: .gongjang/admin-token when present)").env(
        "GONGJANG_TOKEN",
      ),
    )
    .option("--json", "print the server's JSON answer instead of a table");
}

/**
 * Adds the common options to `cmd` and sets its action: `run` gets the context and
 * the positional arguments. Errors are printed and become the exit code; `at` may map
 * an error to a location of the caller's (a job file's line).
 */
export function clientAction<O, A extends unknown[]>(
  cmd: Command,
  env: ClientEnv,
  run: (ctx: ClientContext<O>, ...args: A) => Promise<void>,
): Command {
  addCommonOptions(cmd);
  return cmd.action(async (...all: unknown[]) => {
    const command = all[all.length - 1] as Command;
    const args = all.slice(0, -2) as A;
    const opts = command.opts() as O & CommonOptions;
    try {
      const connection = resolveConnection(opts, env.io.cwd, (t) => env.io.err(`${t}\n`));
      const api = new ApiClient(connection, env.fetch);
      await run({ api, io: env.io, opts, now: (env.now ?? Date.now)() }, ...args);
    } catch (thrown) {
      const err = unwrap(thrown);
      reportError(env.io, err, locate(thrown));
      if (err instanceof ApiError && err.status === 401) {
        const source = opts.token === undefined ? "no token was given" : "the token was refused";
        env.io.err(
          `  ${source}: pass --token or set GONGJANG_TOKEN (gongjang serve prints the admin token; gongjang token create makes more)\n`,
        );
      }
    }
  });
}

/** An error that knows where in the caller's input it happened, e.g. a job file line. */
export class LocatedError extends Error {
  readonly cause: unknown;
  readonly at: string;
  constructor(cause: unknown, at: string) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.cause = cause;
    this.at = at;
  }
}

function locate(err: unknown): string | undefined {
  return err instanceof LocatedError ? err.at : undefined;
}

/** Unwraps a LocatedError for reporting. */
export function unwrap(err: unknown): unknown {
  return err instanceof LocatedError ? err.cause : err;
}

/** Parses a positive integer option; GJ_ERR_ARGUMENT otherwise. */
export function positiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `${option}: expected a positive integer, got "${value}"`,
      {
        path: option,
      },
    );
  return n;
}
