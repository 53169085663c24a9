/** A point of a series answer. `quality` is left out when it is `good`. */
export interface SeriesQueryPoint {
  readonly ts: number;
  readonly value: number | null;
  readonly quality?: 'uncertain' | 'bad';
}

/** A bucket's summary as a rollup row holds it. */
export interface SummaryRow {
  readonly min: number;
  readonly minTs: number;
  readonly max: number;
  readonly maxTs: number;
  readonly first: number;
  readonly firstTs: number;
  readonly last: number;
  readonly lastTs: number;
}

interface Extremes {
  first: number;
  firstTs: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  last: number;
  lastTs: number;
}

/**
 * Min/max-preserving downsampling (M4): for every bucket of `bucketMs` it keeps the first,
 * lowest, highest and last point, at their own times. A line drawn through them has the same
 * pixels as one through every point, so a one-second spike in a week still shows. At most
 * four points a bucket; fewer when they coincide.
 *
 * Feed points or rollup rows in time order, then call {@link M4.finish}.
 */
export class M4 {
  private readonly out: SeriesQueryPoint[] = [];
  private bucket = Number.NaN;
  private cur: Extremes | undefined;

  constructor(private readonly origin: number, private readonly bucketMs: number) {}

  private index(ts: number): number {
    return Math.floor((ts - this.origin) / this.bucketMs);
  }

  addPoint(ts: number, value: number): void {
    const b = this.index(ts);
    const c = this.cur;
    if (c === undefined || b !== this.bucket) {
      this.emit();
      this.bucket = b;
      this.cur = { first: value, firstTs: ts, min: value, minTs: ts, max: value, maxTs: ts, last: value, lastTs: ts };
      return;
    }
    if (value < c.min) {
      c.min = value;
      c.minTs = ts;
    }
    if (value > c.max) {
      c.max = value;
      c.maxTs = ts;
    }
    c.last = value;
    c.lastTs = ts;
  }

  /** A rollup row; its bucket must not straddle two output buckets (widths are multiples). */
  addSummary(row: SummaryRow): void {
    const b = this.index(row.firstTs);
    const c = this.cur;
    if (c === undefined || b !== this.bucket) {
      this.emit();
      this.bucket = b;
      this.cur = { ...row };
      return;
    }
    if (row.min < c.min) {
      c.min = row.min;
      c.minTs = row.minTs;
    }
    if (row.max > c.max) {
      c.max = row.max;
      c.maxTs = row.maxTs;
    }
    if (row.lastTs > c.lastTs) {
      c.last = row.last;
      c.lastTs = row.lastTs;
    }
  }

  private emit(): void {
    const c = this.cur;
    if (c === undefined) return;
    this.cur = undefined;
    const picks: [number, number][] = [[c.firstTs, c.first], [c.minTs, c.min], [c.maxTs, c.max], [c.lastTs, c.last]];
    picks.sort((a, b) => a[0] - b[0]);
    let lastTs = Number.NaN;
    for (const [ts, value] of picks) {
      if (ts === lastTs) continue;
      lastTs = ts;
      this.out.push({ ts, value });
    }
  }

  finish(): SeriesQueryPoint[] {
    this.emit();
    return this.out;
  }
}
