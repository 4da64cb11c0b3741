/**
 * From runs to a plan: each variant's metrics averaged over seeds (with the spread),
 * ranked by demand served per unit of capacity, and said in a few plain sentences.
 */
import { round6 } from "../sim/metrics.ts";
import { formatDuration, formatFixed } from "../sim/report/format.ts";
import type { Capacity } from "./capacity.ts";
import type { PlanPoint, RunMetrics } from "./metrics.ts";

/** A tenant's metrics in one variant, means over seeds (null where no seed had a value). */
export interface TenantSummary {
  readonly tenant: string;
  readonly guaranteeMet: number | null;
  /** Lowest and highest guaranteeMet over seeds. */
  readonly guaranteeMetRange: readonly [number, number] | null;
  readonly waitP95: number | null;
  readonly utilization: number | null;
  readonly demandedHours: number;
  readonly deliveredHours: number;
  /** deliveredHours ÷ demandedHours (1 when nothing was asked). */
  readonly served: number;
}

/** One variant over every seed. */
export interface VariantSummary {
  readonly name: string;
  readonly description: string;
  /** Its changes in words. */
  readonly changes: readonly string[];
  readonly capacity: Capacity;
  readonly served: number;
  readonly servedRange: readonly [number, number];
  readonly guaranteeMet: number | null;
  readonly waitP95: number | null;
  readonly allocation: number;
  readonly demandedHours: number;
  readonly deliveredHours: number;
  /** Delivered demanded work ÷ capacity (both H100-equivalent device-hours): the ranking key. */
  readonly score: number;
  /** 1 = best score. */
  readonly rank: number;
  readonly tenants: readonly TenantSummary[];
  /** The first seed's timeline, for the charts. */
  readonly timeline: readonly PlanPoint[];
  readonly runs: readonly Omit<RunMetrics, "timeline">[];
}

const mean = (xs: readonly number[]) =>
  xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
const meanOrNull = (xs: readonly (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length > 0 ? round6(mean(v)) : null;
};
const ratio = (a: number, b: number) => (b > 0 ? a / b : 1);

/** Averages one variant's runs (same seeds in the same order for every variant). */
export function summarizeVariant(
  v: { name: string; description: string; changes: readonly string[] },
  capacity: Capacity,
  runs: readonly RunMetrics[],
): Omit<VariantSummary, "rank"> {
  const served = runs.map((r) => ratio(r.deliveredHours, r.demandedHours));
  const names = [...new Set(runs.flatMap((r) => r.tenants.map((t) => t.tenant)))];
  const tenants = names.map((name): TenantSummary => {
    const ts = runs.flatMap((r) => r.tenants.filter((t) => t.tenant === name));
    const met = ts.flatMap((t) => (t.guaranteeMet === null ? [] : [t.guaranteeMet]));
    const demandedHours = round6(mean(ts.map((t) => t.demandedHours)));
    const deliveredHours = round6(mean(ts.map((t) => t.deliveredHours)));
    return {
      tenant: name,
      guaranteeMet: meanOrNull(ts.map((t) => t.guaranteeMet)),
      guaranteeMetRange: met.length > 0 ? [Math.min(...met), Math.max(...met)] : null,
      waitP95: meanOrNull(ts.map((t) => t.waitP95)),
      utilization: meanOrNull(ts.map((t) => t.utilization)),
      demandedHours,
      deliveredHours,
      served: round6(ratio(deliveredHours, demandedHours)),
    };
  });
  const deliveredHours = round6(mean(runs.map((r) => r.deliveredHours)));
  return {
    ...v,
    capacity,
    served: round6(mean(served)),
    servedRange: [round6(Math.min(...served)), round6(Math.max(...served))],
    guaranteeMet: meanOrNull(runs.map((r) => r.guaranteeMet)),
    waitP95: meanOrNull(runs.map((r) => r.waitP95)),
    allocation: round6(mean(runs.map((r) => r.allocation))),
    demandedHours: round6(mean(runs.map((r) => r.demandedHours))),
    deliveredHours,
    score: round6(ratio(deliveredHours, capacity.hours)),
    tenants,
    timeline: runs[0]?.timeline ?? [],
    runs: runs.map(({ timeline: _, ...rest }) => rest),
  };
}

/** Ranks by score (higher first; ties keep the input order, baseline first). */
export function rankVariants(vs: readonly Omit<VariantSummary, "rank">[]): VariantSummary[] {
  const order = vs.map((_, i) => i).sort((a, b) => vs[b].score - vs[a].score || a - b);
  const rank = new Map(order.map((i, k) => [i, k + 1]));
  return vs.map((v, i) => ({ ...v, rank: rank.get(i)! }));
}

const pct = (x: number) => `${formatFixed(100 * x, 1)}%`;
const points = (x: number) => `${x >= 0 ? "+" : "−"}${formatFixed(Math.abs(100 * x), 1)} points`;
const signedPct = (x: number) => `${x >= 0 ? "+" : "−"}${formatFixed(Math.abs(100 * x), 1)}%`;
const wait = (x: number | null) => (x === null ? "–" : formatDuration(x));

/**
 * The plan in plain words: the ranking, the variant that serves the most demand,
 * each variant against the baseline (capacity, demand served, guarantees, p95 wait,
 * the tenant hit hardest, and what each capacity-hour gained or lost was worth),
 * and how far seeds disagree. `vs[0]` is the baseline.
 */
export function planSummary(vs: readonly VariantSummary[]): string[] {
  if (vs.length === 0) return [];
  const base = vs[0];
  const ranked = [...vs].sort((a, b) => a.rank - b.rank);
  const lines = [
    `Ranked by demand served per unit of capacity (H100-equivalent hours of demanded work delivered per hour of capacity): ${ranked
      .map((v) => `${v.rank}. ${v.name} ${formatFixed(v.score, 3)}`)
      .join(", ")}.`,
  ];
  const most = [...vs].sort((a, b) => b.served - a.served || vs.indexOf(a) - vs.indexOf(b))[0];
  lines.push(
    `Most demand served: ${most.name}, ${pct(most.served)} of the work asked for` +
      (most.guaranteeMet !== null ? `, guarantees met ${pct(most.guaranteeMet)} of the time` : "") +
      (most === base ? "." : ` (baseline ${pct(base.served)}).`),
  );
  for (const v of vs.slice(1)) lines.push(versusBaseline(v, base));
  const spread = Math.max(...vs.map((v) => v.servedRange[1] - v.servedRange[0]));
  const seeds = base.runs.length;
  lines.push(
    seeds > 1
      ? `Across ${seeds} seeds a variant's demand served varies by up to ${formatFixed(100 * spread, 1)} points; smaller differences are noise.`
      : "One seed only: run several (--seeds 1-3) before trusting small differences.",
  );
  return lines;
}

function versusBaseline(v: VariantSummary, base: VariantSummary): string {
  const dCap = ratio(v.capacity.hours, base.capacity.hours) - 1;
  const dServed = v.served - base.served;
  const parts = [Math.abs(dCap) < 0.0005 ? "same capacity" : `${signedPct(dCap)} capacity`];
  const dDemand = ratio(v.demandedHours, base.demandedHours) - 1;
  if (Math.abs(dDemand) >= 0.0005) parts.push(`${signedPct(dDemand)} demand`);
  parts.push(`${points(dServed)} demand served (${pct(v.served)})`);
  if (v.guaranteeMet !== null && base.guaranteeMet !== null)
    parts.push(`guarantees met ${points(v.guaranteeMet - base.guaranteeMet)}`);
  parts.push(`p95 wait ${wait(base.waitP95)} → ${wait(v.waitP95)}`);
  let text = `${v.name}: ${parts.join(", ")}`;
  const hit = hardestHit(v, base);
  if (hit !== undefined) text += `; hardest hit: ${hit}`;
  const dHours = v.capacity.hours - base.capacity.hours;
  const dWork = v.deliveredHours - base.deliveredHours;
  if (Math.abs(dHours) >= 1)
    text +=
      dHours > 0
        ? `; each added capacity-hour delivered ${formatFixed(dWork / dHours, 2)} h of demanded work`
        : `; each capacity-hour lost cost ${formatFixed(dWork / dHours, 2)} h of delivered work`;
  return `${text}.`;
}

/** The tenant whose guarantee-met fell the most against the baseline (by ≥ 1 point). */
function hardestHit(v: VariantSummary, base: VariantSummary): string | undefined {
  let worst: { name: string; from: number; to: number } | undefined;
  for (const t of v.tenants) {
    const b = base.tenants.find((x) => x.tenant === t.tenant);
    if (b?.guaranteeMet == null || t.guaranteeMet === null) continue;
    const drop = b.guaranteeMet - t.guaranteeMet;
    if (drop >= 0.01 && (worst === undefined || drop > worst.from - worst.to))
      worst = { name: t.tenant, from: b.guaranteeMet, to: t.guaranteeMet };
  }
  return worst && `${worst.name} (guarantee met ${pct(worst.from)} → ${pct(worst.to)})`;
}
