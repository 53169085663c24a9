import type { Quality } from '../model';

/** Quality as stored: a small integer, 0 for `good` so the common case costs no bytes on disk. */
export const QUALITY_OF_CODE: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** The stored code of a quality; a missing one is `good`, anything unknown is undefined. */
export function qualityCode(quality: unknown): number | undefined {
  switch (quality) {
    case 'good':
    case undefined:
      return 0;
    case 'uncertain':
      return 1;
    case 'bad':
      return 2;
    default:
      return undefined;
  }
}

/**
 * Points as parallel columns: `series[i]` is a series id, `value[i]` is NaN for "no value".
 * Columns instead of objects keep a flush of 100,000 points free of garbage and let SQLite
 * statements be fed straight from typed arrays.
 */
export interface PointColumns {
  readonly length: number;
  readonly series: Int32Array;
  readonly ts: Float64Array;
  readonly value: Float64Array;
  readonly quality: Uint8Array;
}

/**
 * The bounded buffer of points waiting for a flush: a ring of columns. When it is full the
 * oldest point is dropped and counted, so a store that cannot write (full disk) keeps its
 * memory bounded and still holds the newest data for when writing works again.
 */
export class PointBuffer {
  private readonly seriesCol: Int32Array;
  private readonly tsCol: Float64Array;
  private readonly valueCol: Float64Array;
  private readonly qualityCol: Uint8Array;
  private head = 0;
  private size = 0;
  /** Points dropped because the buffer was full, since the buffer was made. */
  dropped = 0;
  // Scratch columns for a wrapped range, made on first need.
  private scratch: PointColumns | undefined;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer capacity must be a positive integer, not ${capacity}`);
    this.seriesCol = new Int32Array(capacity);
    this.tsCol = new Float64Array(capacity);
    this.valueCol = new Float64Array(capacity);
    this.qualityCol = new Uint8Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(series: number, ts: number, value: number, quality: number): void {
    if (this.size === this.capacity) {
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.size--;
      this.dropped++;
    }
    let i = this.head + this.size;
    if (i >= this.capacity) i -= this.capacity;
    this.seriesCol[i] = series;
    this.tsCol[i] = ts;
    this.valueCol[i] = value;
    this.qualityCol[i] = quality;
    this.size++;
  }

  /**
   * The oldest `n` points (at most what is buffered) as columns, without removing them: a
   * flush removes them with {@link discard} only once its transaction committed. The columns
   * are views or scratch copies, valid until the next push.
   */
  peek(n: number): PointColumns {
    const count = Math.min(n, this.size);
    const end = this.head + count;
    if (end <= this.capacity) {
      return {
        length: count,
        series: this.seriesCol.subarray(this.head, end),
        ts: this.tsCol.subarray(this.head, end),
        value: this.valueCol.subarray(this.head, end),
        quality: this.qualityCol.subarray(this.head, end),
      };
    }
    const s = (this.scratch ??= {
      length: 0,
      series: new Int32Array(this.capacity),
      ts: new Float64Array(this.capacity),
      value: new Float64Array(this.capacity),
      quality: new Uint8Array(this.capacity),
    });
    const first = this.capacity - this.head;
    const rest = count - first;
    s.series.set(this.seriesCol.subarray(this.head), 0);
    s.series.set(this.seriesCol.subarray(0, rest), first);
    s.ts.set(this.tsCol.subarray(this.head), 0);
    s.ts.set(this.tsCol.subarray(0, rest), first);
    s.value.set(this.valueCol.subarray(this.head), 0);
    s.value.set(this.valueCol.subarray(0, rest), first);
    s.quality.set(this.qualityCol.subarray(this.head), 0);
    s.quality.set(this.qualityCol.subarray(0, rest), first);
    return { length: count, series: s.series.subarray(0, count), ts: s.ts.subarray(0, count), value: s.value.subarray(0, count), quality: s.quality.subarray(0, count) };
  }

  /** Removes the oldest `n` points (after they were written). */
  discard(n: number): void {
    const count = Math.min(n, this.size);
    this.head = (this.head + count) % this.capacity;
    this.size -= count;
    if (this.size === 0) this.head = 0;
  }

  /** Removes every buffered point for which `drop` is true (a purge that could not flush first). */
  removeWhere(drop: (series: number, ts: number) => boolean): number {
    let kept = 0;
    let removed = 0;
    for (let k = 0; k < this.size; k++) {
      const from = (this.head + k) % this.capacity;
      if (drop(this.seriesCol[from]!, this.tsCol[from]!)) {
        removed++;
        continue;
      }
      const to = (this.head + kept) % this.capacity;
      this.seriesCol[to] = this.seriesCol[from]!;
      this.tsCol[to] = this.tsCol[from]!;
      this.valueCol[to] = this.valueCol[from]!;
      this.qualityCol[to] = this.qualityCol[from]!;
      kept++;
    }
    this.size = kept;
    return removed;
  }
}
