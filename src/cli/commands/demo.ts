/**
 * `gongjang demo` (what `npm start` runs): replays the bundled openb trace (Alibaba,
 * FGD paper) on the built-in openb fleet under three policies and writes an HTML
 * report. It is `simulate` with fixed, embedded inputs.
 */
import { join, resolve } from "node:path";
import { Command } from "commander";
import { registerSimulate, type Write } from "./simulate.ts";

const BUNDLED_TRACE = resolve(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "data",
  "openb",
  "openb_pod_list_default.csv",
);

export function registerDemo(program: Command, write?: Write): void {
  program
    .command("demo")
    .description(
      "replay the bundled openb trace on the openb fleet (fgd, bestfit, random) and write an HTML report",
    )
    .option("--out <dir>", "where to write the report and per-policy JSON", join("out", "demo"))
    .option("--policy <names>", "policies to compare", "fgd,bestfit,random")
    .action(async (opts: { out: string; policy: string }) => {
      const sim = new Command().exitOverride();
      registerSimulate(sim, write);
      await sim.parseAsync(
        [
          "simulate",
          "--fleet",
          "openb",
          "--trace",
          BUNDLED_TRACE,
          "--policy",
          opts.policy,
          "--seed",
          "42",
          "--out",
          opts.out,
        ],
        { from: "user" },
      );
      (write ?? ((t: string) => process.stdout.write(t)))(
        `\nreport: ${join(opts.out, "report.html")}\n`,
      );
    });
}
