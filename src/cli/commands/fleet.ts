/**
 * `gongjang fleet validate FILE` and `gongjang fleet show NAME|FILE [--json]`.
 * Problems are thrown as GongjangError; main.ts prints them with their details
 * (one `file:line path: message` each) and exits 3.
 */
import type { Command } from "commander";
import type { Fleet } from "../../core/model/fleet.ts";
import { fleetYaml } from "../../fleet/dump.ts";
import { BUILTIN_FLEETS, loadFleet, loadFleetFile } from "../../fleet/index.ts";
import { devicesByTypeLine, type FleetSummary, fmt, summarizeFleet } from "../../fleet/summary.ts";

/** Where command output goes; tests pass their own to capture it. */
export type Write = (text: string) => void;

const stdout: Write = (text) => {
  process.stdout.write(text);
};

/**
 * Adds the `fleet` command group to `program`. `write` receives everything the
 * commands print (default: stdout). Actions throw GongjangError on bad input and
 * never set the exit code themselves.
 */
export function registerFleet(program: Command, write: Write = stdout): void {
  const fleet = program
    .command("fleet")
    .description("check and inspect fleet files and built-in fleets");
  fleet
    .command("validate")
    .description(
      "check a YAML fleet file against the schema (docs/fleet-format.md); lists every problem",
    )
    .argument("<file>", "fleet file (.yaml)")
    .action((file: string) => {
      const f = loadFleetFile(file);
      write(`ok: ${f.name}: ${totalsLine(summarizeFleet(f))}\n`);
    });
  fleet
    .command("show")
    .description(
      `summarize a fleet by site and device type; built-in: ${BUILTIN_FLEETS.map((b) => b.name).join(", ")}`,
    )
    .argument("<fleet>", "built-in fleet name or fleet file")
    .option("--json", "print the summary as JSON")
    .action((spec: string, opts: { json?: boolean }) => {
      const f = loadFleet(spec);
      write(opts.json ? `${JSON.stringify(showJson(f), null, 2)}\n` : showText(f));
    });
  fleet
    .command("import")
    .description("build a fleet file from a live cluster and print it as YAML (> fleet.yaml)")
    .requiredOption("--from-slurm", "read the Slurm controller's nodes and GPU GRES (sinfo --json)")
    .option("--name <name>", "fleet name", "slurm")
    .option("--site <id>", "site id for nodes without a site-X feature", "slurm")
    .option("--include-unavailable", "keep nodes that are down or drained")
    .action(async (opts: { name: string; site: string; includeUnavailable?: boolean }) => {
      // Loaded here: only this subcommand needs the Slurm client.
      const { SlurmCli } = await import("../../service/executors/slurm/cli.ts");
      const { fetchSlurmFleet } = await import("../../service/executors/slurm/fleet.ts");
      const f = await fetchSlurmFleet(new SlurmCli(), {
        name: opts.name,
        site: opts.site,
        includeUnavailable: opts.includeUnavailable === true,
      });
      write(
        fleetYaml(f, [
          `imported from Slurm (sinfo --json) on ${new Date().toISOString()}`,
          totalsLine(summarizeFleet(f)),
        ]),
      );
    });
}

function totalsLine(s: FleetSummary): string {
  const counts = [
    `${fmt(s.sites)} ${s.sites === 1 ? "site" : "sites"}`,
    `${fmt(s.racks)} ${s.racks === 1 ? "rack" : "racks"}`,
    `${fmt(s.domains)} ${s.domains === 1 ? "domain" : "domains"}`,
    `${fmt(s.nodes)} ${s.nodes === 1 ? "node" : "nodes"}`,
  ];
  return `${counts.join(", ")}, ${devicesByTypeLine(s)}`;
}

function showJson(f: Fleet): FleetSummary & { deviceTypes: Fleet["deviceTypes"] } {
  return { ...summarizeFleet(f), deviceTypes: f.deviceTypes };
}

function showText(f: Fleet): string {
  const s = summarizeFleet(f);
  const lines = [`fleet ${s.name}: ${totalsLine(s)}`, "", "device types:"];
  const row = (cells: string[], widths: number[]): string =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`;
  const typeWidths = [20, 12, 10, 6, 8, 9];
  lines.push(row(["id", "vendor", "memory", "speed", "nodes", "devices"], typeWidths));
  for (const c of s.byType) {
    const t = f.deviceTypes.find((d) => d.id === c.deviceType);
    const cells =
      t === undefined
        ? ["(cpu only)", "", "", "", fmt(c.nodes), "0"]
        : [
            t.id,
            t.vendor,
            t.memoryGiB > 0 ? `${t.memoryGiB} GiB` : "unknown",
            t.speed.toFixed(2),
            fmt(c.nodes),
            fmt(c.devices),
          ];
    lines.push(row(cells, typeWidths));
  }
  lines.push("", "sites:");
  for (const site of s.bySite) {
    const cores = fmt(Math.round(site.cpuMilli / 1000));
    const mem = fmt(Math.round(site.memoryMiB / 1024));
    lines.push(
      `  ${site.id} [${site.residency.join(", ")}]: ${fmt(site.racks)} racks, ${fmt(site.domains)} domains, ` +
        `${fmt(site.nodes)} nodes, ${fmt(site.devices)} devices, ${cores} cores, ${mem} GiB memory`,
    );
    for (const c of site.byType) {
      const label = c.deviceType ?? "(cpu only)";
      lines.push(
        `    ${label.padEnd(20)}${fmt(c.nodes).padStart(8)} nodes${fmt(c.devices).padStart(9)} devices`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
