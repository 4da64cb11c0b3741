/** Request and response schemas of POST /v1/usage/reconcile (see ../usage/reconcile.ts). */
import { Type } from "typebox";

export const ReconcileBody = Type.Object(
  {
    since: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "ISO time: runs that ended since then; default 7 days ago",
      }),
    ),
    apply: Type.Optional(
      Type.Boolean({ description: "Move mismatched usage records to Slurm's times (audited)" }),
    ),
    toleranceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400,
        description: "Start/end differences up to this count as matched (default 5)",
      }),
    ),
  },
  { additionalProperties: false },
);

const Figures = {
  startedAt: Type.String({ format: "date-time" }),
  endedAt: Type.String({ format: "date-time" }),
  devices: Type.Number(),
  deviceHours: Type.Number(),
};
const RunFigures = Type.Object(Figures);

export const ReconcileReportSchema = Type.Object({
  since: Type.String({ format: "date-time" }),
  asOf: Type.String({ format: "date-time" }),
  deployment: Type.String(),
  toleranceSeconds: Type.Integer(),
  applied: Type.Boolean(),
  corrected: Type.Integer({ description: "Usage records moved to Slurm's times" }),
  matched: Type.Integer({ description: "Runs both sides agree on" }),
  mismatched: Type.Array(
    Type.Object({
      job: Type.Integer(),
      attempt: Type.Integer(),
      tenant: Type.String(),
      slurmJobId: Type.String(),
      slurmState: Type.String(),
      gongjang: RunFigures,
      slurm: RunFigures,
      deltaDeviceHours: Type.Number({ description: "slurm − gongjang" }),
      deltaStartSeconds: Type.Number(),
      deltaEndSeconds: Type.Number(),
    }),
  ),
  onlyInGongjang: Type.Array(
    Type.Object({
      job: Type.Integer(),
      attempt: Type.Integer(),
      tenant: Type.String(),
      ...Figures,
    }),
  ),
  onlyInSlurm: Type.Array(
    Type.Object({
      job: Type.Integer(),
      attempt: Type.Integer(),
      slurmJobId: Type.String(),
      slurmState: Type.String(),
      ...Figures,
    }),
  ),
  skipped: Type.Object({
    open: Type.Integer({ description: "Runs still open in gongjang" }),
    running: Type.Integer({ description: "Slurm jobs not ended yet" }),
  }),
  totals: Type.Object({ gongjangDeviceHours: Type.Number(), slurmDeviceHours: Type.Number() }),
});
