/**
 * A worker thread of runPlan: runs the tasks it is sent, one at a time, and posts
 * back their metrics (or the error, code and details kept).
 */
import { parentPort } from "node:worker_threads";
import { GongjangError } from "../core/errors.ts";
import { type PlanTask, runTask } from "./run.ts";

parentPort?.on("message", ({ i, task }: { i: number; task: PlanTask }) => {
  try {
    parentPort?.postMessage({ i, metrics: runTask(task) });
  } catch (err) {
    const error =
      err instanceof GongjangError
        ? { code: err.code, message: err.text, details: [...err.details] }
        : { message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    parentPort?.postMessage({ i, error });
  }
});
