/** The API JSON shapes the dashboard reads (docs/api.md; the view.ts files under src/service). */

export interface Me {
  readonly name: string;
  readonly role: "admin" | "program-admin" | "tenant-admin" | "member" | "viewer";
  readonly tenant: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: number | null;
}

export interface Placement {
  readonly node: string;
  readonly devices: number[];
  readonly deviceMilli: number;
  readonly deviceType: string | null;
}

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
  readonly placement: Placement[];
  readonly reason: string | null;
  readonly spec: Record<string, unknown>;
}

export interface JobEvent {
  readonly at: string;
  readonly kind: string;
  readonly detail: Record<string, unknown>;
}

export interface Explain {
  readonly jobId: number;
  readonly state: string;
  readonly summary: string;
  readonly asOf: string;
  readonly lines: {
    readonly constraint: string;
    readonly blocking: boolean;
    readonly deviceType: string | null;
    readonly text: string;
  }[];
}

export interface FleetSummary {
  readonly name: string;
  readonly nodes: Record<"total" | "up" | "cordoned" | "draining" | "down", number>;
  readonly sites: {
    readonly id: string;
    readonly residency: string[];
    readonly nodes: number;
    readonly devices: number;
    readonly racks: {
      readonly id: string;
      readonly domains: { readonly id: string; readonly nodes: number }[];
    }[];
  }[];
  readonly deviceTypes: {
    readonly id: string;
    readonly vendor: string;
    readonly total: number;
    readonly allocated: number;
    readonly free: number;
  }[];
}

export interface FleetNode {
  readonly id: string;
  readonly site: string;
  readonly rack: string;
  readonly domain: string;
  readonly deviceType: string | null;
  readonly devices: number;
  readonly state: "up" | "cordoned" | "draining" | "down";
  readonly reason: string | null;
  readonly free: number[];
  readonly freeDevices: number;
  readonly jobs: number[];
}

export interface QueueTypeView {
  readonly guaranteed: number;
  readonly borrowLimit: number | null;
  readonly lendLimit: number | null;
  readonly used: number;
  readonly borrowed: number;
}

export interface Queue {
  readonly path: string;
  readonly tenant: string;
  readonly leaf: boolean;
  readonly weight: number;
  readonly types: Record<string, QueueTypeView>;
  readonly pending: number;
  readonly running: number;
  readonly oldestWaitSeconds: number | null;
  /** The scheduler's fair-share factor (decayed usage): 1 idle, 0.5 at its share. */
  readonly fairShare: number;
}

export interface Tenant {
  readonly id: string;
  readonly displayName: string;
  readonly program: string | null;
}

export interface UsageReport {
  readonly from: string;
  readonly to: string;
  readonly rows: { tenant?: string; type?: string; deviceHours: number; runs: number }[];
  readonly total: { deviceHours: number; runs: number };
}

export interface Report {
  readonly path: string;
  readonly title: string;
  readonly bytes: number;
  readonly modifiedAt: string;
}

/**
 * A job's start-time forecast (GET /v1/jobs/:id/forecast, GET /v1/forecasts?ids=…;
 * src/service/forecast/view.ts). "computing" comes with HTTP 202: ask again shortly.
 */
export interface Forecast {
  readonly jobId: number;
  readonly status: "forecast" | "computing" | "started" | "ended";
  /** ISO times; null: never, or not within the forecast horizon in most runs. */
  readonly p10: string | null;
  readonly p50: string | null;
  readonly p90: string | null;
  readonly outcome: "scheduled" | "beyond-horizon" | "never" | null;
  readonly reason: string;
  /** When the snapshot behind it was taken; null while computing. */
  readonly computedAt: string | null;
  /** Monte Carlo runs behind it. */
  readonly runs: number;
  /** Past forecasts that set the P10–P90 band's width; 0: the band as simulated. */
  readonly calibratedOn: number;
}
