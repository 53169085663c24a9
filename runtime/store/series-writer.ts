import type Database from 'better-sqlite3';
import type { PointColumns } from './point-buffer';
import type { RollupBucket, RollupLevel } from './rollup';
import { HOUR_MS, MINUTE_MS, ROLLUP_WIDTH, aggregatePoints, combine, widenBuckets } from './rollup';
import type { RowCounts } from './row-counts';
import type { SeriesEntry } from './series-registry';

/** Rows a multi-row INSERT carries: fewer statement calls, bound from one reused array. */
const ROWS_PER_INSERT = 100;
const TABLE: Readonly<Record<RollupLevel, 'rollup_1m' | 'rollup_1h'>> = { '1m': 'rollup_1m', '1h': 'rollup_1h' };

export interface BatchResult {
  readonly inserted: number;
  /** Points whose (series, ts) was already stored: the first value is kept. */
  readonly duplicates: number;
}

interface RollupRow {
  count: number;
  sum: number;
  min: number;
  min_ts: number;
  max: number;
  max_ts: number;
  first: number;
  first_ts: number;
  last: number;
  last_ts: number;
  bucket: number;
}

function upsertSql(table: string): string {
  // Every SET expression reads the row as it was, so the CASEs compare against old values.
  return `INSERT INTO ${table} (series_id, bucket, count, sum, min, min_ts, max, max_ts, first, first_ts, last, last_ts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (series_id, bucket) DO UPDATE SET
      count = count + excluded.count,
      sum = sum + excluded.sum,
      min_ts = CASE WHEN excluded.min < min OR (excluded.min = min AND excluded.min_ts < min_ts) THEN excluded.min_ts ELSE min_ts END,
      min = CASE WHEN excluded.min < min THEN excluded.min ELSE min END,
      max_ts = CASE WHEN excluded.max > max OR (excluded.max = max AND excluded.max_ts < max_ts) THEN excluded.max_ts ELSE max_ts END,
      max = CASE WHEN excluded.max > max THEN excluded.max ELSE max END,
      first = CASE WHEN excluded.first_ts < first_ts THEN excluded.first ELSE first END,
      first_ts = CASE WHEN excluded.first_ts < first_ts THEN excluded.first_ts ELSE first_ts END,
      last = CASE WHEN excluded.last_ts > last_ts THEN excluded.last ELSE last END,
      last_ts = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_ts ELSE last_ts END
    RETURNING count`;
}

function bucketArgs(b: RollupBucket): unknown[] {
  return [b.series, b.start, b.count, b.sum, b.min, b.minTs, b.max, b.maxTs, b.first, b.firstTs, b.last, b.lastTs];
}

function fromRow(series: number, r: RollupRow): RollupBucket {
  return {
    series, start: r.bucket, count: r.count, sum: r.sum, min: r.min, minTs: r.min_ts, max: r.max, maxTs: r.max_ts,
    first: r.first, firstTs: r.first_ts, last: r.last, lastTs: r.last_ts,
  };
}

/**
 * Writes batches of points and keeps the rollups in step, inside the caller's transaction.
 * Rollups are summed in JS from the batch and folded into their rows with one upsert per
 * touched bucket; no stored row is read back.
 */
export class SeriesWriter {
  private readonly insertSeries: Database.Statement;
  private readonly insertMany: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly params = new Array<number | null>(ROWS_PER_INSERT * 4);
  private readonly upsert: Record<RollupLevel, Database.Statement>;
  private readonly replace: Record<RollupLevel, Database.Statement>;
  private readonly remove: Record<RollupLevel, Database.Statement>;
  private readonly exists: Record<RollupLevel, Database.Statement>;
  private readonly rawRange: Database.Statement;
  private readonly minuteRange: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly counts: RowCounts) {
    this.insertSeries = db.prepare('INSERT INTO series (id, device, tag, created_at) VALUES (?, ?, ?, ?)');
    const values = Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?)').join(', ');
    // OR IGNORE: a repeated (series, ts) keeps the first value instead of failing the batch.
    this.insertMany = db.prepare(`INSERT OR IGNORE INTO points (series_id, ts, value, quality) VALUES ${values}`);
    this.insertOne = db.prepare('INSERT OR IGNORE INTO points (series_id, ts, value, quality) VALUES (?, ?, ?, ?)');
    const each = <T>(make: (level: RollupLevel, table: string) => T): Record<RollupLevel, T> => ({ '1m': make('1m', TABLE['1m']), '1h': make('1h', TABLE['1h']) });
    this.upsert = each((_, t) => db.prepare(upsertSql(t)).pluck());
    this.replace = each((_, t) => db.prepare(`INSERT OR REPLACE INTO ${t} (series_id, bucket, count, sum, min, min_ts, max, max_ts, first, first_ts, last, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`));
    this.remove = each((_, t) => db.prepare(`DELETE FROM ${t} WHERE series_id = ? AND bucket = ?`));
    this.exists = each((_, t) => db.prepare(`SELECT 1 FROM ${t} WHERE series_id = ? AND bucket = ?`).pluck());
    this.rawRange = db.prepare('SELECT ts, value, quality FROM points WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw();
    this.minuteRange = db.prepare('SELECT bucket, count, sum, min, min_ts, max, max_ts, first, first_ts, last, last_ts FROM rollup_1m WHERE series_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket');
  }

  /** Inserts the rows of series first written by this batch. */
  writeSeries(entries: readonly SeriesEntry[]): void {
    for (const e of entries) this.insertSeries.run(e.id, e.device, e.tag, e.createdAt);
    this.counts.add('series', entries.length);
  }

  writePoints(points: PointColumns): BatchResult {
    const { series, ts, value, quality } = points;
    const n = points.length;
    const params = this.params;
    let inserted = 0;
    let i = 0;
    this.db.exec('SAVEPOINT points_batch');
    for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
      for (let r = 0, o = 0; r < ROWS_PER_INSERT; r++, o += 4) {
        const v = value[i + r]!;
        params[o] = series[i + r]!;
        params[o + 1] = ts[i + r]!;
        params[o + 2] = v === v ? v : null;
        params[o + 3] = quality[i + r]!;
      }
      inserted += this.insertMany.run(params).changes;
    }
    for (; i < n; i++) {
      const v = value[i]!;
      inserted += this.insertOne.run(series[i]!, ts[i]!, v === v ? v : null, quality[i]!).changes;
    }
    let kept: Uint8Array | undefined;
    if (inserted !== n) {
      // Some points were stored already (a replay, a repeated timestamp). The rollups must
      // count each point once, so the batch is done again row by row to learn which ones.
      this.db.exec('ROLLBACK TO points_batch');
      kept = new Uint8Array(n);
      inserted = 0;
      for (let k = 0; k < n; k++) {
        const v = value[k]!;
        const changes = this.insertOne.run(series[k]!, ts[k]!, v === v ? v : null, quality[k]!).changes;
        kept[k] = changes;
        inserted += changes;
      }
    }
    this.db.exec('RELEASE points_batch');
    this.counts.add('points', inserted);

    const minutes = aggregatePoints(points, MINUTE_MS, kept);
    this.fold('1m', minutes);
    this.fold('1h', widenBuckets(minutes, HOUR_MS));
    return { inserted, duplicates: n - inserted };
  }

  private fold(level: RollupLevel, buckets: readonly RollupBucket[]): void {
    const upsert = this.upsert[level];
    let added = 0;
    for (const b of buckets) {
      const total = upsert.get(...bucketArgs(b)) as number;
      // A new row's count is the batch's own; a row that was there already had at least one.
      if (total === b.count) added++;
    }
    this.counts.add(TABLE[level], added);
  }

  /**
   * Sums one bucket again from the level below (raw for minutes, minutes for hours); a bucket
   * with nothing left below it is deleted. Used where a purge range cuts a bucket.
   */
  rebuild(level: RollupLevel, seriesId: number, start: number): 'rebuilt' | 'deleted' | 'none' {
    const width = ROLLUP_WIDTH[level];
    let bucket: RollupBucket | undefined;
    if (level === '1m') {
      const rows = this.rawRange.all(seriesId, start, start + width) as [number, number | null, number][];
      const cols = {
        length: rows.length,
        series: new Int32Array(rows.length).fill(seriesId),
        ts: Float64Array.from(rows, (r) => r[0]),
        value: Float64Array.from(rows, (r) => (r[1] === null ? Number.NaN : r[1])),
        quality: Uint8Array.from(rows, (r) => r[2]),
      };
      bucket = aggregatePoints(cols, width)[0];
    } else {
      for (const r of this.minuteRange.all(seriesId, start, start + width) as RollupRow[]) {
        const b = fromRow(seriesId, r);
        if (bucket === undefined) bucket = { ...b, start };
        else combine(bucket, b);
      }
    }
    const existed = this.exists[level].get(seriesId, start) !== undefined;
    if (bucket === undefined) {
      if (!existed) return 'none';
      this.remove[level].run(seriesId, start);
      this.counts.add(TABLE[level], -1);
      return 'deleted';
    }
    this.replace[level].run(...bucketArgs(bucket));
    if (!existed) this.counts.add(TABLE[level], 1);
    return 'rebuilt';
  }
}
