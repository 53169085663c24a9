const SUB_BUCKETS = 16;
const MAJORS = 40;

/**
 * Handling times in a log-linear histogram (16 linear steps per power of two of nanoseconds):
 * constant memory, O(1) record, p99 within ~6 %.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(MAJORS * SUB_BUCKETS);
  private total = 0;
  private sumMs = 0;

  /** Records `count` handlings that took `ms` each. */
  record(ms: number, count = 1): void {
    this.counts[bucketOf(ms)]! += count;
    this.total += count;
    this.sumMs += ms * count;
  }

  get count(): number {
    return this.total;
  }

  meanMs(): number {
    return this.total === 0 ? 0 : this.sumMs / this.total;
  }

  quantileMs(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return upperBoundMs(i);
    }
    return upperBoundMs(this.counts.length - 1);
  }
}

function bucketOf(ms: number): number {
  const ns = Math.floor(ms * 1e6);
  if (!(ns >= SUB_BUCKETS)) return ns > 0 ? ns : 0;
  let e = Math.floor(Math.log2(ns));
  if (2 ** e > ns) e--;
  const major = e - 3;
  if (major >= MAJORS) return MAJORS * SUB_BUCKETS - 1;
  const sub = Math.floor((ns - 2 ** e) / 2 ** (e - 4));
  return major * SUB_BUCKETS + sub;
}

function upperBoundMs(bucket: number): number {
  const major = Math.floor(bucket / SUB_BUCKETS);
  const sub = bucket % SUB_BUCKETS;
  if (major === 0) return (sub + 1) / 1e6;
  const e = major + 3;
  return (2 ** e + (sub + 1) * 2 ** (e - 4)) / 1e6;
}
