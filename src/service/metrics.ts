/**
 * Prometheus metrics (GET /metrics): queue depth per queue, allocation per device
 * type, the scheduling cycle's latency, the API's latency and the background
 * forecaster's. Each service instance has its own registry, so tests can run several.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CycleStats } from "./scheduler/plan.ts";

export class Metrics {
  readonly registry = new Registry();
  private readonly pending = new Gauge({
    name: "gongjang_queue_pending_jobs",
    help: "Pending jobs per leaf queue",
    labelNames: ["queue"],
    registers: [this.registry],
  });
  private readonly allocated = new Gauge({
    name: "gongjang_devices_allocated",
    help: "Devices allocated per device type (fractional shares summed)",
    labelNames: ["device_type"],
    registers: [this.registry],
  });
  private readonly capacity = new Gauge({
    name: "gongjang_devices_total",
    help: "Devices per device type on schedulable and cordoned nodes",
    labelNames: ["device_type"],
    registers: [this.registry],
  });
  private readonly cycle = new Histogram({
    name: "gongjang_cycle_seconds",
    help: "Scheduling cycle latency: snapshot, schedule() and applying decisions",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly api = new Histogram({
    name: "gongjang_api_request_seconds",
    help: "API request latency by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  readonly submitted = new Counter({
    name: "gongjang_jobs_submitted_total",
    help: "Jobs accepted by POST /v1/jobs",
    labelNames: ["tenant"],
    registers: [this.registry],
  });

  private readonly forecast = new Histogram({
    name: "gongjang_forecast_seconds",
    help: "Forecast computation time: snapshot, Monte Carlo runs and calibration",
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly forecastAt = new Gauge({
    name: "gongjang_forecast_computed_timestamp_seconds",
    help: "When the forecasts served now were computed (epoch s; age = time() - this)",
    registers: [this.registry],
  });
  private readonly forecastJobs = new Gauge({
    name: "gongjang_forecast_jobs",
    help: "Pending jobs in the forecasts served now, by outcome",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  private readonly forecastCalibratedOn = new Gauge({
    name: "gongjang_forecast_calibrated_on",
    help: "Past forecasts behind the served band's width (0: the band as simulated)",
    registers: [this.registry],
  });
  readonly forecastFailures = new Counter({
    name: "gongjang_forecast_failures_total",
    help: "Forecast computations that failed (the forecasts served before are kept)",
    registers: [this.registry],
  });

  /** Records a finished forecast computation. */
  observeForecast(
    seconds: number,
    computedAtMs: number,
    outcomes: ReadonlyMap<string, number>,
    calibratedOn: number,
  ): void {
    this.forecast.observe(seconds);
    this.forecastAt.set(computedAtMs / 1000);
    this.forecastJobs.reset();
    for (const [outcome, n] of outcomes) this.forecastJobs.set({ outcome }, n);
    this.forecastCalibratedOn.set(calibratedOn);
  }

  /** Records a finished cycle and the gauges its plan reports. */
  observeCycle(seconds: number, stats: CycleStats): void {
    this.cycle.observe(seconds);
    this.pending.reset();
    for (const [queue, n] of stats.pendingByQueue) this.pending.set({ queue }, n);
    for (const [type, held, total] of stats.devicesByType) {
      this.allocated.set({ device_type: type }, held);
      this.capacity.set({ device_type: type }, total);
    }
  }
}
