/**
 * `gongjang agent --server URL --token T [--node ID] [--nvidia-smi PATH] [--work-dir D]`:
 * the GPU node agent (src/agent/daemon.ts). It runs until SIGINT/SIGTERM, which kill
 * the jobs it runs (the service requeues them when the node is declared down).
 */
import type { Command } from "commander";
import { NodeAgent } from "../../agent/daemon.ts";
import { GongjangError } from "../../core/errors.ts";

interface AgentCliOptions {
  server: string;
  token?: string;
  node?: string;
  nvidiaSmi?: string;
  workDir: string;
  cancelGraceMs: string;
}

export function registerAgent(program: Command): void {
  program
    .command("agent")
    .description("run the GPU node agent: discover GPUs, register, heartbeat, run assigned jobs")
    .requiredOption("--server <url>", "the gongjang service, e.g. http://10.0.0.1:8080")
    .option("--token <token>", "a token of role agent (default: $GONGJANG_AGENT_TOKEN)")
    .option("--node <id>", "this machine's node id in the fleet (default: the short host name)")
    .option("--nvidia-smi <path>", "the nvidia-smi binary (default: nvidia-smi on PATH)")
    .option("--work-dir <dir>", "job logs and run records", ".gongjang-agent")
    .option("--cancel-grace-ms <ms>", "SIGTERM to SIGKILL grace when a job is cancelled", "10000")
    .action(async (o: AgentCliOptions) => {
      const token = o.token ?? process.env.GONGJANG_AGENT_TOKEN;
      if (token === undefined || token === "")
        throw new GongjangError(
          "GJ_ERR_ARGUMENT",
          "--token (or $GONGJANG_AGENT_TOKEN) is required",
          {
            path: "--token",
          },
        );
      const agent = new NodeAgent({
        server: o.server,
        token,
        node: o.node,
        workDir: o.workDir,
        cancelGraceMs: Number(o.cancelGraceMs),
        ...(o.nvidiaSmi !== undefined && { nvidiaSmi: { bin: o.nvidiaSmi } }),
      });
      const stop = async () => {
        await agent.stop();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await agent.run();
    });
}
