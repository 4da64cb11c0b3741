#!/usr/bin/env node
/**
 * The gongjang command line. Each command lives in ./commands/<name>.ts and
 * registers itself on the program; errors become coded messages and exit codes.
 * Only the module of the command being run is loaded (all of them for help), so a
 * client command does not pay for the server's or the simulator's imports.
 */
import { Command, CommanderError } from "commander";
import { GongjangError } from "../core/errors.ts";
import { EXIT } from "./exit-codes.ts";

type Register = (program: Command) => void;
const CLIENT = async () => (await import("./commands/client/index.ts")).registerClient;
/** Command name → the module that registers it. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  demo: async () => (await import("./commands/demo.ts")).registerDemo,
  simulate: async () => (await import("./commands/simulate.ts")).registerSimulate,
  experiment: async () => (await import("./commands/experiment.ts")).registerExperiment,
  fleet: async () => (await import("./commands/fleet.ts")).registerFleet,
  trace: async () => (await import("./commands/trace.ts")).registerTrace,
  plan: async () => (await import("./commands/plan.ts")).registerPlan,
  serve: async () => (await import("./commands/serve.ts")).registerServe,
  agent: async () => (await import("./commands/agent.ts")).registerAgent,
  submit: CLIENT,
  queue: CLIENT,
  status: CLIENT,
  cancel: CLIENT,
  explain: CLIENT,
  forecast: CLIENT,
  usage: CLIENT,
  token: CLIENT,
  allocation: CLIENT,
  program: CLIENT,
};

const program = new Command()
  .name("gongjang")
  .description("Control plane and digital twin for a shared accelerator fleet")
  .exitOverride();

const named = COMMANDS[process.argv[2] ?? ""];
const loaders = named !== undefined ? [named] : [...new Set(Object.values(COMMANDS))];
for (const load of loaders) (await load())(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof GongjangError) {
    process.stderr.write(`error ${err.message}\n`);
    for (const d of err.details) process.stderr.write(`  ${d}\n`);
    return err.code === "GJ_ERR_ARGUMENT" || err.code === "GJ_ERR_POLICY_UNKNOWN"
      ? EXIT.USAGE
      : EXIT.INPUT;
  }
  process.stderr.write(
    `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return EXIT.INTERNAL;
}
