/**
 * Runs one CLI command in-process, the way main.ts would, and returns what it wrote.
 * Fixture paths resolve from the repository root, as a user would type them there.
 */
import { join } from "node:path";
import { Command } from "commander";

export const ROOT = join(import.meta.dirname, "..", "..");

/** `register` adds the command under test; `args` are what follows `gongjang`. */
export async function runCommand(
  register: (program: Command, write: (text: string) => void) => void,
  ...args: string[]
): Promise<string> {
  let out = "";
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register(program, (text) => {
    out += text;
  });
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await program.parseAsync(["node", "gongjang", ...args]);
  } finally {
    process.chdir(cwd);
  }
  return out;
}
