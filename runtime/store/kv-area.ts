import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import type { RowCounts } from './row-counts';

/** JSON text of a kv value, or a clear error for what JSON cannot hold. */
export function kvJson(scope: string, key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreError('invalid-argument', { zh: `${scope}/${key} 的值无法保存为 JSON：${why}`, en: `the value of ${scope}/${key} cannot be stored as JSON: ${why}` });
  }
  if (text === undefined) {
    throw new StoreError('invalid-argument', {
      zh: `${scope}/${key} 的值无法保存为 JSON（${typeof value}）；删除请用 kvDelete`,
      en: `the value of ${scope}/${key} cannot be stored as JSON (${typeof value}); use kvDelete to remove it`,
    });
  }
  return text;
}

/**
 * Node state by (scope, key), e.g. scope = "flow/node". Writes go straight to the file (not
 * through the flush buffer) so a value read back is the value written, and a failure is
 * thrown to the caller, who can keep the state in memory and try again.
 */
export class KvArea {
  private readonly select: Database.Statement;
  private readonly exists: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly counts: RowCounts) {
    this.select = db.prepare('SELECT value FROM kv WHERE scope = ? AND key = ?').pluck();
    this.exists = db.prepare('SELECT 1 FROM kv WHERE scope = ? AND key = ?').pluck();
    this.upsert = db.prepare('INSERT INTO kv (scope, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    this.remove = db.prepare('DELETE FROM kv WHERE scope = ? AND key = ?');
  }

  get(scope: string, key: string): unknown {
    const text = this.select.get(scope, key) as string | undefined;
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** Inside a transaction (the caller's). */
  set(scope: string, key: string, json: string, now: number): void {
    const existed = this.exists.get(scope, key) !== undefined;
    this.upsert.run(scope, key, json, now);
    if (!existed) this.counts.add('kv', 1);
  }

  delete(scope: string, key: string): boolean {
    const gone = this.remove.run(scope, key).changes > 0;
    if (gone) this.counts.add('kv', -1);
    return gone;
  }
}
