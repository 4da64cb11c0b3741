/**
 * Runs one job's shell command on this node, the way a GPU node agent does: the child
 * sees only its assigned GPUs (CUDA_VISIBLE_DEVICES = their GPU or MIG UUIDs), writes
 * stdout and stderr to one log file, and runs in its own process group so that cancel
 * reaches everything it started and GPU usage can be traced back to it.
 *
 * Life of a run (state changes only through the child's exit and `cancel()`):
 *
 *   startRun() ─► running ─► exit 0 ──────────────► succeeded
 *                    │     └► exit ≠ 0 / signal ───► failed
 *                    └► cancel(): SIGTERM to the group, SIGKILL after the grace ─► cancelled
 *
 * When the main process ends, whatever it left running in its group is killed: a job's
 * processes end with the job, as under Slurm, so no orphan keeps holding a GPU.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

export interface RunSpec {
  /** `${jobId}.${attempt}`; names the log file `${key}.log`. */
  readonly key: string;
  readonly command: string;
  /** GPU or MIG instance UUIDs; [] hides every GPU (CUDA_VISIBLE_DEVICES=""). */
  readonly devices: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Directory for the log file; created if missing. */
  readonly logDir: string;
  readonly cwd?: string;
  /** Shell that runs `command` with `-c`; default /bin/sh. */
  readonly shell?: string;
}

export const RunState = {
  Running: "running",
  Succeeded: "succeeded",
  Failed: "failed",
  Cancelled: "cancelled",
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

export interface RunResult {
  readonly state: Exclude<RunState, "running">;
  /** The exit status, or null when a signal ended the process. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly logPath: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A started run. `done` settles once the main process has exited (never rejects). */
export interface JobRun {
  readonly key: string;
  /** Pid of the shell; also the process group id of everything the job starts. */
  readonly pid: number;
  readonly logPath: string;
  readonly done: Promise<RunResult>;
  state(): RunState;
  /**
   * Stops the run: SIGTERM to its process group, then SIGKILL after `graceMs`
   * (default 10 s). Resolves with the final result; a no-op once the run has ended.
   */
  cancel(graceMs?: number): Promise<RunResult>;
}

/**
 * Starts `spec.command` under `sh -c` and resolves once it has been spawned. Rejects
 * (with the spawn error) when the shell cannot start or the log cannot be opened.
 */
export async function startRun(spec: RunSpec): Promise<JobRun> {
  mkdirSync(spec.logDir, { recursive: true });
  const logPath = join(spec.logDir, `${spec.key}.log`);
  const fd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(spec.shell ?? "/bin/sh", ["-c", spec.command], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, CUDA_VISIBLE_DEVICES: spec.devices.join(",") },
      stdio: ["ignore", fd, fd],
      // Own process group (pgid = pid): cancel and usage sampling address the whole job.
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  return track(spec.key, child, logPath);
}

function track(key: string, child: ChildProcess, logPath: string): JobRun {
  const pid = child.pid as number;
  const startedAt = Date.now();
  let state: RunState = RunState.Running;
  let cancelling = false;
  let killTimer: NodeJS.Timeout | undefined;
  const done = new Promise<RunResult>((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(killTimer);
      signalGroup(pid, "SIGKILL"); // leftovers die with the job
      state = cancelling ? RunState.Cancelled : code === 0 ? RunState.Succeeded : RunState.Failed;
      resolve({ state, exitCode: code, signal, logPath, startedAt, endedAt: Date.now() });
    });
  });
  return {
    key,
    pid,
    logPath,
    done,
    state: () => state,
    cancel(graceMs = 10_000) {
      if (state === RunState.Running && !cancelling) {
        cancelling = true;
        signalGroup(pid, "SIGTERM");
        killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
      }
      return done;
    },
  };
}

/** Signals a whole process group; a group that is already gone is not an error. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}
