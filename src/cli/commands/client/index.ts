/**
 * The client commands: they talk to a running `gongjang serve` over HTTP. Each takes
 * --server and --token (GONGJANG_SERVER, GONGJANG_TOKEN) and --json, prints a human
 * table by default, and reports errors as `error GJ_ERR_…: message (at where)`.
 */
import type { Command } from "commander";
import type { ClientEnv } from "../../client/command.ts";
import { processIo } from "../../client/io.ts";
import { registerAllocation } from "./allocation.ts";
import { registerCancel } from "./cancel.ts";
import { registerExplain } from "./explain.ts";
import { registerForecast } from "./forecast.ts";
import { registerQueue } from "./queue.ts";
import { registerStatus } from "./status.ts";
import { registerSubmit } from "./submit.ts";
import { registerToken } from "./token.ts";
import { registerUsage } from "./usage.ts";

/** Adds every client command to `program`; `env` defaults to the process's stdout, stderr and exit code. */
export function registerClient(program: Command, env: ClientEnv = { io: processIo }): void {
  registerSubmit(program, env);
  registerQueue(program, env);
  registerStatus(program, env);
  registerCancel(program, env);
  registerExplain(program, env);
  registerForecast(program, env);
  registerUsage(program, env);
  registerToken(program, env);
  registerAllocation(program, env);
}
