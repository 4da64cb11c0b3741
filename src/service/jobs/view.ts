/** A stored job as the API shows it: ISO times, parsed placement and spec. */
import { type Static, Type } from "typebox";
import { type JobRow, placementOf } from "../../store/jobs.ts";
import { storedSpec } from "./workload.ts";

const Time = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const JobView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  tenant: Type.String(),
  queue: Type.String(),
  user: Type.String(),
  state: Type.String(),
  submittedAt: Type.String({ format: "date-time" }),
  startedAt: Time,
  endedAt: Time,
  attempt: Type.Integer(),
  deviceType: Type.Union([Type.String(), Type.Null()]),
  placement: Type.Array(
    Type.Object({
      node: Type.String(),
      devices: Type.Array(Type.Integer()),
      deviceMilli: Type.Integer(),
      deviceType: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  spec: Type.Record(Type.String(), Type.Unknown()),
});
export type JobView = Static<typeof JobView>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    name: row.name,
    tenant: row.tenant,
    queue: row.queue,
    user: row.user,
    state: row.state,
    submittedAt: new Date(row.submitted_at).toISOString(),
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    attempt: row.attempt,
    deviceType: row.device_type,
    placement: placementOf(row).map((m) => ({ ...m, devices: [...m.devices] })),
    exitCode: row.exit_code,
    reason: row.reason,
    spec: { ...storedSpec(row) },
  };
}
