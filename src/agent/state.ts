/**
 * The agent's memory of its runs on disk, one `<workDir>/runs/<key>.json` per run:
 * written when a run starts (with its process group) and again when it ends. It lets a
 * restarted agent (a) still report how runs ended while it was away from the service,
 * and (b) kill what its previous incarnation left running: a new agent cannot learn
 * those processes' exit status, so it ends them and reports them `lost`, which the
 * service requeues, instead of leaving them to hold GPUs unseen.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentRun } from "../service/agents/protocol.ts";
import { pgidOf } from "./usage.ts";

export interface RunRecord extends AgentRun {
  /** Process group of the run while it runs (its shell's pid). */
  readonly pid: number | null;
  readonly endedAt: number | null;
}

/** Ended runs older than this are forgotten (their files removed) at start-up. */
const KEEP_MS = 24 * 3600_000;

export class RunStore {
  readonly dir: string;

  constructor(workDir: string) {
    this.dir = join(workDir, "runs");
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes a run's record atomically (temp file, then rename). */
  save(r: RunRecord): void {
    const file = join(this.dir, `${r.key}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(r));
    renameSync(`${file}.tmp`, file);
  }

  /**
   * Reads every record; kills the process groups of runs a previous agent left
   * running and records them lost; drops ended records older than a day. Returns the
   * ended runs (to report at registration).
   */
  recover(now: number, kill: (pgid: number) => void = killGroup): RunRecord[] {
    const out: RunRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".json")) continue;
      const file = join(this.dir, name);
      let r: RunRecord;
      try {
        r = JSON.parse(readFileSync(file, "utf8")) as RunRecord;
      } catch {
        rmSync(file, { force: true });
        continue;
      }
      if (r.state === "running") {
        // Only a process that still leads its own group is ours (pids get reused).
        if (r.pid !== null && pgidOf(r.pid) === r.pid) kill(r.pid);
        r = { ...r, state: "lost", exitCode: null, signal: "SIGKILL", endedAt: now };
        this.save(r);
      }
      if (r.endedAt !== null && now - r.endedAt > KEEP_MS) rmSync(file, { force: true });
      else out.push(r);
    }
    return out;
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}
