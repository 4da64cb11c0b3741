/**
 * The API's answers as the client reads them. These mirror the service's schemas
 * (src/service/jobs/view.ts and the routes) but are declared here, since the CLI may
 * talk to a server of another version: fields it does not know are ignored, and
 * optional ones may be missing.
 */
import type { DeviceAsk } from "./format.ts";

/** GET /v1/jobs/:id (JobView). */
export interface Job {
  readonly id: number;
  readonly name: string;
  readonly tenant: string;
  readonly queue: string;
  readonly user: string;
  readonly state: string;
  readonly submittedAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly attempt: number;
  readonly deviceType: string | null;
  readonly placement: readonly {
    readonly node: string;
    readonly devices: readonly number[];
    readonly deviceMilli: number;
    readonly deviceType: string | null;
  }[];
  readonly exitCode: number | null;
  readonly reason: string | null;
  readonly spec: DeviceAsk & Readonly<Record<string, unknown>>;
}

/** A listing page: pass nextCursor back as ?cursor= for the next one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: number | string | null;
}

/** GET /v1/jobs/:id/events items. */
export interface JobEvent {
  readonly at: string;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** GET /v1/jobs/:id/explain. */
export interface Explanation {
  readonly state: string;
  readonly summary: string;
  readonly lines: readonly {
    readonly constraint: string;
    /** True when this constraint alone keeps the job from starting now. */
    readonly blocking?: boolean;
    readonly deviceType?: string | null;
    readonly text: string;
    readonly numbers?: Readonly<Record<string, number | string>>;
  }[];
}

/** GET /v1/jobs/:id/forecast (and each item of GET /v1/forecasts). */
export interface Forecast {
  readonly jobId: number;
  readonly status: "forecast" | "computing" | "started" | "ended";
  readonly p10: string | null;
  readonly p50: string | null;
  readonly p90: string | null;
  readonly outcome: "scheduled" | "beyond-horizon" | "never" | null;
  readonly reason: string;
  readonly computedAt: string | null;
  readonly runs: number;
  /** Past forecasts that set the P10–P90 band's width; 0: the band as simulated. */
  readonly calibratedOn: number;
}
