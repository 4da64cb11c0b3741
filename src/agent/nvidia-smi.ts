/**
 * Runs `nvidia-smi` for the node agent: discovery at start-up (`-q -x` plus `-L` for
 * MIG UUIDs) and cheap periodic samples (`--query-gpu`, `--query-compute-apps`).
 *
 * The binary is found on PATH unless `bin` names it, which is also how tests put a
 * fake in its place. A missing binary, a non-zero exit (no driver, GPU fell off the
 * bus) or a timeout is GJ_ERR_NVIDIA_SMI_FAILED; output that cannot be read is
 * GJ_ERR_NVIDIA_SMI_OUTPUT.
 */
import { execFile } from "node:child_process";
import { GongjangError } from "../core/errors.ts";
import {
  APP_QUERY,
  type ComputeApp,
  GPU_QUERY,
  type GpuSample,
  parseComputeApps,
  parseGpuQuery,
} from "./nvidia-smi-csv.ts";
import {
  type GpuInventory,
  parseNvidiaSmiList,
  parseNvidiaSmiXml,
  withMigUuids,
} from "./nvidia-smi-xml.ts";

export interface NvidiaSmiOptions {
  /** Path or name of the binary; default `nvidia-smi` looked up on PATH. */
  readonly bin?: string;
  /** Environment for the child; default this process's (so PATH applies). */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill nvidia-smi after this long; default 15 s (a hung driver can block it for minutes). */
  readonly timeoutMs?: number;
}

/**
 * Runs nvidia-smi with `args` and resolves with its stdout. Rejects with
 * GJ_ERR_NVIDIA_SMI_FAILED when it cannot start, times out or exits non-zero
 * (nvidia-smi writes most of its errors to stdout, so both streams are quoted).
 */
export function runNvidiaSmi(
  args: readonly string[],
  opts: NvidiaSmiOptions = {},
): Promise<string> {
  const bin = opts.bin ?? "nvidia-smi";
  const cmd = `${bin} ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 15_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT"
            ? `not found (looked for ${bin}${bin.includes("/") ? "" : " on PATH"})`
            : err.killed
              ? `timed out after ${opts.timeoutMs ?? 15_000} ms`
              : `exited with ${err.code ?? err.signal}: ${`${stderr}${stdout}`.trim().split("\n")[0] ?? ""}`;
        reject(new GongjangError("GJ_ERR_NVIDIA_SMI_FAILED", why, { file: cmd }));
      },
    );
  });
}

/**
 * Discovers the node's GPUs: `nvidia-smi -q -x` for the inventory, then, when any GPU
 * has MIG devices, `nvidia-smi -L` for their UUIDs (the XML lacks them).
 */
export async function discoverGpus(opts: NvidiaSmiOptions = {}): Promise<GpuInventory> {
  const inv = parseNvidiaSmiXml(await runNvidiaSmi(["-q", "-x"], opts));
  if (!inv.gpus.some((g) => g.migDevices.length > 0)) return inv;
  return withMigUuids(inv, parseNvidiaSmiList(await runNvidiaSmi(["-L"], opts)));
}

/** Samples every GPU's utilisation, memory, temperature and power. */
export async function sampleGpus(opts: NvidiaSmiOptions = {}): Promise<GpuSample[]> {
  return parseGpuQuery(await runNvidiaSmi(GPU_QUERY, opts));
}

/** Lists the processes holding GPU memory, with how much each holds. */
export async function listComputeApps(opts: NvidiaSmiOptions = {}): Promise<ComputeApp[]> {
  return parseComputeApps(await runNvidiaSmi(APP_QUERY, opts));
}

/**
 * The CUDA_VISIBLE_DEVICES ids of an inventory, in order: each MIG device's UUID where
 * a GPU runs MIG, else the GPU's own UUID. UUIDs (not indices) survive a reordering of
 * PCI enumeration, so an assignment stays valid across reboots.
 */
export function schedulableDevices(inv: GpuInventory): string[] {
  return inv.gpus.flatMap((g) =>
    g.migCurrent === "enabled" && g.migDevices.length > 0
      ? g.migDevices.flatMap((m) => (m.uuid === null ? [] : [m.uuid]))
      : [g.uuid],
  );
}
