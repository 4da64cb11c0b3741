/**
 * The demo fleet: a small national AI factory over two sites with different data
 * residency, mixing NVIDIA generations with domestic NPUs. Small enough to read in
 * `gongjang fleet show`, varied enough to exercise residency, topology (NVL144
 * islands vs PCIe boxes) and heterogeneous device types.
 *
 *   pangyo  [kr, kr-gyeonggi]  2 Vera Rubin NVL144 racks (2 × 18 trays × 8 = 288)
 *                              8 Furiosa RNGD servers    (8 × 8 = 64)
 *   gwangju [kr, kr-gwangju]   16 H100 HGX nodes in leaf-switch pods of 4 (16 × 8 = 128)
 *                              16 Rebellions ATOM servers (16 × 8 = 128)
 *                              4 CPU-only data-prep nodes
 *   total 608 devices
 */
import type { Domain, Fleet, FleetNode, Rack } from "../../core/model/fleet.ts";
import { DEVICE_TYPES, type KnownDeviceType } from "../device-types.ts";

/** Per-node CPU cores and memory (GiB), as the vendors' reference servers ship. */
const SERVER = {
  // A Vera Rubin compute tray: two 88-core Vera CPUs with LPDDR5X.
  vr: { cores: 176, memoryGiB: 3072 },
  // A DGX/HGX H100: two 56-core Xeon 8480C, 2 TiB.
  h100: { cores: 112, memoryGiB: 2048 },
  // Typical 2-socket PCIe inference servers hosting 8 NPU cards.
  npu: { cores: 64, memoryGiB: 1024 },
  cpu: { cores: 128, memoryGiB: 1024 },
} as const;

function nodes(
  prefix: string,
  count: number,
  type: KnownDeviceType | null,
  devices: number,
  server: { cores: number; memoryGiB: number },
): FleetNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(2, "0")}`,
    deviceType: type,
    devices,
    cpuMilli: server.cores * 1000,
    memoryMiB: server.memoryGiB * 1024,
  }));
}

/** Splits nodes into domains of `size` (a PCIe box is a domain of one node). */
function domains(idPrefix: string, all: readonly FleetNode[], size: number): Domain[] {
  const out: Domain[] = [];
  for (let i = 0; i < all.length; i += size) {
    out.push({
      id: `${idPrefix}-${String(out.length).padStart(2, "0")}`,
      nodes: all.slice(i, i + size),
    });
  }
  return out;
}

/** Splits domains into racks of `size` domains. */
function racks(idPrefix: string, all: readonly Domain[], size: number): Rack[] {
  const out: Rack[] = [];
  for (let i = 0; i < all.length; i += size) {
    out.push({
      id: `${idPrefix}-${String(out.length + 1).padStart(2, "0")}`,
      domains: all.slice(i, i + size),
    });
  }
  return out;
}

/**
 * The demo AI-factory fleet: 2 sites, 608 devices of 4 types plus 4 CPU-only nodes
 * (see the file comment for the layout). Deterministic: every call returns an equal
 * fleet with node ids unique fleet-wide.
 */
export function demoAiFactoryFleet(): Fleet {
  // One NVL144 rack = one NVLink domain of 18 compute trays.
  const vrRacks = [1, 2].map(
    (r): Rack => ({
      id: `vr-${String(r).padStart(2, "0")}`,
      domains: [{ id: "nvl144", nodes: nodes(`vr${r}`, 18, "nvidia-vr-nvl144", 8, SERVER.vr) }],
    }),
  );
  const rngd = nodes("rngd", 8, "furiosa-rngd", 8, SERVER.npu);
  const h100 = nodes("h100", 16, "nvidia-h100-80g", 8, SERVER.h100);
  const atom = nodes("atom", 16, "rebellions-atom", 8, SERVER.npu);
  const cpu = nodes("cpu", 4, null, 0, SERVER.cpu);
  return {
    name: "demo-ai-factory",
    deviceTypes: [
      DEVICE_TYPES["nvidia-vr-nvl144"],
      DEVICE_TYPES["nvidia-h100-80g"],
      DEVICE_TYPES["rebellions-atom"],
      DEVICE_TYPES["furiosa-rngd"],
    ],
    sites: [
      {
        id: "pangyo",
        residency: ["kr", "kr-gyeonggi"],
        racks: [...vrRacks, ...racks("rngd", domains("box", rngd, 1), 8)],
      },
      {
        id: "gwangju",
        residency: ["kr", "kr-gwangju"],
        racks: [
          // Two racks of two 4-node pods, each pod under one InfiniBand leaf switch:
          // a gang of up to 32 devices stays one hop apart.
          ...racks("h100", domains("pod", h100, 4), 2),
          ...racks("atom", domains("box", atom, 1), 8),
          ...racks("cpu", domains("cpu", cpu, 4), 1),
        ],
      },
    ],
  };
}
