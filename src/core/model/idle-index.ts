/**
 * IdleIndex: for each g = 1..levels, a bitset of the nodes with at least g idle
 * devices. A scan for a job that needs g whole devices then visits only nodes that
 * can host it, in node order, instead of testing every node of a 300k-device fleet.
 * The ledger keeps it in step with ClusterState.devIdle.
 *
 * A second bitset, `free`, marks the nodes with any free device share at all: a scan
 * for a fractional job skips full nodes with it (a node it misses could not host one).
 */
export interface IdleIndex {
  /** The largest g tracked (the most devices on any node). */
  readonly levels: number;
  /** 32-bit words per level. */
  readonly words: number;
  /** Level g occupies bits[(g - 1) * words .. g * words). */
  readonly bits: Uint32Array;
  /** Nodes whose devices have some free share (devFreeSum > 0). */
  readonly free: Uint32Array;
}

/**
 * Builds the index from per-node idle counts and free share (default: a node has free
 * share when it has an idle device, as on an empty fleet).
 */
export function createIdleIndex(
  devIdle: Int32Array,
  levels: number,
  devFreeSum?: Float64Array,
): IdleIndex {
  const words = Math.ceil(devIdle.length / 32);
  const index = {
    levels,
    words,
    bits: new Uint32Array(Math.max(1, levels * words)),
    free: new Uint32Array(Math.max(1, words)),
  };
  for (let n = 0; n < devIdle.length; n++) {
    updateIdle(index, n, 0, devIdle[n]);
    updateFree(index, n, devFreeSum ? devFreeSum[n] > 0 : devIdle[n] > 0);
  }
  return index;
}

/** Records that `node` went from `from` to `to` idle devices. */
export function updateIdle(index: IdleIndex, node: number, from: number, to: number): void {
  const word = node >>> 5;
  const bit = 1 << (node & 31);
  for (let g = from + 1; g <= to && g <= index.levels; g++)
    index.bits[(g - 1) * index.words + word] |= bit;
  for (let g = to + 1; g <= from && g <= index.levels; g++)
    index.bits[(g - 1) * index.words + word] &= ~bit;
}

/** Records whether `node` has any free device share. */
export function updateFree(index: IdleIndex, node: number, on: boolean): void {
  const bit = 1 << (node & 31);
  if (on) index.free[node >>> 5] |= bit;
  else index.free[node >>> 5] &= ~bit;
}

/** The first node in from..end-1 with at least `g` idle devices, or -1. */
export function nextWithIdle(index: IdleIndex, g: number, from: number, end: number): number {
  if (g < 1 || g > index.levels || from >= end) return -1;
  return nextSet(index.bits, (g - 1) * index.words, index.words, from, end);
}

/** The first node in from..end-1 with some free device share, or -1. */
export function nextWithFree(index: IdleIndex, from: number, end: number): number {
  if (from >= end) return -1;
  return nextSet(index.free, 0, index.words, from, end);
}

/** The first set bit in from..end-1 of the bitset at bits[base .. base + words), or -1. */
function nextSet(
  bits: Uint32Array,
  base: number,
  words: number,
  from: number,
  end: number,
): number {
  let word = from >>> 5;
  let w = bits[base + word] & (~0 << (from & 31));
  while (true) {
    if (w !== 0) {
      const node = (word << 5) + (31 - Math.clz32(w & -w));
      return node < end ? node : -1;
    }
    if (++word >= words || word << 5 >= end) return -1;
    w = bits[base + word];
  }
}
