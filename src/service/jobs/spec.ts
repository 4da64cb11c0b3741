/**
 * What a user submits (POST /v1/jobs) and how it becomes a core Workload. The schema
 * bounds every field, so an oversized request is refused before it reaches the store;
 * checks that need the fleet or the tenancy (known queue and types, fits at all) are
 * in ./admit.ts.
 */
import { type Static, Type } from "typebox";
import type { Workload, WorkloadClass } from "../../core/workload/index.ts";

const Name = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" });
export const QueuePath = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: "^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$",
  description: 'Leaf queue path, e.g. "hyundai/robotics/sim"; its first segment is the tenant',
});
const Seconds = (description: string) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 366 * 86400, description });

export const JobSpec = Type.Object(
  {
    queue: QueuePath,
    name: Type.Optional(Name),
    class: Type.Optional(
      Type.Union(
        [
          Type.Literal("batch"),
          Type.Literal("inference"),
          Type.Literal("simulation"),
          Type.Literal("interactive"),
        ],
        { description: "batch (default), inference, simulation or interactive" },
      ),
    ),
    members: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 4096, description: "Gang size (default 1)" }),
    ),
    minMembers: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 4096, description: "Elastic minimum (default members)" }),
    ),
    devices: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 64, description: "Devices per member (default 1)" }),
    ),
    deviceShare: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Share of one device when devices is 1, e.g. 0.25",
      }),
    ),
    deviceTypes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 16,
        description: "Accepted device types; empty or absent accepts any",
      }),
    ),
    cpuMilli: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    memoryMiB: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_777_216 })),
    duration: Seconds("Declared run time; the sim executor runs this long"),
    estimate: Type.Optional(Seconds("Run-time estimate backfill trusts (default duration)")),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    priorityClass: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    qos: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    preemptible: Type.Optional(Type.Boolean()),
    residency: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    topology: Type.Optional(
      Type.Object(
        {
          level: Type.Union([Type.Literal("domain"), Type.Literal("rack"), Type.Literal("site")]),
          required: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    command: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536 })),
    env: Type.Optional(
      Type.Record(
        Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }),
        Type.String({ maxLength: 4096 }),
        {
          maxProperties: 64,
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type JobSpec = Static<typeof JobSpec>;

/** Priority and preemptibility after priority class and QoS are applied (./admit.ts). */
export interface Resolved {
  readonly priority: number;
  readonly preemptible: boolean;
  readonly maxRuntime?: number;
}

/** The core's view of a stored job. `submitted` is epoch ms; the core counts seconds. */
export function toWorkload(id: number, spec: JobSpec, r: Resolved, submitted: number): Workload {
  const members = spec.members ?? 1;
  const devices = spec.devices ?? 1;
  const cls: WorkloadClass = spec.class ?? "batch";
  return {
    id: String(id),
    queue: spec.queue,
    class: cls,
    submitTime: submitted / 1000,
    duration: cls === "inference" ? Number.POSITIVE_INFINITY : spec.duration,
    ...(spec.estimate !== undefined && { estimate: spec.estimate }),
    members,
    minMembers: spec.minMembers ?? members,
    member: {
      devices,
      deviceMilli:
        devices === 1 && spec.deviceShare !== undefined
          ? Math.max(1, Math.round(spec.deviceShare * 1000))
          : 1000,
      cpuMilli: spec.cpuMilli ?? 0,
      memoryMiB: spec.memoryMiB ?? 0,
    },
    deviceTypes: spec.deviceTypes ?? [],
    priority: r.priority,
    preemptible: r.preemptible,
    ...(r.maxRuntime !== undefined && { maxRuntime: r.maxRuntime }),
    ...(spec.residency !== undefined && { residency: spec.residency }),
    ...(spec.topology !== undefined && { topology: spec.topology }),
  };
}
