/**
 * Fluent builders for tests: job("a").gpus(2).cpu(8) and fleet().node("n1", "h100", 8).
 * Defaults are small and valid, so a test states only what matters to it.
 */
import type { DeviceType, Fleet, FleetNode } from "../../src/core/model/fleet.ts";
import type { Job } from "../../src/core/model/job.ts";

class JobBuilder {
  private j: { -readonly [K in keyof Job]: Job[K] };
  constructor(id: string) {
    this.j = {
      id,
      submitTime: 0,
      duration: 100,
      devices: 1,
      deviceMilli: 1000,
      cpuMilli: 1000,
      memoryMiB: 1024,
      deviceTypes: [],
      priority: 0,
      tenant: "default",
    };
  }
  gpus(n: number): this {
    this.j.devices = n;
    if (n === 0) this.j.deviceMilli = 0;
    return this;
  }
  /** A fractional share of one device, in thousandths. */
  share(milli: number): this {
    this.j.devices = 1;
    this.j.deviceMilli = milli;
    return this;
  }
  cpu(cores: number): this {
    this.j.cpuMilli = cores * 1000;
    return this;
  }
  mem(gib: number): this {
    this.j.memoryMiB = gib * 1024;
    return this;
  }
  types(...t: string[]): this {
    this.j.deviceTypes = t;
    return this;
  }
  at(t: number): this {
    this.j.submitTime = t;
    return this;
  }
  runs(seconds: number): this {
    this.j.duration = seconds;
    return this;
  }
  priority(p: number): this {
    this.j.priority = p;
    return this;
  }
  tenant(t: string): this {
    this.j.tenant = t;
    return this;
  }
  build(): Job {
    return { ...this.j };
  }
}

export function job(id: string): JobBuilder {
  return new JobBuilder(id);
}

class FleetBuilder {
  private nodes: FleetNode[] = [];
  private types = new Map<string, DeviceType>();
  /** Adds a node of `devices` devices of `type` (null for CPU-only), 64 cores and 512 GiB by default. */
  node(id: string, type: string | null, devices: number, cpuCores = 64, memGiB = 512): this {
    if (type !== null && !this.types.has(type))
      this.types.set(type, { id: type, vendor: "test", memoryGiB: 80, speed: 1 });
    this.nodes.push({
      id,
      deviceType: type,
      devices,
      cpuMilli: cpuCores * 1000,
      memoryMiB: memGiB * 1024,
    });
    return this;
  }
  build(name = "test"): Fleet {
    return {
      name,
      deviceTypes: [...this.types.values()],
      sites: [
        {
          id: "s1",
          residency: ["test"],
          racks: [{ id: "r1", domains: this.nodes.map((n) => ({ id: `d-${n.id}`, nodes: [n] })) }],
        },
      ],
    };
  }
}

export function fleet(): FleetBuilder {
  return new FleetBuilder();
}
