/**
 * Roles and what they may do. Every token has one role; all but admin and
 * program-admin are scoped to one tenant, and a token with a tenant never sees
 * another tenant's jobs, usage or audit records (they answer 404, not 403, so that
 * ids do not leak across tenants).
 *
 *   role           reads                 writes
 *   admin          everything            everything
 *   program-admin  everything            programs, allocation decisions
 *   tenant-admin   its tenant            its jobs, tokens, allocation requests
 *   member         its tenant            its tenant's jobs (submit, cancel)
 *   viewer         its tenant (or all)   nothing
 *   agent          nothing               its node's registration and heartbeats
 *                                        (/v1/agents/* only; see app.ts)
 */
import { GongjangError } from "../../core/errors.ts";

export const ROLES = [
  "admin",
  "program-admin",
  "tenant-admin",
  "member",
  "viewer",
  "agent",
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  /** null: not scoped (admin, program-admin, a fleet-wide viewer). */
  readonly tenant: string | null;
}

export const Action = {
  Read: "read",
  SubmitJob: "submit-job",
  CancelJob: "cancel-job",
  ManageFleet: "manage-fleet",
  ManageTenancy: "manage-tenancy",
  ManageTokens: "manage-tokens",
  RequestAllocation: "request-allocation",
  DecideAllocation: "decide-allocation",
  /** Correct the usage records from the executor's own accounting (Slurm's sacct). */
  ReconcileUsage: "reconcile-usage",
  /** A GPU node agent registers its node, heartbeats and reports its runs. */
  AgentReport: "agent-report",
} as const;
export type Action = (typeof Action)[keyof typeof Action];

const ALLOWED: Record<Role, readonly Action[]> = {
  admin: Object.values(Action),
  "program-admin": [Action.Read, Action.DecideAllocation],
  "tenant-admin": [
    Action.Read,
    Action.SubmitJob,
    Action.CancelJob,
    Action.ManageTokens,
    Action.RequestAllocation,
  ],
  member: [Action.Read, Action.SubmitJob, Action.CancelJob],
  viewer: [Action.Read],
  agent: [Action.AgentReport],
};

/** Whether `p` may see a resource of `tenant` (null: a fleet-wide resource). */
export function canSee(p: Principal, tenant: string | null): boolean {
  return p.tenant === null || tenant === null || p.tenant === tenant;
}

/**
 * Throws unless `p` may do `action` on a resource of `tenant`. A resource of another
 * tenant is reported as not found, so its existence does not leak.
 */
export function authorize(
  p: Principal,
  action: Action,
  tenant: string | null,
  what = "resource",
): void {
  if (!canSee(p, tenant)) throw new GongjangError("GJ_ERR_NOT_FOUND", `no such ${what}`);
  if (!ALLOWED[p.role].includes(action))
    throw new GongjangError("GJ_ERR_FORBIDDEN", `role ${p.role} may not ${action}`);
}

/** The tenant filter for listings: the principal's own tenant, or the requested one. */
export function tenantScope(p: Principal, requested: string | undefined): string | undefined {
  if (p.tenant === null) return requested;
  if (requested !== undefined && requested !== p.tenant)
    throw new GongjangError("GJ_ERR_NOT_FOUND", `no such tenant "${requested}"`, {
      path: "tenant",
    });
  return p.tenant;
}
