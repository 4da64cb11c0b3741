/** The forecaster's worker thread: forecast() per message, off the API's event loop. */
import { parentPort } from "node:worker_threads";
import { type ForecastOptions, type ForecastSnapshot, forecast } from "../../forecast/index.ts";

parentPort!.on("message", (m: { id: number; snap: ForecastSnapshot; opts: ForecastOptions }) => {
  try {
    parentPort!.postMessage({ id: m.id, forecasts: forecast(m.snap, m.opts) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
