/**
 * `gongjang demo` (what `npm start` runs): replays the bundled openb trace (Alibaba,
 * FGD paper; 8,152 real pods) on the built-in demo AI factory (Vera Rubin, H100 and
 * domestic NPUs over two sites), with arrivals 1,000× faster so the fleet is
 * contended, for one simulated day, under four policies, and writes an HTML report.
 * It is `simulate` with fixed, embedded inputs.
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
      "replay the bundled openb trace on the demo AI factory under four policies; write an HTML report",
    )
    .option("--out <dir>", "where to write the report and per-policy JSON", join("out", "demo"))
    .option("--policy <names>", "policies to compare", "fgd,bestfit,firstfit,random")
    .action(async (opts: { out: string; policy: string }) => {
      const sim = new Command().exitOverride();
      registerSimulate(sim, write);
      await sim.parseAsync(
        [
          ...["simulate", "--fleet", "demo-ai-factory", "--trace", BUNDLED_TRACE],
          // Arrivals 1,000× faster contend the fleet; the trace's longest pods run for
          // months, so the run stops after the first simulated day, where the contention is.
          ...["--time-scale", "0.001", "--until", "86400"],
          ...["--policy", opts.policy, "--seed", "42", "--out", opts.out],
        ],
        { from: "user" },
      );
      (write ?? ((t: string) => process.stdout.write(t)))(
        `\nreport: ${join(opts.out, "report.html")}\n`,
      );
    });
}
