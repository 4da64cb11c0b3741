/**
 * `gongjang allocation request|list|approve|reject` and `gongjang program list`:
 * access-program allocations through /v1/allocations and /v1/programs. A tenant-admin
 * requests; a program-admin (or admin) approves or rejects.
 */
import type { Command } from "commander";
import { GongjangError } from "../../../core/errors.ts";
import { type ClientEnv, clientAction, positiveInt } from "../../client/command.ts";
import { num, shortType, table, timestamp } from "../../client/format.ts";
import { jsonText } from "../../client/io.ts";
import type { Page } from "../../client/types.ts";
import { jobId } from "./cancel.ts";
import { isoDate } from "./usage.ts";

/** GET /v1/allocations items. */
export interface AllocationView {
  readonly id: number;
  readonly tenant: string;
  readonly queue: string;
  readonly program: string;
  readonly deviceType: string;
  readonly guaranteed: number;
  readonly budgetHours: number | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly justification: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
  readonly usedHours?: number;
}

/** GET /v1/programs items. */
export interface ProgramView {
  readonly id: string;
  readonly name: string;
  readonly enforcement: string;
  readonly createdAt: string;
}

interface RequestOptions {
  readonly queue: string;
  readonly type: string;
  readonly program?: string;
  readonly guaranteed?: string;
  readonly budgetHours?: string;
  readonly from: string;
  readonly to: string;
  readonly justification: string;
}

interface DecideOptions {
  readonly guaranteed?: string;
  readonly budgetHours?: string;
  readonly from?: string;
  readonly to?: string;
  readonly note?: string;
}

/** Adds the `allocation` and `program` groups to `program`. */
export function registerAllocation(program: Command, env: ClientEnv): void {
  const group = program
    .command("allocation")
    .description("request, list and decide access-program allocations");

  const request = group
    .command("request")
    .description("ask for a guarantee and/or a device-hour budget for a queue")
    .requiredOption("--queue <path>", "the queue it adds to, e.g. startups/alpha")
    .requiredOption("--type <deviceType>", "device type, e.g. nvidia-h100-80g")
    .option("--program <id>", "access program (default: the tenant's)")
    .option("--guaranteed <devices>", "devices added to the queue's guarantee")
    .option("--budget-hours <hours>", "device-hour budget")
    .requiredOption("--from <date>", "start of the period")
    .requiredOption("--to <date>", "end of the period")
    .requiredOption("--justification <text>", "why, for the program admin");
  clientAction<RequestOptions, []>(request, env, async ({ api, io, opts }) => {
    const body = {
      queue: opts.queue,
      deviceType: opts.type,
      ...(opts.program !== undefined && { program: opts.program }),
      ...(opts.guaranteed !== undefined && { guaranteed: number(opts.guaranteed, "--guaranteed") }),
      ...(opts.budgetHours !== undefined && {
        budgetHours: number(opts.budgetHours, "--budget-hours"),
      }),
      startsAt: isoDate(opts.from, "--from"),
      endsAt: isoDate(opts.to, "--to"),
      justification: opts.justification,
    };
    const a = await api.post<AllocationView>("/v1/allocations", body);
    io.out(opts.json ? jsonText(a) : `requested allocation ${a.id}: ${allocationLine(a)}\n`);
  });

  const list = group
    .command("list")
    .description("list allocations, newest first")
    .option("--state <state>", "requested, approved, rejected or expired")
    .option("--tenant <tenant>", "only this tenant's")
    .option("--program <id>", "only this program's")
    .option("--limit <n>", "at most this many", "100");
  clientAction<{ state?: string; tenant?: string; program?: string; limit: string }, []>(
    list,
    env,
    async ({ api, io, opts }) => {
      const limit = positiveInt(opts.limit, "--limit");
      const items: AllocationView[] = [];
      let cursor: number | string | null = null;
      do {
        const page: Page<AllocationView> = await api.get<Page<AllocationView>>("/v1/allocations", {
          state: opts.state,
          tenant: opts.tenant,
          program: opts.program,
          limit: Math.min(500, limit - items.length),
          ...(cursor !== null && { cursor }),
        });
        items.push(...page.items);
        cursor = page.items.length === 0 ? null : page.nextCursor;
      } while (cursor !== null && items.length < limit);
      io.out(opts.json ? jsonText({ items }) : allocationsTable(items));
    },
  );

  const approve = group
    .command("approve")
    .description("approve a request, or change an approved allocation")
    .argument("<id>", "allocation id")
    .option("--guaranteed <devices>", "grant this guarantee instead")
    .option("--budget-hours <hours>", "grant this budget instead")
    .option("--from <date>", "move the start")
    .option("--to <date>", "move the end")
    .option("--note <text>", "a note for the requester");
  clientAction<DecideOptions, [string]>(approve, env, async ({ api, io, opts }, id) => {
    const body = {
      ...(opts.guaranteed !== undefined && { guaranteed: number(opts.guaranteed, "--guaranteed") }),
      ...(opts.budgetHours !== undefined && {
        budgetHours: number(opts.budgetHours, "--budget-hours"),
      }),
      ...(opts.from !== undefined && { startsAt: isoDate(opts.from, "--from") }),
      ...(opts.to !== undefined && { endsAt: isoDate(opts.to, "--to") }),
      ...(opts.note !== undefined && { note: opts.note }),
    };
    const a = await api.post<AllocationView>(`/v1/allocations/${allocationId(id)}/approve`, body);
    io.out(opts.json ? jsonText(a) : `allocation ${a.id} ${a.state}: ${allocationLine(a)}\n`);
  });

  const reject = group
    .command("reject")
    .description("reject a request")
    .argument("<id>", "allocation id")
    .requiredOption("--note <text>", "why, for the requester");
  clientAction<{ note: string }, [string]>(reject, env, async ({ api, io, opts }, id) => {
    const a = await api.post<AllocationView>(`/v1/allocations/${allocationId(id)}/reject`, {
      note: opts.note,
    });
    io.out(opts.json ? jsonText(a) : `allocation ${a.id} ${a.state}: ${allocationLine(a)}\n`);
  });

  const programs = program.command("program").description("access programs");
  const plist = programs.command("list").description("list access programs");
  clientAction<object, []>(plist, env, async ({ api, io, opts }) => {
    const page = await api.get<{ items: ProgramView[] }>("/v1/programs");
    io.out(opts.json ? jsonText(page) : programsTable(page.items));
  });
}

function allocationId(value: string): number {
  try {
    return jobId(value);
  } catch {
    throw new GongjangError("GJ_ERR_ARGUMENT", `expected an allocation id, got "${value}"`, {
      path: "id",
    });
  }
}

function number(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new GongjangError(
      "GJ_ERR_ARGUMENT",
      `${option}: expected a number >= 0, got "${value}"`,
      {
        path: option,
      },
    );
  return n;
}

/** "startups/alpha +8 h100, 1,000 h budget, 2026-12-01 .. 2027-03-01 (startup)". */
export function allocationLine(a: AllocationView): string {
  return `${a.queue} ${grant(a)}, ${period(a)} (${a.program})`;
}

function grant(a: AllocationView): string {
  const parts: string[] = [];
  if (a.guaranteed > 0) parts.push(`+${num(a.guaranteed)} ${shortType(a.deviceType)}`);
  if (a.budgetHours !== null)
    parts.push(`${num(a.budgetHours)} h ${shortType(a.deviceType)} budget`);
  return parts.length === 0 ? shortType(a.deviceType) : parts.join(", ");
}

function period(a: AllocationView): string {
  return `${a.startsAt.slice(0, 10)} .. ${a.endsAt.slice(0, 10)}`;
}

/** Allocations as a table. */
export function allocationsTable(items: readonly AllocationView[]): string {
  if (items.length === 0) return "no allocations\n";
  return table(
    [
      { title: "ID", cell: (a: AllocationView) => String(a.id), right: true },
      { title: "STATE", cell: (a) => a.state },
      { title: "QUEUE", cell: (a) => a.queue },
      { title: "PROGRAM", cell: (a) => a.program },
      { title: "GRANT", cell: (a) => grant(a) },
      { title: "PERIOD", cell: (a) => period(a) },
      { title: "REQUESTED BY", cell: (a) => a.requestedBy },
      { title: "DECIDED BY", cell: (a) => a.decidedBy ?? "-" },
    ],
    items,
  );
}

/** Programs as a table. */
export function programsTable(items: readonly ProgramView[]): string {
  if (items.length === 0) return "no programs\n";
  return table(
    [
      { title: "ID", cell: (p: ProgramView) => p.id },
      { title: "NAME", cell: (p) => p.name },
      { title: "OVER BUDGET", cell: (p) => p.enforcement },
      { title: "CREATED", cell: (p) => timestamp(p.createdAt) },
    ],
    items,
  );
}
