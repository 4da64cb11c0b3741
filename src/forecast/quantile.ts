/** Quantiles of Monte Carlo samples where Infinity means "did not happen". */

/**
 * The q-quantile (0..1) of ascending `sorted` by linear interpolation between closest
 * ranks; Infinity when it falls on or next to an Infinity.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo];
  const b = sorted[hi];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.POSITIVE_INFINITY;
  return a + (b - a) * (pos - lo);
}

/** Rounds to whole seconds; Infinity becomes null. */
export function seconds(x: number): number | null {
  return Number.isFinite(x) ? Math.round(x) : null;
}
