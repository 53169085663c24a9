import type Database from 'better-sqlite3';

export const COUNTED_TABLES = ['series', 'points', 'rollup_1m', 'rollup_1h', 'events', 'alarms', 'kv'] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

/**
 * Row counts of the store's tables, kept in `row_counts` by the same transactions that add or
 * delete rows: `stats()` answers at once, even for a table of a billion points. Changes are
 * staged during a transaction and take effect in memory only after it commits.
 */
export class RowCounts {
  private readonly committed = new Map<CountedTable, number>();
  private readonly staged = new Map<CountedTable, number>();
  private readonly update: Database.Statement<[number, string]>;

  constructor(db: Database.Database) {
    for (const row of db.prepare('SELECT name, n FROM row_counts').all() as { name: string; n: number }[]) {
      this.committed.set(row.name as CountedTable, row.n);
    }
    this.update = db.prepare('UPDATE row_counts SET n = n + ? WHERE name = ?');
  }

  add(table: CountedTable, delta: number): void {
    if (delta !== 0) this.staged.set(table, (this.staged.get(table) ?? 0) + delta);
  }

  /** Writes the staged changes; call as the last step inside the transaction. */
  write(): void {
    for (const [table, delta] of this.staged) this.update.run(delta, table);
  }

  /** After the commit. */
  commit(): void {
    for (const [table, delta] of this.staged) this.committed.set(table, (this.committed.get(table) ?? 0) + delta);
    this.staged.clear();
  }

  /** After a rollback. */
  discard(): void {
    this.staged.clear();
  }

  get(table: CountedTable): number {
    return this.committed.get(table) ?? 0;
  }

  /**
   * Runs `fn` in a transaction whose row-count changes are written with it and kept only if
   * it commits. Nested calls join the outer transaction.
   */
  transaction<T>(db: Database.Database, fn: () => T): T {
    if (db.inTransaction) return fn();
    try {
      const result = db.transaction(() => {
        const r = fn();
        this.write();
        return r;
      })();
      this.commit();
      return result;
    } catch (err) {
      this.discard();
      throw err;
    }
  }
}
