/**
 * Writes a Fleet as the YAML fleet format (docs/fleet-format.md) that `loadFleet`
 * reads back to an equal fleet: what `gongjang fleet import --from-slurm` prints.
 */
import { stringify } from "yaml";
import type { Fleet } from "../core/model/fleet.ts";

/** YAML text for `fleet`; `comment` lines go on top as `# …`. */
export function fleetYaml(fleet: Fleet, comment: readonly string[] = []): string {
  const doc = {
    name: fleet.name,
    deviceTypes: fleet.deviceTypes.map((t) => ({
      id: t.id,
      vendor: t.vendor,
      memoryGiB: t.memoryGiB,
      speed: t.speed,
    })),
    sites: fleet.sites.map((s) => ({
      id: s.id,
      ...(s.residency.length > 0 && { residency: [...s.residency] }),
      racks: s.racks.map((r) => ({
        id: r.id,
        domains: r.domains.map((d) => ({
          id: d.id,
          nodes: d.nodes.map((n) => ({
            id: n.id,
            ...(n.deviceType !== null && { deviceType: n.deviceType }),
            devices: n.devices,
            cpu: n.cpuMilli / 1000,
            // The format counts GiB; keep MiB exact (16000 MiB → 15.625 GiB).
            memoryGiB: Math.max(n.memoryMiB, 1) / 1024,
          })),
        })),
      })),
    })),
  };
  const head = comment.map((c) => `# ${c}\n`).join("");
  return head + stringify(doc, { lineWidth: 0 });
}
