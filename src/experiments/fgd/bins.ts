/**
 * Bins per-step metrics by "arrived workload as % of cluster device capacity", as
 * the published merge scripts do: steps whose arrived % rounds (half to even, like
 * Python's round) to k; when none does, the steps within k ± 1.
 */

export const BIN_COUNT = 131; // columns 0..130

/** Python's round(x): half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round to 2 decimals the way the published CSVs were written (values are non-negative). */
export function round2(x: number): number {
  return roundHalfEven(x * 100) / 100;
}

/**
 * Mean of `values` per bin. `arrivedPct[i]` is step i's arrived %. Bins with no step
 * even within ±1 are NaN (the published files have none for openb runs).
 */
export function binByArrived(
  arrivedPct: Float64Array,
  values: Float64Array,
  count: number,
): Float64Array {
  const rounded = new Int32Array(count);
  const sums = new Float64Array(BIN_COUNT);
  const ns = new Int32Array(BIN_COUNT);
  for (let i = 0; i < count; i++) {
    rounded[i] = roundHalfEven(arrivedPct[i]);
    const k = rounded[i];
    if (k >= 0 && k < BIN_COUNT) {
      sums[k] += round2(values[i]);
      ns[k]++;
    }
  }
  const out = new Float64Array(BIN_COUNT);
  for (let k = 0; k < BIN_COUNT; k++) {
    if (ns[k] > 0) {
      out[k] = round2(sums[k] / ns[k]);
      continue;
    }
    let s = 0;
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (rounded[i] >= k - 1 && rounded[i] <= k + 1) {
        s += round2(values[i]);
        n++;
      }
    }
    out[k] = n > 0 ? round2(s / n) : Number.NaN;
  }
  return out;
}
