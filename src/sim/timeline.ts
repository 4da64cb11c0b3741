/**
 * The cluster's state over time: one sample per event batch, integrated as a step
 * function (a sample's values hold until the next sample) for time-weighted means,
 * and thinned deterministically for plotting.
 */
import { round6 } from "./metrics.ts";
import type { TimePoint } from "./result.ts";

/** Growable column of doubles; samples can run into the millions. */
class Column {
  data = new Float64Array(1024);
  push(i: number, v: number): void {
    if (i === this.data.length) {
      const next = new Float64Array(i * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

export class Timeline {
  private readonly t = new Column();
  private readonly alloc = new Column();
  private readonly frag = new Column();
  private readonly queued = new Column();
  private readonly running = new Column();
  private n = 0;
  private allocArea = 0;
  private fragArea = 0;
  private end = Number.NaN;
  private readonly windowStart: number;
  private readonly maxPoints: number;

  /**
   * @param windowStart time-weighted means cover [windowStart, close time]; samples
   *   before it only set the value in force when the window opens.
   * @param maxPoints upper bound on points() length.
   */
  constructor(windowStart: number, maxPoints = 500) {
    this.windowStart = windowStart;
    this.maxPoints = maxPoints;
  }

  /** Records the state after a batch at time `t` (non-decreasing). Percent values. */
  sample(
    t: number,
    allocation: number,
    fragmentation: number,
    queued: number,
    running: number,
  ): void {
    this.integrateTo(t);
    const i = this.n++;
    this.t.push(i, t);
    this.alloc.push(i, allocation);
    this.frag.push(i, fragmentation);
    this.queued.push(i, queued);
    this.running.push(i, running);
  }

  /** Ends the window at `t` (≥ the last sample); adds a closing point if time moved on. */
  close(t: number): void {
    const last = this.n - 1;
    this.end = t;
    // The closing sample integrates the last state up to `t`.
    if (last >= 0 && t > this.t.data[last]) {
      this.sample(
        t,
        this.alloc.data[last],
        this.frag.data[last],
        this.queued.data[last],
        this.running.data[last],
      );
    }
  }

  /** Time-weighted mean allocation % over the window; the last value when it has no length. */
  meanAllocation(): number {
    return this.mean(this.allocArea, this.alloc);
  }

  /** Time-weighted mean fragmentation %, as meanAllocation(). */
  meanFragmentation(): number {
    return this.mean(this.fragArea, this.frag);
  }

  /**
   * At most `maxPoints` samples: the first, then the last sample of each of
   * maxPoints − 1 equal time buckets (the state as each bucket ends).
   */
  points(): TimePoint[] {
    const n = this.n;
    const out: TimePoint[] = [];
    if (n === 0) return out;
    const t = this.t.data;
    const t0 = t[0];
    const span = t[n - 1] - t0;
    const buckets = Math.max(1, this.maxPoints - 1);
    const bucket = (i: number) =>
      span > 0 ? Math.min(buckets - 1, Math.floor(((t[i] - t0) / span) * buckets)) : 0;
    for (let i = 0; i < n; i++) {
      const keep = n <= this.maxPoints || i === 0 || i === n - 1 || bucket(i) !== bucket(i + 1);
      if (keep) out.push(this.point(i));
    }
    return out;
  }

  private point(i: number): TimePoint {
    return {
      t: round6(this.t.data[i]),
      allocation: round6(this.alloc.data[i]),
      fragmentation: round6(this.frag.data[i]),
      queued: this.queued.data[i],
      running: this.running.data[i],
    };
  }

  /** Adds the area of the last sample's values from its time (clipped to the window) to `t`. */
  private integrateTo(t: number): void {
    if (this.n === 0) return;
    const last = this.n - 1;
    const from = Math.max(this.t.data[last], this.windowStart);
    if (t <= from) return;
    this.allocArea += this.alloc.data[last] * (t - from);
    this.fragArea += this.frag.data[last] * (t - from);
  }

  private mean(area: number, col: Column): number {
    if (this.n === 0) return 0;
    const end = Number.isNaN(this.end) ? this.t.data[this.n - 1] : this.end;
    const length = end - this.windowStart;
    return length > 0 ? area / length : col.data[this.n - 1];
  }
}
