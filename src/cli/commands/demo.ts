/**
 * `gongjang demo` (what `npm start` runs), two parts, both `simulate` with fixed,
 * embedded inputs:
 * 1. the multi-tenant demo-ai-factory scenario (six tenants with quotas, delivery
 *    tranches, maintenance, failures, reservations) for a simulated week under
 *    fifo, drf and gongjang-default, with its report in <out>/scenario/;
 * 2. the bundled openb trace (Alibaba, FGD paper; 8,152 real pods) on the demo fleet,
 *    arrivals 1,000× faster so the fleet is contended, for one simulated day, under
 *    four node-scoring policies, with its report in <out>/.
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
      "run the multi-tenant demo scenario and replay the bundled openb trace on the demo AI factory; write HTML reports",
    )
    .option("--out <dir>", "where to write the reports and per-policy JSON", join("out", "demo"))
    .option(
      "--policy <names>",
      "node-scoring policies for the trace replay",
      "fgd,bestfit,firstfit,random",
    )
    .option(
      "--scenario-policy <names>",
      "scheduling policies for the scenario",
      "fifo,drf,gongjang-default",
    )
    .option("--days <n>", "days of the scenario to simulate", "7")
    .action(async (opts: { out: string; policy: string; scenarioPolicy: string; days: string }) => {
      const print = write ?? ((t: string) => process.stdout.write(t));
      const sim = new Command().exitOverride();
      registerSimulate(sim, write);
      print(
        "multi-tenant scenario demo-ai-factory (gongjang simulate --scenario demo-ai-factory):\n",
      );
      await sim.parseAsync(
        [
          ...["simulate", "--scenario", "demo-ai-factory", "--days", opts.days],
          ...["--policy", opts.scenarioPolicy, "--seed", "42", "--out", join(opts.out, "scenario")],
        ],
        { from: "user" },
      );
      print("\ntrace replay: openb on demo-ai-factory, node-scoring policies:\n");
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
      print(
        `\nreports: ${join(opts.out, "scenario", "report.html")} (scenario), ${join(opts.out, "report.html")} (trace replay)\n`,
      );
    });
}
