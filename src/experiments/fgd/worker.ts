/** Worker thread: runs FGD experiment tasks posted by experiment.ts, one at a time. */
import { parentPort } from "node:worker_threads";
import type { RunTask } from "./experiment.ts";
import { executeTask } from "./task.ts";

parentPort?.on("message", (task: RunTask) => {
  parentPort?.postMessage(executeTask(task));
});
