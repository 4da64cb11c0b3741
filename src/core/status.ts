/**
 * "Doesn't fit" is a value, never an exception. A Status names the plugin that said
 * no and why, with numbers; the same text answers "why is my job pending".
 */
export const StatusCode = {
  Success: "Success",
  /** Does not fit now; may fit after other work ends. */
  Unschedulable: "Unschedulable",
  /** Can never fit on this fleet as it is (e.g. more devices than any node has). */
  Unresolvable: "Unresolvable",
} as const;

export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface Status {
  readonly code: StatusCode;
  readonly plugin: string;
  readonly reason: string;
}

export function unschedulable(plugin: string, reason: string): Status {
  return { code: StatusCode.Unschedulable, plugin, reason };
}

export function unresolvable(plugin: string, reason: string): Status {
  return { code: StatusCode.Unresolvable, plugin, reason };
}
