/**
 * IdleIndex: for each g = 1..levels, a bitset of the nodes with at least g idle
 * devices. A scan for a job that needs g whole devices then visits only nodes that
 * can host it, in node order, instead of testing every node of a 300k-device fleet.
 * The ledger keeps it in step with ClusterState.devIdle.
 */
export interface IdleIndex {
  /** The largest g tracked (the most devices on any node). */
  readonly levels: number;
  /** 32-bit words per level. */
  readonly words: number;
  /** Level g occupies bits[(g - 1) * words .. g * words). */
  readonly bits: Uint32Array;
}

/** Builds the index from per-node idle counts. */
export function createIdleIndex(devIdle: Int32Array, levels: number): IdleIndex {
  const words = Math.ceil(devIdle.length / 32);
  const index = { levels, words, bits: new Uint32Array(Math.max(1, levels * words)) };
  for (let n = 0; n < devIdle.length; n++) updateIdle(index, n, 0, devIdle[n]);
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

/** The first node in from..end-1 with at least `g` idle devices, or -1. */
export function nextWithIdle(index: IdleIndex, g: number, from: number, end: number): number {
  if (g < 1 || g > index.levels || from >= end) return -1;
  const base = (g - 1) * index.words;
  let word = from >>> 5;
  let bits = index.bits[base + word] & (~0 << (from & 31));
  while (true) {
    if (bits !== 0) {
      const node = (word << 5) + (31 - Math.clz32(bits & -bits));
      return node < end ? node : -1;
    }
    if (++word >= index.words || word << 5 >= end) return -1;
    bits = index.bits[base + word];
  }
}
