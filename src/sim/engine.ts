/**
 * The simulator's event queue, SimPy-style: a binary min-heap over parallel typed
 * arrays, ordered by (time, priority, seq). `seq` is an insertion counter, so events
 * with equal time and priority pop in the order they were pushed and a replay is
 * deterministic. Each event carries two int32 payloads whose meaning belongs to the
 * caller (the world uses a job or capacity-event index and a run attempt).
 */

/** One popped event. Reused by `pop(out)` so the hot loop allocates nothing. */
export interface HeapEvent {
  time: number;
  priority: number;
  data: number;
  tag: number;
}

export class EventHeap {
  private time: Float64Array;
  private prio: Int32Array;
  // A float, not a uint32: more than 2^32 pushes must still order correctly.
  private seq: Float64Array;
  private data: Int32Array;
  private tag: Int32Array;
  private count = 0;
  private nextSeq = 0;

  constructor(capacity = 64) {
    const c = Math.max(1, capacity);
    this.time = new Float64Array(c);
    this.prio = new Int32Array(c);
    this.seq = new Float64Array(c);
    this.data = new Int32Array(c);
    this.tag = new Int32Array(c);
  }

  /** Events queued. */
  get size(): number {
    return this.count;
  }

  /** Time of the next event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.time[0] : Number.POSITIVE_INFINITY;
  }

  /** Queues an event. `priority`: lower pops first among equal times. */
  push(time: number, priority: number, data: number, tag = 0): void {
    if (this.count === this.time.length) this.grow();
    let i = this.count++;
    const s = this.nextSeq++;
    // Sift up: move parents down until the new event's slot is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!keyLess(time, priority, s, this.time[p], this.prio[p], this.seq[p])) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, priority, s, data, tag);
  }

  /**
   * Removes and returns the first event, or undefined when empty. Pass `out` to have
   * it filled instead of a fresh object.
   */
  pop(out?: HeapEvent): HeapEvent | undefined {
    if (this.count === 0) return undefined;
    const ev = out ?? { time: 0, priority: 0, data: 0, tag: 0 };
    ev.time = this.time[0];
    ev.priority = this.prio[0];
    ev.data = this.data[0];
    ev.tag = this.tag[0];
    const last = --this.count;
    if (last > 0) {
      const t = this.time[last];
      const pr = this.prio[last];
      const s = this.seq[last];
      const d = this.data[last];
      const g = this.tag[last];
      // Sift down the former last event from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.less(r, l) ? r : l;
        if (!keyLess(this.time[c], this.prio[c], this.seq[c], t, pr, s)) break;
        this.move(c, i);
        i = c;
      }
      this.set(i, t, pr, s, d, g);
    }
    return ev;
  }

  private less(i: number, j: number): boolean {
    return keyLess(
      this.time[i],
      this.prio[i],
      this.seq[i],
      this.time[j],
      this.prio[j],
      this.seq[j],
    );
  }

  private move(from: number, to: number): void {
    this.set(to, this.time[from], this.prio[from], this.seq[from], this.data[from], this.tag[from]);
  }

  private set(i: number, t: number, p: number, s: number, d: number, g: number): void {
    this.time[i] = t;
    this.prio[i] = p;
    this.seq[i] = s;
    this.data[i] = d;
    this.tag[i] = g;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const t = new Float64Array(c);
    t.set(this.time);
    this.time = t;
    const p = new Int32Array(c);
    p.set(this.prio);
    this.prio = p;
    const s = new Float64Array(c);
    s.set(this.seq);
    this.seq = s;
    const d = new Int32Array(c);
    d.set(this.data);
    this.data = d;
    const g = new Int32Array(c);
    g.set(this.tag);
    this.tag = g;
  }
}

/** Orders (time, priority, seq) keys. Seqs are unique, so no two keys tie. */
function keyLess(t1: number, p1: number, s1: number, t2: number, p2: number, s2: number): boolean {
  if (t1 !== t2) return t1 < t2;
  if (p1 !== p2) return p1 < p2;
  return s1 < s2;
}
