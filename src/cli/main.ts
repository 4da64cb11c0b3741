#!/usr/bin/env node
/**
 * The gongjang command line. Each command lives in ./commands/<name>.ts and
 * registers itself on the program; errors become coded messages and exit codes.
 */
import { Command, CommanderError } from "commander";
import { GongjangError } from "../core/errors.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerExperiment } from "./commands/experiment.ts";
import { registerFleet } from "./commands/fleet.ts";
import { registerServe } from "./commands/serve.ts";
import { registerSimulate } from "./commands/simulate.ts";
import { registerTrace } from "./commands/trace.ts";
import { EXIT } from "./exit-codes.ts";

const program = new Command()
  .name("gongjang")
  .description("Control plane and digital twin for a shared accelerator fleet")
  .exitOverride();

registerDemo(program);
registerSimulate(program);
registerExperiment(program);
registerFleet(program);
registerTrace(program);
registerServe(program);

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
