import type { StudioDb } from './database';
import type { Actor, Role } from './roles';

export interface UserView {
  readonly id: number;
  readonly username: string;
  readonly displayName: string | null;
  readonly role: Role;
  readonly enterprise: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  enterprise_id: number | null;
  enterprise: string | null;
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface StoredUser extends Actor {
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly enterpriseId: number | null;
  readonly displayName?: string;
  readonly passwordHash: string;
}

export interface UserChange {
  readonly role?: Role;
  readonly enterpriseId?: number | null;
  readonly displayName?: string | null;
  readonly disabled?: boolean;
  readonly passwordHash?: string;
}

export interface Users {
  byId(id: number): StoredUser | undefined;
  byUsername(username: string): StoredUser | undefined;
  view(id: number): UserView | undefined;
  list(): UserView[];
  create(user: NewUser): number;
  update(id: number, change: UserChange): void;
  /** Admins that can still sign in. */
  activeAdmins(): number;
}

const SELECT = `SELECT u.*, e.name AS enterprise FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id`;

function stored(r: UserRow): StoredUser {
  return { id: r.id, username: r.username, role: r.role, enterpriseId: r.enterprise_id, enterprise: r.enterprise, passwordHash: r.password_hash, disabled: r.disabled === 1 };
}

function view(r: UserRow): UserView {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role, enterprise: r.enterprise, disabled: r.disabled === 1,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function createUsers(db: StudioDb, now: () => number): Users {
  const byId = db.prepare<[number], UserRow>(`${SELECT} WHERE u.id = ?`);
  const byName = db.prepare<[string], UserRow>(`${SELECT} WHERE u.username = ?`);
  const all = db.prepare<[], UserRow>(`${SELECT} ORDER BY u.id`);
  const insert = db.prepare('INSERT INTO users (username, display_name, role, enterprise_id, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    byId: (id) => {
      const r = byId.get(id);
      return r ? stored(r) : undefined;
    },
    byUsername: (username) => {
      const r = byName.get(username);
      return r ? stored(r) : undefined;
    },
    view: (id) => {
      const r = byId.get(id);
      return r ? view(r) : undefined;
    },
    list: () => all.all().map(view),
    create(u) {
      const t = now();
      return Number(insert.run(u.username, u.displayName ?? null, u.role, u.enterpriseId, u.passwordHash, t, t).lastInsertRowid);
    },
    update(id, c) {
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (c.role !== undefined) set('role', c.role);
      if (c.enterpriseId !== undefined) set('enterprise_id', c.enterpriseId);
      if (c.displayName !== undefined) set('display_name', c.displayName);
      if (c.disabled !== undefined) set('disabled', c.disabled ? 1 : 0);
      if (c.passwordHash !== undefined) set('password_hash', c.passwordHash);
      set('updated_at', now());
      db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    },
    activeAdmins: () => db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number,
  };
}
