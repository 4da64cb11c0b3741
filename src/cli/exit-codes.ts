/** Exit codes of the gongjang CLI; documented in README.md ("Exit codes"). */
export const EXIT = {
  OK: 0,
  /** An unexpected internal failure (a bug): please report it. */
  INTERNAL: 1,
  /** Bad usage: unknown command, option or argument value. */
  USAGE: 2,
  /** An input file (fleet, trace, scenario) is missing or invalid. */
  INPUT: 3,
  /** A check ran and failed, e.g. the FGD fidelity validation. */
  CHECK_FAILED: 4,
  /** The control plane could not be reached, or failed (HTTP 5xx). */
  SERVICE: 5,
} as const;
