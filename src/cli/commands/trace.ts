/**
 * `gongjang trace inspect FILE` and `gongjang trace convert FILE --to F --out PATH`.
 * Bad input is thrown as GongjangError; main.ts prints it and exits 3 (2 for a bad
 * option value).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Command, Option } from "commander";
import {
  FORMAT_OPTIONS,
  type FormatOption,
  type LoadedTrace,
  loadTrace,
  writeGenericCsv,
  writeGenericJsonl,
} from "../../trace/index.ts";
import { humanSeconds, inspectTrace, type TraceSummary } from "../../trace/inspect.ts";

/** Where command output goes; tests pass their own to capture it. */
export type Write = (text: string) => void;

const stdout: Write = (text) => {
  process.stdout.write(text);
};

/** Targets of `trace convert`. */
export const CONVERT_TARGETS = ["generic-csv", "generic-jsonl"] as const;
type ConvertTarget = (typeof CONVERT_TARGETS)[number];

interface ReadFlags {
  format: FormatOption;
  skipBadRows?: boolean;
}

/**
 * Adds the `trace` command group to `program`. `write` receives everything the
 * commands print (default: stdout); `convert --out -` also writes the trace there.
 * Actions throw GongjangError on bad input and never set the exit code themselves.
 */
export function registerTrace(program: Command, write: Write = stdout): void {
  const trace = program
    .command("trace")
    .description("inspect and convert job traces (docs/trace-format.md)");
  const formatOption = (): Option =>
    new Option("--format <format>", "input format").choices(FORMAT_OPTIONS).default("auto");
  trace
    .command("inspect")
    .description(
      "summarize a trace: jobs, time span, device demand, constraints, tenants, durations",
    )
    .argument("<file>", "trace file (generic CSV/JSONL, openb pod list, Tiresias job list)")
    .addOption(formatOption())
    .option("--skip-bad-rows", "skip malformed rows (counted, first 20 listed) instead of failing")
    .option("--json", "print the summary as JSON")
    .action((file: string, opts: ReadFlags & { json?: boolean }) => {
      const summary = inspectTrace(load(file, opts));
      write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    });
  trace
    .command("convert")
    .description("rewrite a trace in the generic format")
    .argument("<file>", "trace file to read")
    .addOption(
      new Option("--to <target>", "output format").choices(CONVERT_TARGETS).makeOptionMandatory(),
    )
    .requiredOption("--out <path>", "file to write ('-' for stdout)")
    .addOption(formatOption())
    .option("--skip-bad-rows", "skip malformed rows instead of failing")
    .action((file: string, opts: ReadFlags & { to: ConvertTarget; out: string }) => {
      const loaded = load(file, opts);
      const text =
        opts.to === "generic-csv" ? writeGenericCsv(loaded.jobs) : writeGenericJsonl(loaded.jobs);
      if (opts.out === "-") {
        write(text);
        return;
      }
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileSync(opts.out, text);
      const skipped = loaded.skipped > 0 ? `; skipped ${loaded.skipped} bad rows` : "";
      write(
        `wrote ${loaded.jobs.length} jobs (${loaded.format} → ${opts.to}) to ${opts.out}${skipped}\n`,
      );
    });
}

function load(file: string, opts: ReadFlags): LoadedTrace {
  return loadTrace(file, { format: opts.format, skipBadRows: opts.skipBadRows === true });
}

/** The human summary: key/value lines, then aligned tables. */
export function renderSummary(s: TraceSummary): string {
  const d = s.duration;
  const pairs: [string, string][] = [
    ["file", s.file ?? "-"],
    ["format", s.format ?? "-"],
    ["jobs", int(s.jobs)],
    ["skipped rows", int(s.skipped)],
    ["submit times", `${s.submit.firstHuman} → ${s.submit.lastHuman} (span ${s.submit.spanHuman})`],
    ["device demand", `${dec(s.deviceDemand)} devices`],
    [
      "type-constrained",
      `${int(s.deviceTypes.constrainedJobs)} jobs (${pct(s.deviceTypes.constrainedShare)})`,
    ],
    [
      "durations",
      d.finite === 0
        ? `all ${int(d.neverEnding)} never end`
        : `mean ${humanSeconds(d.mean ?? 0)}, p50 ${humanSeconds(d.p50 ?? 0)}, ` +
          `p95 ${humanSeconds(d.p95 ?? 0)}, max ${humanSeconds(d.max ?? 0)}` +
          ` (${int(d.finite)} finite, ${int(d.neverEnding)} never end)`,
    ],
  ];
  const keyWidth = Math.max(...pairs.map(([k]) => k.length));
  const out = pairs.map(([k, v]) => `${k.padEnd(keyWidth)}  ${v}`);
  const share = (n: number): string => pct(s.jobs === 0 ? 0 : n / s.jobs);
  out.push(
    "",
    ...table(
      ["demand", "jobs", "share", "devices"],
      s.histogram.map((h) => [h.bucket, int(h.jobs), share(h.jobs), dec(h.devices)]),
    ),
  );
  if (s.deviceTypes.top.length > 0) {
    out.push(
      "",
      ...table(
        ["device type", "jobs", "share"],
        s.deviceTypes.top.map((t) => [t.type, int(t.jobs), share(t.jobs)]),
      ),
    );
  }
  out.push(
    "",
    ...table(
      ["tenant", "jobs", "share", "devices"],
      s.tenants.map((t) => [t.tenant, int(t.jobs), share(t.jobs), dec(t.devices)]),
    ),
  );
  if (s.tenantCount > s.tenants.length)
    out.push(`… and ${s.tenantCount - s.tenants.length} more tenants`);
  if (s.errors.length > 0) {
    out.push(
      "",
      `first ${s.errors.length} of ${s.skipped} skipped rows:`,
      ...s.errors.map((e) => `  ${e}`),
    );
  }
  return `${out.join("\n")}\n`;
}

/** Rows under a header; the first column left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

const int = (n: number): string => n.toLocaleString("en-US");
const dec = (n: number): string =>
  n.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
