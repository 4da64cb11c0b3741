/**
 * Trace jobs as workloads, for the multi-tenant simulator. A job asking for g whole
 * devices becomes a gang of g one-device members (placed all or nothing, packed by
 * topology), so traces from clusters with any node size replay on any fleet;
 * a fractional or CPU-only job stays one member.
 */
import type { Job } from "../core/model/job.ts";
import { type Workload, WorkloadClass } from "../core/workload/index.ts";

/** Converts jobs in order; each lands in queue `tenant` (default the job's own). */
export function jobsToWorkloads(jobs: readonly Job[], queue?: string): Workload[] {
  return jobs.map((j) => {
    const split = j.devices > 1 && j.deviceMilli === 1000;
    const members = split ? j.devices : 1;
    return {
      id: j.id,
      queue: queue ?? j.tenant,
      class: WorkloadClass.Batch,
      submitTime: j.submitTime,
      duration: j.duration,
      estimate: j.estimate,
      members,
      minMembers: members,
      member: {
        devices: split ? 1 : j.devices,
        deviceMilli: j.deviceMilli,
        cpuMilli: split ? Math.ceil(j.cpuMilli / members) : j.cpuMilli,
        memoryMiB: split ? Math.ceil(j.memoryMiB / members) : j.memoryMiB,
      },
      deviceTypes: j.deviceTypes,
      priority: j.priority,
      preemptible: true,
      residency: j.residency,
    };
  });
}
