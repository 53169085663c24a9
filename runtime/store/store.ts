import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { z } from 'zod';
import type { AlarmRecord, AlarmService, Clock, EventService, HistoryService, SeriesPoint, SiteEvent } from '../../nodes/sdk';
import type { Text } from '../model';
import type { AlarmAck, AlarmQuery, StoredAlarm } from './alarm-log';
import { AlarmLog } from './alarm-log';
import { openDatabase } from './connection';
import { StoreError, writeError } from './errors';
import type { EventQuery, StoredEvent } from './event-log';
import { EventLog, eventDevice } from './event-log';
import { KvArea, kvJson } from './kv-area';
import { PointBuffer, qualityCode } from './point-buffer';
import { alarmProblem, eventProblem } from './record-checks';
import type { PurgeReport, PurgeRequest } from './purge';
import { checkPurge, purgeRows, reclaimSpace } from './purge';
import type { EndpointQueueStats, OutboundInput, OutboundRow, QueueBound } from './outbound-queue';
import { OutboundQueue } from './outbound-queue';
import type { DeleteCounts, RetentionOptions, RetentionSettings } from './retention';
import { RetentionSchema, retentionCutoffs, runRetentionPass } from './retention';
import { RowCounts } from './row-counts';
import { migrate } from './schema';
import type { RollupPoint, RollupQuery, SeriesAnswer, SeriesQuery } from './series-query';
import { SeriesReader, checkRollupQuery, checkSeriesQuery } from './series-query';
import type { SeriesEntry } from './series-registry';
import { SeriesRegistry } from './series-registry';
import { SeriesWriter } from './series-writer';

export type StoreLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface StoreOptions {
  /** The SQLite file; made with its schema when missing. */
  readonly file: string;
  /** Times of flushes and retention passes; a virtual clock in tests. */
  readonly clock?: Clock;
  readonly logger?: StoreLogger;
  /** Buffered data is written at most this long after it arrived. 1–1000, default 250. */
  readonly flushMs?: number;
  /** Points that trigger a flush at once, and the most one transaction writes. Default 100,000. */
  readonly batchSize?: number;
  /** Points the buffer holds while writes fail; past it the oldest are dropped and counted. Default 1,000,000. */
  readonly maxPending?: number;
  /** Alarm transitions and events the buffer holds likewise. Default 10,000. */
  readonly maxPendingRecords?: number;
  /** Caps the database file; writes past it fail as on a full disk. */
  readonly maxSizeBytes?: number;
  readonly retention?: RetentionOptions;
}

const OptionsSchema = z.object({
  file: z.string().min(1),
  flushMs: z.number().int().min(1).max(1_000).default(250),
  batchSize: z.number().int().min(1).max(1_000_000).default(100_000),
  maxPending: z.number().int().min(1).max(50_000_000).default(1_000_000),
  maxPendingRecords: z.number().int().min(1).max(1_000_000).default(10_000),
  maxSizeBytes: z.number().int().min(65_536).optional(),
  retention: RetentionSchema.default(RetentionSchema.parse({})),
});

export interface FlushResult {
  readonly ok: boolean;
  /** Points committed by this call. */
  readonly points: number;
  readonly alarms: number;
  readonly events: number;
  readonly error?: StoreError;
}

export interface SeriesSummary {
  readonly device: string;
  readonly tag: string;
  /** Oldest point still kept (raw or a rollup), if any. */
  readonly firstTs?: number;
  /** Newest raw point, if any. */
  readonly lastTs?: number;
  readonly lastValue?: number | null;
}

export interface RetentionReport extends DeleteCounts {
  readonly ms: number;
}

export interface StoreStats {
  readonly file: string;
  readonly schemaVersion: number;
  readonly rows: {
    readonly series: number;
    readonly points: number;
    readonly rollup1m: number;
    readonly rollup1h: number;
    readonly events: number;
    readonly alarms: number;
    readonly kv: number;
  };
  readonly pending: { readonly points: number; readonly records: number };
  /** Committed flush transactions since open. */
  readonly flushes: number;
  readonly flushedPoints: number;
  /** Failed flushes (full disk …) since open; the data stayed buffered. */
  readonly writeErrors: number;
  /** Points dropped because the buffer was full while writes failed. */
  readonly droppedPoints: number;
  readonly droppedRecords: number;
  /** Points refused on arrival: no finite time, no tag, or a value that is not a number. */
  readonly rejectedPoints: number;
  /** Alarm transitions and events refused on arrival (missing code, unknown severity …); logged. */
  readonly rejectedRecords: number;
  /** Points whose (series, ts) was already stored; the first value was kept. */
  readonly duplicatePoints: number;
  readonly lastError?: { readonly code: string; readonly text: Text; readonly at: number };
  readonly retention: { readonly passes: number; readonly deleted: number; readonly running: boolean };
  /** Database file plus WAL, bytes. */
  readonly dbBytes: number;
  readonly walBytes: number;
}

/**
 * The site's store: the history, alarm and event services the nodes use, the queries the
 * server answers, node state, retention and purge. One writer connection; writes are
 * buffered and committed in batches.
 */
export interface Store extends HistoryService, AlarmService, EventService {
  readonly file: string;
  readonly schemaVersion: number;
  /** Buffers points; never throws (bad points are counted in `rejectedPoints`). */
  write(points: readonly SeriesPoint[]): void;
  /** Buffers an alarm transition; written with the next flush. A malformed one is counted and logged. */
  record(alarm: AlarmRecord): void;
  /** Buffers an event; written with the next flush. A malformed one is counted and logged. */
  append(event: SiteEvent): void;
  /** Writes everything buffered now. Never throws: a failure is in the result and in stats(). */
  flush(): FlushResult;
  /** A series over [from, to) in at most `maxPoints` points, raw or downsampled (min/max kept). */
  querySeries(query: SeriesQuery): SeriesAnswer;
  /** The minute or hour statistics of a series (count, avg, min, max, first, last). */
  queryRollups(query: RollupQuery): RollupPoint[];
  listSeries(): SeriesSummary[];
  listAlarms(query?: AlarmQuery): StoredAlarm[];
  /** Records who acknowledged an alarm; throws `alarm-not-found` or `alarm-already-acked`. */
  ackAlarm(id: number, ack: AlarmAck): StoredAlarm;
  listEvents(query?: EventQuery): StoredEvent[];
  kvGet(scope: string, key: string): unknown;
  /** Writes at once; throws `disk-full`/`write-failed` so the caller knows the state is not saved. */
  kvSet(scope: string, key: string, value: unknown): void;
  kvDelete(scope: string, key: string): boolean;
  /** Runs a retention pass now (the background one runs every `retention.intervalMs`). */
  runRetention(): Promise<RetentionReport>;
  /** Destroys data of a time range [from, to) and/or a device, everywhere, and returns the space. */
  purge(request: PurgeRequest): Promise<PurgeReport>;
  stats(): StoreStats;
  /** Flushes and closes; later calls do nothing. */
  close(): void;
  /** The uplink's outbound queue (see outbound-queue.ts). */
  readonly outbound: OutboundApi;
}

/** The outbound queue as the uplink uses it: enqueue is buffered like history; the rest goes straight to the file. */
export interface OutboundApi {
  /** Each endpoint's bound, applied exactly when rows are written. */
  configure(bounds: ReadonlyMap<string, QueueBound>): void;
  enqueue(rows: readonly OutboundInput[]): void;
  peek(endpoint: string, limit: number, afterId?: number): OutboundRow[];
  ack(endpoint: string, rows: readonly Pick<OutboundRow, 'id' | 'stream'>[]): number;
  refuse(endpoint: string, rows: readonly Pick<OutboundRow, 'id' | 'attempts'>[], reason: string, deadAfter: number): number;
  expireOlder(endpoint: string, before: number): number;
  deadLetters(endpoint: string, limit: number): (OutboundRow & { lastError: string | null })[];
  retryDead(endpoint: string): number;
  stats(): EndpointQueueStats[];
}

type PendingRecord = { readonly alarm: AlarmRecord } | { readonly event: SiteEvent };

const ERROR_LOG_EVERY_MS = 10_000;
/**
 * With synchronous=NORMAL commits reach the disk at checkpoints; checkpointing at least this
 * often bounds what a power cut can take back, however slowly the WAL fills.
 */
const CHECKPOINT_EVERY_MS = 10_000;
const QUERY_LIMIT_MAX = 10_000;

/** Timers that do not keep the process alive: an open store must not stop a CLI from exiting. */
function backgroundClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

function invalid(zh: string, en: string): StoreError {
  return new StoreError('invalid-argument', { zh, en });
}

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > QUERY_LIMIT_MAX) {
    throw invalid(`limit 须为 1 到 ${QUERY_LIMIT_MAX} 的整数`, `limit must be an integer from 1 to ${QUERY_LIMIT_MAX}`);
  }
  return limit;
}

function checkTime(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw invalid(`${name} 须为毫秒时间戳`, `${name} must be a time in ms since the epoch`);
  }
}

function checkName(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${name} 须为非空字符串`, `${name} must be a non-empty string`);
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Opens (or makes) a store; see {@link StoreOptions}. Throws when the file cannot be opened. */
export function createStore(options: StoreOptions): Store {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw invalid(`存储选项无效：${issues}`, `invalid store options: ${issues}`);
  }
  const opts = parsed.data;
  const retention: RetentionSettings = opts.retention;
  const clock = options.clock ?? backgroundClock();
  const logger: StoreLogger = options.logger ?? pino({ level: 'silent' });
  const batchSize = Math.min(opts.batchSize, opts.maxPending);

  const db: Database.Database = openDatabase(opts.file, opts.maxSizeBytes === undefined ? {} : { maxSizeBytes: opts.maxSizeBytes });
  let schemaVersion: number;
  let counts: RowCounts;
  let registry: SeriesRegistry;
  try {
    schemaVersion = migrate(db);
    counts = new RowCounts(db);
    registry = new SeriesRegistry(db.prepare('SELECT id, device, tag, created_at FROM series').all() as { id: number; device: string; tag: string; created_at: number }[]);
  } catch (err) {
    db.close();
    throw err;
  }
  const writer = new SeriesWriter(db, counts);
  const reader = new SeriesReader(db);
  const alarms = new AlarmLog(db, counts);
  const events = new EventLog(db, counts);
  const kv = new KvArea(db, counts);
  const outbound = new OutboundQueue(db);
  let outboundBounds: ReadonlyMap<string, QueueBound> = new Map();
  let outboundPending: OutboundInput[] = [];
  const buffer = new PointBuffer(opts.maxPending);
  let records: PendingRecord[] = [];

  let closed = false;
  let flushTimer: unknown;
  let retentionTimer: unknown;
  /** After a failed flush, writes do not force another attempt before this time. */
  let retryAt = Number.NEGATIVE_INFINITY;
  let failing = false;
  let lastErrorLogAt = Number.NEGATIVE_INFINITY;
  let suppressedErrors = 0;
  let lastRejectLogAt = Number.NEGATIVE_INFINITY;
  let lastCheckpointAt = clock.now();
  let maintenance: Promise<unknown> = Promise.resolve();
  let retentionRunning = false;

  const stat = {
    flushes: 0,
    flushedPoints: 0,
    writeErrors: 0,
    droppedRecords: 0,
    rejectedPoints: 0,
    rejectedRecords: 0,
    duplicatePoints: 0,
    retentionPasses: 0,
    retentionDeleted: 0,
    lastError: undefined as { code: string; text: Text; at: number } | undefined,
  };
  let droppedAfterClose = 0;

  // The last series a point resolved to: consecutive points of one tag skip the lookup.
  let lastDevice: string | undefined;
  let lastTag: string | undefined;
  let lastSeries: SeriesEntry | undefined;

  const chunkCtx = { db, counts, registry, chunkRows: retention.chunkRows, closed: () => closed };

  function ensureOpen(): void {
    if (closed) throw new StoreError('store-closed', { zh: '存储已关闭', en: 'the store is closed' });
  }

  function scheduleFlush(): void {
    if (closed || flushTimer !== undefined || (buffer.length === 0 && records.length === 0 && outboundPending.length === 0)) return;
    flushTimer = clock.setTimeout(() => {
      flushTimer = undefined;
      flush();
    }, opts.flushMs);
  }

  function reportWriteFailure(error: StoreError): void {
    stat.writeErrors++;
    const now = clock.now();
    stat.lastError = { code: error.code, text: error.text, at: now };
    if (now - lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      logger.error({ code: error.code, pendingPoints: buffer.length, pendingRecords: records.length, dropped: buffer.dropped, suppressed: suppressedErrors }, `store: ${error.message}`);
      lastErrorLogAt = now;
      suppressedErrors = 0;
    } else {
      suppressedErrors++;
    }
    failing = true;
    retryAt = now + opts.flushMs;
  }

  /** One transaction: up to `batchSize` points and every buffered record. */
  function flushOnce(): { points: number; alarms: number; events: number } {
    const points = buffer.peek(batchSize);
    const taken = records;
    const takenOutbound = outboundPending;
    const fresh = registry.unpersisted();
    let nAlarms = 0;
    let nEvents = 0;
    let duplicates = 0;
    counts.transaction(db, () => {
      if (fresh.length > 0) writer.writeSeries(fresh);
      if (points.length > 0) duplicates = writer.writePoints(points).duplicates;
      for (const r of taken) {
        if ('alarm' in r) {
          const what = alarms.apply(r.alarm);
          if (what === 'not-open' || what === 'repeated') logger.debug({ code: r.alarm.code, device: r.alarm.device }, `store: alarm ${r.alarm.event} ignored (${what})`);
          nAlarms++;
        } else {
          events.apply(r.event);
          nEvents++;
        }
      }
      if (takenOutbound.length > 0) outbound.enqueue(takenOutbound, outboundBounds, clock.now());
    });
    for (const e of fresh) e.persisted = true;
    buffer.discard(points.length);
    records = [];
    outboundPending = [];
    stat.flushes++;
    stat.flushedPoints += points.length;
    stat.duplicatePoints += duplicates;
    return { points: points.length, alarms: nAlarms, events: nEvents };
  }

  function flush(): FlushResult {
    if (closed) return { ok: true, points: 0, alarms: 0, events: 0 };
    if (flushTimer !== undefined) {
      clock.clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    const total = { points: 0, alarms: 0, events: 0 };
    try {
      while (buffer.length > 0 || records.length > 0 || outboundPending.length > 0) {
        const done = flushOnce();
        total.points += done.points;
        total.alarms += done.alarms;
        total.events += done.events;
      }
    } catch (err) {
      const error = writeError(err, { zh: '写入历史数据', en: 'writing history' });
      reportWriteFailure(error);
      scheduleFlush();
      return { ok: false, ...total, error };
    }
    const now = clock.now();
    if (total.points + total.alarms + total.events > 0 && now - lastCheckpointAt >= CHECKPOINT_EVERY_MS) {
      lastCheckpointAt = now;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (err) {
        // The data is committed in the WAL; the next checkpoint will carry it.
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'store: checkpoint failed');
      }
    }
    if (failing) {
      failing = false;
      retryAt = Number.NEGATIVE_INFINITY;
      logger.info({ dropped: buffer.dropped }, 'store: writing works again');
    }
    return { ok: true, ...total };
  }

  function pushRecord(r: PendingRecord): void {
    if (closed) {
      droppedAfterClose++;
      return;
    }
    const problem = 'alarm' in r ? alarmProblem(r.alarm) : eventProblem(r.event);
    if (problem !== undefined) {
      stat.rejectedRecords++;
      const now = clock.now();
      if (now - lastRejectLogAt >= ERROR_LOG_EVERY_MS) {
        lastRejectLogAt = now;
        logger.warn({ record: 'alarm' in r ? r.alarm : r.event }, `store: ${'alarm' in r ? 'alarm' : 'event'} refused: ${problem}`);
      }
      return;
    }
    if (records.length >= opts.maxPendingRecords) {
      records.shift();
      stat.droppedRecords++;
    }
    records.push(r);
    scheduleFlush();
  }

  /** Flushes before a read so an answer includes what was just written; a failure is already reported. */
  function settle(): void {
    if (buffer.length > 0 || records.length > 0 || outboundPending.length > 0) flush();
  }

  /** A direct write of the outbound queue; a failure is reported like a flush failure and thrown. */
  function outboundWrite<T>(what: Text, fn: () => T): T {
    ensureOpen();
    try {
      return fn();
    } catch (err) {
      const error = writeError(err, what);
      reportWriteFailure(error);
      throw error;
    }
  }

  const outboundApi: OutboundApi = {
    configure(bounds) {
      outboundBounds = bounds;
    },
    enqueue(rows) {
      if (closed) {
        droppedAfterClose += rows.length;
        return;
      }
      for (const r of rows) outboundPending.push(r);
      // While writes fail the buffer is bounded like the point buffer: the oldest go, counted.
      const over = outboundPending.length - opts.maxPending;
      if (over > 0) {
        outboundPending.splice(0, over);
        stat.droppedRecords += over;
      }
      if (outboundPending.length >= batchSize) flush();
      else scheduleFlush();
    },
    peek(endpoint, limit, afterId) {
      ensureOpen();
      settle();
      return outbound.peek(endpoint, limit, afterId);
    },
    ack: (endpoint, rows) => outboundWrite({ zh: '确认已上传的数据', en: 'acknowledging sent data' }, () => outbound.ack(endpoint, rows, clock.now())),
    refuse: (endpoint, rows, reason, deadAfter) => outboundWrite({ zh: '记录被拒收的数据', en: 'recording refused data' }, () => outbound.refuse(endpoint, rows, reason, deadAfter)),
    expireOlder: (endpoint, before) => outboundWrite({ zh: '清除过期的待上传数据', en: 'expiring old outbound data' }, () => outbound.expireOlder(endpoint, before)),
    deadLetters(endpoint, limit) {
      ensureOpen();
      return outbound.deadLetters(endpoint, limit);
    },
    retryDead: (endpoint) => outboundWrite({ zh: '重新排队被搁置的数据', en: 'requeueing set-aside data' }, () => outbound.retryDead(endpoint)),
    stats() {
      ensureOpen();
      settle();
      return outbound.stats();
    },
  };

  function horizons() {
    const c = retentionCutoffs(clock.now(), retention);
    return { raw: c.raw, '1m': c['1m'], '1h': c['1h'] };
  }

  function armRetention(): void {
    if (closed) return;
    retentionTimer = clock.setTimeout(() => {
      retentionTimer = undefined;
      runRetention().catch((err: unknown) => {
        if (!closed) logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'store: retention pass failed');
      }).finally(armRetention);
    }, retention.intervalMs);
  }

  function runRetention(): Promise<RetentionReport> {
    if (closed) return Promise.reject(new StoreError('store-closed', { zh: '存储已关闭', en: 'the store is closed' }));
    const task = maintenance.then(async () => {
      retentionRunning = true;
      const t0 = performance.now();
      try {
        const deleted = await runRetentionPass(chunkCtx, retentionCutoffs(clock.now(), retention));
        stat.retentionPasses++;
        stat.retentionDeleted += deleted.points + deleted.rollup1m + deleted.rollup1h + deleted.events + deleted.alarms;
        return { ...deleted, ms: performance.now() - t0 };
      } catch (err) {
        if (err instanceof StoreError) throw err;
        if (closed) throw new StoreError('store-closed', { zh: '存储已关闭，清理未完成', en: 'the store closed before the retention pass finished' });
        const error = writeError(err, { zh: '清理过期数据', en: 'removing expired data' });
        reportWriteFailure(error);
        throw error;
      } finally {
        retentionRunning = false;
      }
    });
    maintenance = task.catch(() => undefined);
    return task;
  }

  function settleForPurge(req: PurgeRequest): void {
    if (flush().ok) return;
    // Buffered data the purge covers must not reach the file later.
    const from = req.from ?? Number.NEGATIVE_INFINITY;
    const to = req.to ?? Number.POSITIVE_INFINITY;
    const ids = new Set((req.device === undefined ? registry.all() : registry.ofDevice(req.device)).map((s) => s.id));
    buffer.removeWhere((s, ts) => ids.has(s) && ts >= from && ts < to);
    records = records.filter((r) => {
      const at = 'alarm' in r ? r.alarm.at : r.event.at;
      const device = 'alarm' in r ? r.alarm.device ?? null : eventDevice(r.event);
      return !(at >= from && at < to && (req.device === undefined || device === req.device));
    });
  }

  function purge(request: PurgeRequest): Promise<PurgeReport> {
    let req: PurgeRequest;
    try {
      ensureOpen();
      req = checkPurge(request);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const task = maintenance.then(async () => {
      const bytesBefore = fileBytes(opts.file) + fileBytes(`${opts.file}-wal`);
      try {
        settleForPurge(req);
        const deleted = await purgeRows({ ...chunkCtx, writer, settlePending: settleForPurge }, req);
        if (lastSeries !== undefined && registry.byIdOf(lastSeries.id) !== lastSeries) lastSeries = undefined;
        await reclaimSpace(chunkCtx);
        const report: PurgeReport = { ...deleted, bytesBefore, bytesAfter: fileBytes(opts.file) + fileBytes(`${opts.file}-wal`) };
        logger.info({ request: req, ...report }, 'store: data purged');
        return report;
      } catch (err) {
        if (err instanceof StoreError) throw err;
        if (closed) throw new StoreError('store-closed', { zh: '存储已关闭，清除未完成', en: 'the store closed before the purge finished' });
        const error = writeError(err, { zh: '清除数据', en: 'purging data' });
        reportWriteFailure(error);
        throw error;
      }
    });
    maintenance = task.catch(() => undefined);
    return task;
  }

  function knownSeries(device: string, tag: string): SeriesEntry {
    const series = registry.find(device, tag);
    if (series === undefined || !series.persisted) {
      throw new StoreError('series-not-found', { zh: `没有设备 “${device}” 的数据点 “${tag}”`, en: `no series "${tag}" of device "${device}"` }, { device, tag });
    }
    return series;
  }

  const firstOf = db.prepare(`SELECT min(t) FROM (
      SELECT min(ts) AS t FROM points WHERE series_id = ?
      UNION ALL SELECT min(first_ts) FROM rollup_1m WHERE series_id = ?
      UNION ALL SELECT min(first_ts) FROM rollup_1h WHERE series_id = ?)`).pluck();
  const lastOf = db.prepare('SELECT ts, value FROM points WHERE series_id = ? ORDER BY ts DESC LIMIT 1');

  const store: Store = {
    file: opts.file,
    schemaVersion,

    write(points) {
      if (closed) {
        droppedAfterClose += points.length;
        return;
      }
      const now = clock.now();
      for (let i = 0; i < points.length; i++) {
        const p = points[i]!;
        const ts = p.ts;
        const raw: unknown = p.value;
        let value: number;
        if (typeof raw === 'number') value = Number.isFinite(raw) ? raw : Number.NaN;
        else if (raw === null) value = Number.NaN;
        else if (typeof raw === 'boolean') value = raw ? 1 : 0;
        else {
          stat.rejectedPoints++;
          continue;
        }
        const quality = qualityCode(p.quality);
        if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof p.tag !== 'string' || p.tag === '' || typeof p.device !== 'string' || quality === undefined) {
          stat.rejectedPoints++;
          continue;
        }
        let series = lastSeries;
        if (series === undefined || p.tag !== lastTag || p.device !== lastDevice) {
          series = registry.resolve(p.device, p.tag, now);
          lastSeries = series;
          lastDevice = p.device;
          lastTag = p.tag;
        }
        buffer.push(series.id, Math.trunc(ts), value, quality);
      }
      if (buffer.length >= batchSize && clock.now() >= retryAt) flush();
      else scheduleFlush();
    },

    record(alarm) {
      pushRecord({ alarm });
    },

    append(event) {
      pushRecord({ event });
    },

    flush,

    querySeries(query) {
      ensureOpen();
      const q = checkSeriesQuery(query);
      settle();
      return reader.read(knownSeries(q.device, q.tag).id, q, horizons());
    },

    queryRollups(query) {
      ensureOpen();
      const q = checkRollupQuery(query);
      settle();
      return reader.rollups(knownSeries(q.device, q.tag).id, q);
    },

    listSeries() {
      ensureOpen();
      settle();
      return registry.all()
        .filter((s) => s.persisted)
        .sort((a, b) => (a.device === b.device ? (a.tag < b.tag ? -1 : 1) : a.device < b.device ? -1 : 1))
        .map((s) => {
          const out: { device: string; tag: string; firstTs?: number; lastTs?: number; lastValue?: number | null } = { device: s.device, tag: s.tag };
          const first = firstOf.get(s.id, s.id, s.id) as number | null;
          if (first !== null) out.firstTs = first;
          const last = lastOf.get(s.id) as { ts: number; value: number | null } | undefined;
          if (last !== undefined) {
            out.lastTs = last.ts;
            out.lastValue = last.value;
          }
          return out;
        });
    },

    listAlarms(query = {}) {
      ensureOpen();
      checkTime('from', query.from);
      checkTime('to', query.to);
      const limit = checkLimit(query.limit);
      if (query.active !== undefined && typeof query.active !== 'boolean') throw invalid('active 须为 true 或 false', 'active must be true or false');
      settle();
      return alarms.list(limit === undefined ? query : { ...query, limit });
    },

    ackAlarm(id, ack) {
      ensureOpen();
      if (!Number.isInteger(id) || id < 1) throw invalid(`报警编号无效：${String(id)}`, `invalid alarm id: ${String(id)}`);
      checkName('by', ack?.by);
      if (ack.comment !== undefined && typeof ack.comment !== 'string') throw invalid('comment 须为字符串', 'comment must be a string');
      settle();
      try {
        return counts.transaction(db, () => alarms.acknowledge(id, ack, clock.now()));
      } catch (err) {
        throw writeError(err, { zh: '确认报警', en: 'acknowledging the alarm' });
      }
    },

    listEvents(query = {}) {
      ensureOpen();
      checkTime('from', query.from);
      checkTime('to', query.to);
      const limit = checkLimit(query.limit);
      if (query.kind !== undefined) checkName('kind', query.kind);
      settle();
      return events.list(limit === undefined ? query : { ...query, limit });
    },

    kvGet(scope, key) {
      ensureOpen();
      checkName('scope', scope);
      checkName('key', key);
      return kv.get(scope, key);
    },

    kvSet(scope, key, value) {
      ensureOpen();
      checkName('scope', scope);
      checkName('key', key);
      const json = kvJson(scope, key, value);
      try {
        counts.transaction(db, () => kv.set(scope, key, json, clock.now()));
      } catch (err) {
        const error = writeError(err, { zh: `保存 ${scope}/${key}`, en: `saving ${scope}/${key}` });
        stat.lastError = { code: error.code, text: error.text, at: clock.now() };
        throw error;
      }
    },

    kvDelete(scope, key) {
      ensureOpen();
      checkName('scope', scope);
      checkName('key', key);
      try {
        return counts.transaction(db, () => kv.delete(scope, key));
      } catch (err) {
        throw writeError(err, { zh: `删除 ${scope}/${key}`, en: `deleting ${scope}/${key}` });
      }
    },

    runRetention,
    purge,

    stats() {
      const pageBytes = closed ? 0 : (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
      const out: StoreStats = {
        file: opts.file,
        schemaVersion,
        rows: {
          series: counts.get('series'),
          points: counts.get('points'),
          rollup1m: counts.get('rollup_1m'),
          rollup1h: counts.get('rollup_1h'),
          events: counts.get('events'),
          alarms: counts.get('alarms'),
          kv: counts.get('kv'),
        },
        pending: { points: buffer.length, records: records.length },
        flushes: stat.flushes,
        flushedPoints: stat.flushedPoints,
        writeErrors: stat.writeErrors,
        droppedPoints: buffer.dropped + droppedAfterClose,
        droppedRecords: stat.droppedRecords,
        rejectedPoints: stat.rejectedPoints,
        rejectedRecords: stat.rejectedRecords,
        duplicatePoints: stat.duplicatePoints,
        retention: { passes: stat.retentionPasses, deleted: stat.retentionDeleted, running: retentionRunning },
        dbBytes: Math.max(pageBytes, fileBytes(opts.file)),
        walBytes: fileBytes(`${opts.file}-wal`),
      };
      return stat.lastError === undefined ? out : { ...out, lastError: stat.lastError };
    },

    close() {
      if (closed) return;
      const result = flush();
      if (!result.ok) logger.error({ lostPoints: buffer.length, lostRecords: records.length }, 'store: closing with data that could not be written');
      closed = true;
      if (flushTimer !== undefined) clock.clearTimeout(flushTimer);
      if (retentionTimer !== undefined) clock.clearTimeout(retentionTimer);
      flushTimer = undefined;
      retentionTimer = undefined;
      db.close();
    },

    outbound: outboundApi,
  };

  armRetention();
  return store;
}
