/**
 * Device types the built-in fleets share. Speeds are throughput relative to an
 * H100 (= 1.0) and are rough, public-spec-sheet ratios meant for capacity-planning
 * demos, not benchmarks; a real deployment states its own in its fleet file.
 */
import type { DeviceType } from "../core/model/fleet.ts";

/** The catalogue, by id. */
export const DEVICE_TYPES = {
  "nvidia-h100-80g": { id: "nvidia-h100-80g", vendor: "nvidia", memoryGiB: 80, speed: 1.0 },
  "nvidia-b200": { id: "nvidia-b200", vendor: "nvidia", memoryGiB: 180, speed: 2.2 },
  // One device = one Rubin die as "NVL144" counts them: 288 GB HBM4 per two-die package.
  "nvidia-vr-nvl144": { id: "nvidia-vr-nvl144", vendor: "nvidia", memoryGiB: 144, speed: 3.5 },
  // Inference NPUs: strong per watt, far below an H100 per device.
  "rebellions-atom": { id: "rebellions-atom", vendor: "rebellions", memoryGiB: 16, speed: 0.25 },
  "furiosa-rngd": { id: "furiosa-rngd", vendor: "furiosa", memoryGiB: 48, speed: 0.4 },
} as const satisfies Record<string, DeviceType>;

/** An id of the catalogue. */
export type KnownDeviceType = keyof typeof DEVICE_TYPES;

/**
 * The catalogue entry for `id`, or, for an id it does not know, a placeholder with
 * the vendor taken from the id's first dash-separated word, memory 0 (unknown) and
 * speed 1.0, so synthetic fleets can use any label.
 */
export function deviceTypeFor(id: string): DeviceType {
  if (Object.hasOwn(DEVICE_TYPES, id)) return DEVICE_TYPES[id as KnownDeviceType];
  return { id, vendor: id.split("-")[0] || "unknown", memoryGiB: 0, speed: 1.0 };
}
