import type { StudioDb } from './database';
import type { Actor } from './roles';

export const AUDIT_ACTIONS = [
  'login', 'logout', 'password-change',
  'user-create', 'user-update',
  'template-create', 'template-update', 'template-publish', 'template-delete', 'template-import',
  'instance-create', 'instance-copy', 'instance-update', 'instance-upgrade', 'instance-delete',
  'pairing-code-create', 'site-register', 'site-pair', 'site-update', 'site-bind', 'site-engineers', 'site-heartbeat-token',
  'deploy', 'rollback', 'bundle-export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly outcome?: AuditOutcome;
  /** What it was done to: `template:oven@1.2.0`, `instance:ins_…`, `site:st_…`, `user:7`. */
  readonly target?: string;
  /** Facts worth keeping (never a password or token). */
  readonly detail?: Record<string, unknown>;
}

export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly user: { readonly id: number | null; readonly username: string | null };
  readonly action: AuditAction;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly ip: string | null;
  readonly detail: unknown;
}

export interface AuditQuery {
  readonly action?: AuditAction;
  readonly userId?: number;
  readonly target?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: number;
  readonly to?: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface AuditLog {
  /** `who` is the signed-in user, or for a failed login the name that was tried. */
  write(who: Pick<Actor, 'id' | 'username'> | { id: null; username: string } | null, ip: string | undefined, entry: AuditEntry): void;
  query(q: AuditQuery): { entries: AuditRecord[]; total: number };
}

interface Row {
  id: number;
  at: number;
  user_id: number | null;
  username: string | null;
  action: AuditAction;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  detail: string | null;
}

export function createAuditLog(db: StudioDb, now: () => number): AuditLog {
  const insert = db.prepare('INSERT INTO audit (at, user_id, username, action, target, outcome, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  return {
    write(who, ip, e) {
      insert.run(now(), who?.id ?? null, who?.username ?? null, e.action, e.target ?? null, e.outcome ?? 'ok', ip ?? null, e.detail === undefined ? null : JSON.stringify(e.detail));
    },
    query(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        where.push(sql);
        params.push(value);
      };
      if (q.action !== undefined) add('action = ?', q.action);
      if (q.userId !== undefined) add('user_id = ?', q.userId);
      if (q.target !== undefined) add('target = ?', q.target);
      if (q.outcome !== undefined) add('outcome = ?', q.outcome);
      if (q.from !== undefined) add('at >= ?', q.from);
      if (q.to !== undefined) add('at < ?', q.to);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare(`SELECT count(*) FROM audit ${clause}`).pluck().get(...params) as number;
      const rows = db.prepare<unknown[], Row>(`SELECT * FROM audit ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, q.pageSize, (q.page - 1) * q.pageSize);
      return {
        total,
        entries: rows.map((r) => ({
          id: r.id, at: new Date(r.at).toISOString(), user: { id: r.user_id, username: r.username }, action: r.action,
          target: r.target, outcome: r.outcome, ip: r.ip, detail: r.detail === null ? null : JSON.parse(r.detail),
        })),
      };
    },
  };
}
