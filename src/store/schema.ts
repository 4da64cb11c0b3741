/**
 * The store's tables as kysely sees them. Times are epoch milliseconds (int8 in
 * Postgres, parsed back to numbers by ./open.ts); documents are JSON text.
 */
import type { Generated } from "kysely";

export interface JobsTable {
  id: Generated<number>;
  tenant: string;
  queue: string;
  user: string;
  name: string;
  /** pending | running | succeeded | failed | cancelled */
  state: string;
  /** The submitted body (a JobSpec), JSON. */
  spec: string;
  priority: number;
  submitted_at: number;
  started_at: number | null;
  ended_at: number | null;
  /** While stopping: what follows the exit (requeue | cancel | timeout). */
  stop: string | null;
  /** Starts so far; the current execution is `${id}.${attempt}`. */
  attempt: number;
  /** Device type the current run is charged to, or null. */
  device_type: string | null;
  /** Current placement: [{node, devices, deviceMilli, deviceType}], JSON. */
  placement: string | null;
  exit_code: number | null;
  /** Why it waits (the last cycle's status), or why it ended. */
  reason: string | null;
  idempotency_key: string | null;
  body_hash: string | null;
  /** Device-seconds received in earlier runs (2D-LAS reads it). */
  attained: number;
}

export interface JobEventsTable {
  id: Generated<number>;
  job_id: number;
  at: number;
  kind: string;
  detail: string;
}

export interface QueuesTable {
  path: string;
  tenant: string;
  weight: number;
  /** Record<deviceType, {guaranteed, borrowLimit?, lendLimit?}>, JSON. */
  quota: string;
  created_at: number;
}

export interface TenantsTable {
  id: string;
  display_name: string;
  /** An access program the tenant belongs to, or null. */
  program: string | null;
  created_at: number;
}

export interface TokensTable {
  id: string;
  name: string;
  /** sha256 of the secret, hex. */
  secret_hash: string;
  role: string;
  tenant: string | null;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

export interface NodesTable {
  id: string;
  /** up | cordoned | draining | down */
  state: string;
  reason: string | null;
  updated_at: number;
}

export interface UsageTable {
  id: Generated<number>;
  job_id: number;
  attempt: number;
  tenant: string;
  queue: string;
  user: string;
  device_type: string;
  /** Devices held, in thousandths (8 GPUs = 8000). */
  device_milli: number;
  started_at: number;
  /** null while the run goes on. */
  ended_at: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  tenant: string | null;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
}

export interface ProgramsTable {
  id: string;
  name: string;
  /** What happens past 100% of a budget: preemptible | refuse */
  enforcement: string;
  created_at: number;
}

export interface AllocationsTable {
  id: Generated<number>;
  tenant: string;
  queue: string;
  program: string;
  device_type: string;
  /** Guaranteed devices while active (0 for a budget-only allocation). */
  guaranteed: number;
  /** Device-hours budget, or null. */
  budget_hours: number | null;
  starts_at: number;
  ends_at: number;
  justification: string;
  /** requested | approved | rejected | expired */
  state: string;
  requested_by: string;
  decided_by: string | null;
  decision_note: string | null;
  /** Highest budget warning sent: 0, 80 or 100. */
  budget_alert: number;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface LeaderTable {
  id: number;
  holder: string;
  expires_at: number;
}

export interface Database {
  jobs: JobsTable;
  job_events: JobEventsTable;
  queues: QueuesTable;
  tenants: TenantsTable;
  tokens: TokensTable;
  nodes: NodesTable;
  usage: UsageTable;
  audit: AuditTable;
  programs: ProgramsTable;
  allocations: AllocationsTable;
  settings: SettingsTable;
  leader: LeaderTable;
}
