/**
 * A gentle synthetic load for the demo: every few seconds, a job drawn from the demo
 * scenario's workload mix (real-trace-fitted shapes) is submitted to a random demo
 * queue through the same admission path as the API.
 */
import { loadScenario } from "../../scenario/index.ts";
import type { Principal } from "../auth/roles.ts";
import type { ServiceContext } from "../context.ts";
import type { JobSpec } from "../jobs/spec.ts";
import { submitJob } from "../jobs/submit.ts";

export interface DemoLoad {
  stop(): void;
}

const LOADER: Principal = { tokenId: "demo", name: "demo-load", role: "admin", tenant: null };

export function startDemoLoad(ctx: ServiceContext, everyMs = 3000, seed = 7): DemoLoad {
  const scenario = loadScenario("demo-ai-factory", { seed, days: 2 });
  const mix = scenario.workloads.filter((w) => Number.isFinite(w.duration));
  let i = 0;
  const timer = setInterval(() => {
    const w = mix[i++ % mix.length];
    const spec: JobSpec = {
      queue: w.queue,
      name: `${w.class}-${i}`,
      class: w.class,
      members: w.members,
      minMembers: w.minMembers,
      devices: w.member.devices,
      ...(w.member.deviceMilli < 1000 && { deviceShare: w.member.deviceMilli / 1000 }),
      ...(w.deviceTypes.length > 0 && { deviceTypes: [...w.deviceTypes] }),
      duration: Math.max(60, Math.min(w.duration, 6 * 3600)),
      priority: w.priority,
      preemptible: w.preemptible,
      ...(w.residency !== undefined && { residency: w.residency }),
      ...(w.topology !== undefined && { topology: w.topology }),
    };
    submitJob(ctx, LOADER, spec, `demo-${seed}-${i}`).catch((err) =>
      process.stderr.write(`demo load: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
