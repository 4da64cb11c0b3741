/** How a job reads in tables (pure). */
import { formatDuration, shortType } from "../../format.ts";
import type { Job } from "../../types.ts";

export const FINAL_STATES: readonly string[] = ["succeeded", "failed", "cancelled"];

/** "2×8 h100-80g", "1×0.25 any": members × devices per member and the type. */
export function jobDevices(j: Pick<Job, "spec" | "deviceType">): string {
  const members = Number(j.spec.members ?? 1);
  const share = j.spec.deviceShare;
  const devices = share !== undefined ? Number(share) : Number(j.spec.devices ?? 1);
  const accepted = Array.isArray(j.spec.deviceTypes) ? (j.spec.deviceTypes as string[]) : [];
  const type =
    j.deviceType !== null
      ? shortType(j.deviceType)
      : accepted.length > 0
        ? accepted.map(shortType).join("|")
        : "any";
  return `${members}×${devices} ${type}`;
}

/** The wait of a pending job, the run time of a running one, else the whole span. */
export function jobElapsed(
  j: Pick<Job, "state" | "submittedAt" | "startedAt" | "endedAt">,
  now: number,
): string {
  const sub = Date.parse(j.submittedAt);
  if (j.state === "pending") return formatDuration((now - sub) / 1000);
  if (j.startedAt === null)
    return formatDuration(((j.endedAt ? Date.parse(j.endedAt) : now) - sub) / 1000);
  const start = Date.parse(j.startedAt);
  return `${formatDuration((start - sub) / 1000)} / ${formatDuration(((j.endedAt ? Date.parse(j.endedAt) : now) - start) / 1000)}`;
}
