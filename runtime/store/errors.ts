import type { Text } from '../model';

export type StoreErrorCode =
  | 'store-closed'
  | 'schema-too-new'
  | 'invalid-argument'
  | 'series-not-found'
  | 'alarm-not-found'
  | 'alarm-already-acked'
  | 'disk-full'
  | 'write-failed';

/**
 * A failure the store explains: a stable `code` for programs (the server maps it to an HTTP
 * status), the reason in both languages, and details such as who acknowledged an alarm first.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly text: Text,
    readonly details: Record<string, unknown> = {},
  ) {
    super(text.en);
    this.name = 'StoreError';
  }
}

/** The SQLite result code of a better-sqlite3 error (`SQLITE_FULL` …), if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    return code.startsWith('SQLITE_') ? code : undefined;
  }
  return undefined;
}

/** Wraps a failed write into a StoreError: `disk-full` for SQLITE_FULL, else `write-failed`. */
export function writeError(err: unknown, what: Text): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const why = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL') {
    return new StoreError('disk-full', {
      zh: `${what.zh}失败：磁盘已满或数据库已达上限（${why}）`,
      en: `${what.en} failed: the disk or the database size limit is full (${why})`,
    }, { sqlite: code });
  }
  return new StoreError('write-failed', {
    zh: `${what.zh}失败：${why}`,
    en: `${what.en} failed: ${why}`,
  }, code === undefined ? {} : { sqlite: code });
}
