/**
 * The error catalogue. Every error a user can see carries a GJ_ERR_* code, an HTTP
 * status for the service, and where it happened (file:line or a JSON path).
 * docs/errors.md is kept in sync with this table by src/core/errors.test.ts.
 */

export const ERRORS = {
  GJ_ERR_FLEET_INVALID: { status: 400, title: "The fleet file breaks its schema" },
  GJ_ERR_FLEET_UNKNOWN: { status: 404, title: "No built-in fleet has that name" },
  GJ_ERR_TRACE_ROW: { status: 400, title: "A trace row is malformed" },
  GJ_ERR_TRACE_FORMAT: { status: 400, title: "The trace file's format is not recognised" },
  GJ_ERR_TRACE_EMPTY: { status: 400, title: "The trace holds no jobs" },
  GJ_ERR_FILE_NOT_FOUND: { status: 404, title: "A named file does not exist" },
  GJ_ERR_POLICY_UNKNOWN: { status: 400, title: "No policy or plugin has that name" },
  GJ_ERR_ARGUMENT: { status: 400, title: "A command-line argument is invalid" },
  GJ_ERR_TENANCY_INVALID: { status: 400, title: "The tenancy file breaks its schema" },
  GJ_ERR_TENANT_UNKNOWN: { status: 404, title: "A workload names a queue the tenancy lacks" },
  GJ_ERR_SCENARIO_UNKNOWN: { status: 404, title: "No built-in scenario has that name" },
  GJ_ERR_WORKLOAD_INVALID: { status: 400, title: "A workload breaks its schema" },
  GJ_ERR_VARIANT_INVALID: {
    status: 400,
    title: "A capacity-plan variants file breaks its schema or does not fit its scenario",
  },
  GJ_ERR_STORE: { status: 503, title: "The store cannot be opened or migrated" },
  GJ_ERR_FORECAST_BOOK: {
    status: 500,
    title: "The stored forecast calibration cannot be read; a new one is started",
  },
  GJ_ERR_REQUEST_INVALID: { status: 400, title: "A request body or query breaks the API schema" },
  GJ_ERR_BODY_TOO_LARGE: {
    status: 413,
    title: "A request body is larger than the service accepts",
  },
  GJ_ERR_UNSUPPORTED_MEDIA: { status: 415, title: "A request body is not JSON" },
  GJ_ERR_UNAUTHENTICATED: { status: 401, title: "No valid API token was given" },
  GJ_ERR_FORBIDDEN: { status: 403, title: "The token's role or tenant does not allow this" },
  GJ_ERR_NOT_FOUND: { status: 404, title: "No such resource (or not visible to this token)" },
  GJ_ERR_QUEUE_UNKNOWN: {
    status: 404,
    title: "A job names a queue that does not exist or is not a leaf",
  },
  GJ_ERR_JOB_UNPLACEABLE: { status: 422, title: "A job could never run on this fleet, even empty" },
  GJ_ERR_JOB_FINISHED: { status: 409, title: "The job has already ended" },
  GJ_ERR_IDEMPOTENCY_CONFLICT: {
    status: 409,
    title: "An Idempotency-Key was reused with a different body",
  },
  GJ_ERR_CONFLICT: { status: 409, title: "The resource already exists or changed meanwhile" },
  GJ_ERR_INTERNAL: { status: 500, title: "An unexpected error inside the service" },
  GJ_ERR_SERVER_UNREACHABLE: {
    status: 503,
    title: "The command line cannot reach the gongjang server",
  },
  GJ_ERR_BUDGET_EXHAUSTED: {
    status: 403,
    title: "An allocation's device-hour budget is used up and its program refuses new jobs",
  },
  GJ_ERR_ALLOCATION_STATE: {
    status: 409,
    title: "The allocation's state does not allow this step",
  },
  GJ_ERR_ALLOCATION_OVERCOMMIT: {
    status: 409,
    title: "The allocation's guarantee would break the tenancy",
  },
  GJ_ERR_RESULTS_MISSING: {
    status: 404,
    title: "Published results to validate against are missing",
  },
  GJ_ERR_NVIDIA_SMI_FAILED: { status: 503, title: "nvidia-smi could not be run or failed" },
  GJ_ERR_NVIDIA_SMI_OUTPUT: { status: 502, title: "nvidia-smi printed output that cannot be read" },
  GJ_ERR_SLURM_COMMAND: { status: 502, title: "A Slurm command could not be run or failed" },
  GJ_ERR_SLURM_OUTPUT: { status: 502, title: "A Slurm command printed output that cannot be read" },
  GJ_ERR_EXECUTOR_UNSUPPORTED: {
    status: 409,
    title: "The service's executor does not support this operation",
  },
  GJ_ERR_AGENT_MISMATCH: {
    status: 409,
    title: "A node agent's devices or node do not match the fleet",
  },
  GJ_ERR_AGENT_SESSION: {
    status: 409,
    title: "A node agent's session is unknown or replaced: register again",
  },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Where an error happened: a file and line, and/or a JSON path inside a document. */
export interface ErrorLocation {
  readonly file?: string;
  readonly line?: number;
  readonly path?: string;
}

/** A coded, user-facing error. The message names what was wrong and where. */
export class GongjangError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly location: ErrorLocation;
  readonly details: readonly string[];
  /** The message alone, without code and location (the API sends them as fields). */
  readonly text: string;

  constructor(
    code: ErrorCode,
    message: string,
    location: ErrorLocation = {},
    details: string[] = [],
  ) {
    super(`${code}: ${formatLocation(location)}${message}`);
    this.name = "GongjangError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.location = location;
    this.details = details;
    this.text = message;
  }
}

function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined)
    parts.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  if (loc.path !== undefined) parts.push(loc.path);
  return parts.length > 0 ? `${parts.join(" ")}: ` : "";
}
