import type { StudioDb } from './database';

/** Enterprises by name: the studio creates one the first time a user or an instance names it. */
export interface Enterprises {
  /** The id for this name, creating the enterprise when it is new. */
  ensure(name: string): number;
  find(name: string): number | undefined;
  nameOf(id: number): string | undefined;
}

export function createEnterprises(db: StudioDb, now: () => number): Enterprises {
  const byName = db.prepare<[string], { id: number }>('SELECT id FROM enterprises WHERE name = ?');
  const byId = db.prepare<[number], { name: string }>('SELECT name FROM enterprises WHERE id = ?');
  const insert = db.prepare<[string, number]>('INSERT INTO enterprises (name, created_at) VALUES (?, ?)');
  return {
    ensure(name) {
      const found = byName.get(name);
      if (found) return found.id;
      return Number(insert.run(name, now()).lastInsertRowid);
    },
    find: (name) => byName.get(name)?.id,
    nameOf: (id) => byId.get(id)?.name,
  };
}
