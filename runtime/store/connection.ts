import Database from 'better-sqlite3';

export interface ConnectionOptions {
  /** Caps the database file (a site PC with a small disk); writes past it fail as on a full disk. */
  readonly maxSizeBytes?: number;
  readonly busyTimeoutMs?: number;
}

const CACHE_KIB = 32 * 1024;
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** WAL pages before SQLite copies them back to the database: larger means fewer, longer checkpoints. */
const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Opens the store's one connection. WAL lets readers run beside the writer; synchronous=NORMAL
 * syncs at checkpoints only, so a power cut may lose the last committed transactions (up to
 * one checkpoint interval) but never corrupts the file.
 */
export function openDatabase(file: string, options: ConnectionOptions = {}): Database.Database {
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    const fresh = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() === 0;
    // Only an empty file can change its vacuum mode; incremental lets a purge hand space back.
    if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`the database at ${file} cannot use WAL (journal mode ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_LIMIT_BYTES}`);
    if (options.maxSizeBytes !== undefined) setMaxSize(db, options.maxSizeBytes);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Limits the file to about `bytes` (never below what it already holds). */
export function setMaxSize(db: Database.Database, bytes: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`max_page_count = ${Math.max(1, Math.floor(bytes / pageSize))}`);
}
