import { createHash, randomBytes } from 'node:crypto';
import type { StudioDb } from './database';
import type { Actor, Role } from './roles';

export interface SessionPolicy {
  /** A session unused this long ends. Default 12 h. */
  readonly idleMs: number;
  /** No session lives longer than this. Default 7 days. */
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 12 * 3_600_000, absoluteMs: 7 * 86_400_000 };

export interface Session {
  readonly tokenHash: string;
  readonly actor: Actor;
  readonly expiresAt: number;
}

export interface Sessions {
  create(userId: number, ip: string | undefined): { token: string; expiresAt: number };
  /** The live session of a token, or undefined (unknown, expired, or its user disabled). */
  lookup(token: string | undefined): Session | undefined;
  end(tokenHash: string): void;
  /** Ends every session of a user (password change, role change, disabling), but `keep`. */
  endAllOf(userId: number, keep?: string): void;
}

interface Row {
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  user_id: number;
  username: string;
  role: Role;
  enterprise_id: number | null;
  enterprise: string | null;
  disabled: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// Writing last_seen on every request would turn each read into a write; a minute is precise enough for a 12 h idle limit.
const TOUCH_EVERY_MS = 60_000;

export function createSessions(db: StudioDb, now: () => number, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Sessions {
  const insert = db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?)');
  const find = db.prepare<[string], Row>(`
    SELECT s.token_hash, s.created_at, s.last_seen_at, u.id AS user_id, u.username, u.role, u.enterprise_id, e.name AS enterprise, u.disabled
    FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
    WHERE s.token_hash = ?`);
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const removeUser = db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?');
  const removeExpired = db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?');
  const expiry = (r: Pick<Row, 'created_at' | 'last_seen_at'>) => Math.min(r.last_seen_at + policy.idleMs, r.created_at + policy.absoluteMs);
  let lastSweep = 0;

  return {
    create(userId, ip) {
      const t = now();
      if (t - lastSweep > 3_600_000) {
        lastSweep = t;
        removeExpired.run(t - policy.idleMs, t - policy.absoluteMs);
      }
      const token = randomBytes(32).toString('base64url');
      insert.run(hashToken(token), userId, t, t, ip ?? null);
      return { token, expiresAt: expiry({ created_at: t, last_seen_at: t }) };
    },
    lookup(token) {
      if (!token || token.length > 200) return undefined;
      const row = find.get(hashToken(token));
      if (!row) return undefined;
      const t = now();
      if (row.disabled === 1 || t >= expiry(row)) {
        remove.run(row.token_hash);
        return undefined;
      }
      if (t - row.last_seen_at >= TOUCH_EVERY_MS) {
        touch.run(t, row.token_hash);
        row.last_seen_at = t;
      }
      return {
        tokenHash: row.token_hash,
        actor: { id: row.user_id, username: row.username, role: row.role, enterpriseId: row.enterprise_id, enterprise: row.enterprise },
        expiresAt: expiry(row),
      };
    },
    end: (tokenHash) => void remove.run(tokenHash),
    endAllOf: (userId, keep = '') => void removeUser.run(userId, keep),
  };
}
