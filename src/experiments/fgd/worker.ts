/** Worker thread: runs FGD experiment tasks posted by experiment.ts, one at a time. */
import { parentPort } from "node:worker_threads";
import { executeTask } from "./task.ts";
import type { RunTask } from "./experiment.ts";

parentPort?.on("message", (task: RunTask) => {
  parentPort?.postMessage(executeTask(task));
});
