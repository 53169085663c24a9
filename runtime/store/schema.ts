import type Database from 'better-sqlite3';
import { StoreError } from './errors';

/**
 * The schema as versioned steps of plain SQL. Step N brings a database from version N − 1 to
 * N; `PRAGMA user_version` records where a file stands. Never edit a shipped step: add one.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        device TEXT NOT NULL,
        tag TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (device, tag)
      );
      -- One row a point, clustered by series then time: appends of a series land on one page
      -- and a range query is one index walk. quality: 0 good, 1 uncertain, 2 bad.
      CREATE TABLE points (
        series_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        value REAL,
        quality INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (series_id, ts)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_1m (
        series_id INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL, min_ts INTEGER NOT NULL,
        max REAL NOT NULL, max_ts INTEGER NOT NULL,
        first REAL NOT NULL, first_ts INTEGER NOT NULL,
        last REAL NOT NULL, last_ts INTEGER NOT NULL,
        PRIMARY KEY (series_id, bucket)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_1h (
        series_id INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL, min_ts INTEGER NOT NULL,
        max REAL NOT NULL, max_ts INTEGER NOT NULL,
        first REAL NOT NULL, first_ts INTEGER NOT NULL,
        last REAL NOT NULL, last_ts INTEGER NOT NULL,
        PRIMARY KEY (series_id, bucket)
      ) WITHOUT ROWID;
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        device TEXT,
        data TEXT
      );
      CREATE INDEX events_at ON events (at);
      CREATE INDEX events_kind_at ON events (kind, at);
      CREATE INDEX events_device ON events (device, at) WHERE device IS NOT NULL;
      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL,
        device TEXT NOT NULL DEFAULT '',
        kind TEXT,
        severity TEXT NOT NULL,
        source TEXT NOT NULL,
        text_zh TEXT,
        text_en TEXT,
        raised_at INTEGER NOT NULL,
        raised_value REAL,
        limit_value REAL,
        cleared_at INTEGER,
        cleared_value REAL,
        acked_at INTEGER,
        acked_by TEXT,
        ack_comment TEXT
      );
      -- At most one open alarm per (code, device): a clear closes it.
      CREATE UNIQUE INDEX alarms_open ON alarms (code, device) WHERE cleared_at IS NULL;
      CREATE INDEX alarms_raised ON alarms (raised_at);
      CREATE INDEX alarms_cleared ON alarms (cleared_at) WHERE cleared_at IS NOT NULL;
      CREATE INDEX alarms_device ON alarms (device, raised_at);
      CREATE TABLE kv (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;
      -- Row counts kept in the same transactions as the rows, so stats() never scans a table.
      CREATE TABLE row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO row_counts (name, n) VALUES
        ('points', 0), ('rollup_1m', 0), ('rollup_1h', 0), ('events', 0), ('alarms', 0), ('series', 0), ('kv', 0);
    `,
  },
  {
    version: 2,
    sql: `
      -- The uplink's outbound queue. AUTOINCREMENT: an id is never reused, so a receiver can
      -- drop duplicates by id for good.
      CREATE TABLE outbound (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        endpoint TEXT NOT NULL,
        stream TEXT NOT NULL,
        topic TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        dead INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE INDEX outbound_pending ON outbound (endpoint, dead, id);
      CREATE TABLE outbound_stats (endpoint TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (endpoint, name)) WITHOUT ROWID;
      -- What was sent, per endpoint, stream and hour: the record of what left the site.
      CREATE TABLE outbound_sent (endpoint TEXT NOT NULL, stream TEXT NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (endpoint, stream, hour)) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the file's schema up to {@link SCHEMA_VERSION}, each step in its own transaction. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError('schema-too-new', {
      zh: `数据库结构版本 ${current} 比本程序支持的 ${SCHEMA_VERSION} 新，请升级运行时`,
      en: `the database schema is version ${current}, newer than the ${SCHEMA_VERSION} this runtime knows; upgrade the runtime`,
    });
  }
  for (const step of MIGRATIONS) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  return SCHEMA_VERSION;
}
