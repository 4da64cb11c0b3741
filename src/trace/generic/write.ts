/**
 * Writers for the generic trace format. Output reads back to equal jobs through
 * generic/read.ts; numbers use JavaScript's shortest round-trip form.
 */
import Papa from "papaparse";
import type { Job } from "../../core/model/job.ts";
import { GENERIC_COLUMNS } from "./columns.ts";

/**
 * Generic CSV: the header row with every column in documented order, then one row
 * per job, `\n` line ends and a final newline. A never-ending job's duration is
 * `inf`. Throws (a bug upstream) if a device type is empty or holds `|`.
 */
export function writeGenericCsv(jobs: readonly Job[]): string {
  const data = jobs.map((j) => [
    j.id,
    String(j.submitTime),
    Number.isFinite(j.duration) ? String(j.duration) : "inf",
    String(j.devices),
    String(j.deviceMilli),
    String(j.cpuMilli),
    String(j.memoryMiB),
    joinTypes(j),
    String(j.priority),
    j.tenant,
  ]);
  return `${Papa.unparse({ fields: [...GENERIC_COLUMNS], data }, { newline: "\n" })}\n`;
}

/**
 * Generic JSONL: one object per job with keys in documented order, `device_types`
 * as an array and `duration: null` for a job that never ends; a final newline.
 */
export function writeGenericJsonl(jobs: readonly Job[]): string {
  let out = "";
  for (const j of jobs) {
    joinTypes(j);
    const row = {
      id: j.id,
      submit_time: j.submitTime,
      duration: Number.isFinite(j.duration) ? j.duration : null,
      devices: j.devices,
      device_milli: j.deviceMilli,
      cpu_milli: j.cpuMilli,
      memory_mib: j.memoryMiB,
      device_types: j.deviceTypes,
      priority: j.priority,
      tenant: j.tenant,
    };
    out += `${JSON.stringify(row)}\n`;
  }
  return out;
}

function joinTypes(job: Job): string {
  for (const t of job.deviceTypes) {
    if (t === "" || t.includes("|")) {
      throw new Error(
        `job ${JSON.stringify(job.id)}: device type ${JSON.stringify(t)} cannot be written`,
      );
    }
  }
  return job.deviceTypes.join("|");
}
