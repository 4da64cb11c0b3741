/**
 * Fluent builders for multi-tenant tests:
 *   workload("a").queue("t1/q").gpus(8).gang(4).min(2).residency("kr").priority(5).at(10).runs(3600)
 *   topoFleet({ h100: 1 }, [site("s1", ["kr"], [[node("n0", "h100", 8)]])])
 * Defaults are small and valid (one 1-GPU member, rigid, preemptible batch in "default"),
 * so a test states only what matters to it.
 */
import type { DeviceType, Fleet, FleetNode, Site } from "../../src/core/model/fleet.ts";
import type { TopologyLevel, Workload, WorkloadClass } from "../../src/core/workload/index.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class WorkloadBuilder {
  private w: Mutable<Omit<Workload, "member">> & { member: Mutable<Workload["member"]> };
  /** minMembers when set explicitly; else it follows members (rigid). */
  private minSet: number | undefined;

  constructor(id: string) {
    this.w = {
      id,
      queue: "default",
      class: "batch",
      submitTime: 0,
      duration: 100,
      members: 1,
      minMembers: 1,
      member: { devices: 1, deviceMilli: 1000, cpuMilli: 1000, memoryMiB: 1024 },
      deviceTypes: [],
      priority: 0,
      preemptible: true,
    };
  }
  queue(path: string): this {
    this.w.queue = path;
    return this;
  }
  class(c: WorkloadClass): this {
    this.w.class = c;
    return this;
  }
  /** Whole devices per member (0: CPU-only). */
  gpus(n: number): this {
    this.w.member.devices = n;
    this.w.member.deviceMilli = n === 0 ? 0 : 1000;
    return this;
  }
  /** A fractional share of one device per member, in thousandths. */
  share(milli: number): this {
    this.w.member.devices = 1;
    this.w.member.deviceMilli = milli;
    return this;
  }
  cpu(cores: number): this {
    this.w.member.cpuMilli = cores * 1000;
    return this;
  }
  mem(gib: number): this {
    this.w.member.memoryMiB = gib * 1024;
    return this;
  }
  /** Members, placed all or nothing; rigid unless min() says otherwise. */
  gang(members: number): this {
    this.w.members = members;
    return this;
  }
  /** Members it may start with (elastic) or must keep (inference). */
  min(members: number): this {
    this.minSet = members;
    return this;
  }
  types(...t: string[]): this {
    this.w.deviceTypes = t;
    return this;
  }
  speeds(s: Record<string, number>): this {
    this.w.speeds = s;
    return this;
  }
  residency(r: string): this {
    this.w.residency = r;
    return this;
  }
  topology(level: Exclude<TopologyLevel, "fleet">, required = false): this {
    this.w.topology = { level, required };
    return this;
  }
  priority(p: number): this {
    this.w.priority = p;
    return this;
  }
  preemptible(on = true): this {
    this.w.preemptible = on;
    return this;
  }
  at(t: number): this {
    this.w.submitTime = t;
    return this;
  }
  /** Run time at speed 1.0 with all members (Infinity: a service). */
  runs(seconds: number): this {
    this.w.duration = seconds;
    return this;
  }
  estimate(seconds: number): this {
    this.w.estimate = seconds;
    return this;
  }
  maxRuntime(seconds: number): this {
    this.w.maxRuntime = seconds;
    return this;
  }
  build(): Workload {
    const minMembers = Math.min(this.minSet ?? this.w.members, this.w.members);
    return { ...this.w, member: { ...this.w.member }, minMembers };
  }
}

export function workload(id: string): WorkloadBuilder {
  return new WorkloadBuilder(id);
}

/** A node: `devices` accelerators of `type` (null: CPU-only), 64 cores and 512 GiB by default. */
export function node(
  id: string,
  type: string | null,
  devices: number,
  cpuCores = 64,
  memGiB = 512,
): FleetNode {
  return { id, deviceType: type, devices, cpuMilli: cpuCores * 1000, memoryMiB: memGiB * 1024 };
}

/** A site: racks › domains › nodes; domain ids are d0, d1, … and rack ids r0, r1, … */
export function site(id: string, residency: readonly string[], racks: FleetNode[][][]): Site {
  return {
    id,
    residency,
    racks: racks.map((domains, r) => ({
      id: `r${r}`,
      domains: domains.map((nodes, d) => ({ id: `d${d}`, nodes })),
    })),
  };
}

/** A fleet of `sites`; `speeds` names every device type with its speed (H100 = 1). */
export function topoFleet(
  speeds: Readonly<Record<string, number>>,
  sites: readonly Site[],
  name = "test",
): Fleet {
  const deviceTypes: DeviceType[] = Object.entries(speeds).map(([id, speed]) => ({
    id,
    vendor: "test",
    memoryGiB: 80,
    speed,
  }));
  return { name, deviceTypes, sites };
}
