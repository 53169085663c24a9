import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema';

export type StudioDb = Database.Database;

export class SchemaTooNewError extends Error {}

/**
 * Brings a database to the newest schema, one step per transaction: a step that fails leaves the
 * file at the version before it.
 */
export function migrate(db: StudioDb, steps: readonly { readonly version: number; readonly sql: string }[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = steps.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new SchemaTooNewError(`studio.db is at schema version ${current}, newer than this build knows (${latest}) / 数据库版本 ${current} 高于本程序支持的 ${latest}`);
  }
  for (const step of steps) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  return latest;
}

/**
 * The studio's one connection. WAL lets the fleet page read while a deploy writes; with
 * synchronous=NORMAL a power cut may lose the last transactions, never the file.
 */
export function openStudioDatabase(file: string): StudioDb {
  const db = new Database(file, { timeout: 5_000 });
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`${file} cannot use WAL (journal mode ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
