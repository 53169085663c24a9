import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DataDir } from './data-dir';
import { writeFileAtomic } from './data-dir';

/**
 * Dashboard viewers of a site: accounts separate from the admin token, each either read-only or
 * also allowed to acknowledge alarms, with passwords hashed by scrypt in DATA/viewers.json
 * (0600), sessions that expire, and an open kiosk mode a site must switch on explicitly.
 */

export const VIEWER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.@-]{0,63}$/u;
/** Shorter passwords are refused: a viewer login is reachable from the shop floor network. */
export const MIN_PASSWORD = 8;

const HashSchema = z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string(), hash: z.string() });

const AccountSchema = z.object({
  name: z.string().regex(VIEWER_NAME),
  canAck: z.boolean(),
  createdAt: z.number(),
  password: HashSchema,
});
export type ViewerAccount = z.infer<typeof AccountSchema>;

const KioskSchema = z.object({
  /** Anyone who can reach the dashboard sees it without a login (read-only). */
  open: z.boolean().default(false),
  /** Only these client addresses get the open kiosk; empty: any address. */
  allow: z.array(z.string().min(1)).default([]),
});
export type KioskSetting = z.infer<typeof KioskSchema>;

const FileSchema = z.object({
  schemaVersion: z.literal(1),
  viewers: z.array(AccountSchema).default([]),
  kiosk: KioskSchema.default({ open: false, allow: [] }),
  /** How long a login lasts. */
  sessionHours: z.number().min(0.1).max(24 * 90).default(12),
});
export type ViewerFile = z.infer<typeof FileSchema>;

const SessionFileSchema = z.object({
  schemaVersion: z.literal(1),
  /** By SHA-256 of the session token: the token itself is never stored. */
  sessions: z.record(z.string(), z.object({ name: z.string(), expiresAt: z.number() })).default({}),
});

/** What a request may do on the dashboard. */
export interface ViewerSession {
  readonly name: string;
  readonly canAck: boolean;
  readonly expiresAt: number;
  /** The open kiosk, not a login. */
  readonly kiosk: boolean;
}

export class ViewerError extends Error {
  constructor(readonly code: 'invalid-name' | 'weak-password' | 'exists' | 'not-found' | 'invalid-file', readonly text: { zh: string; en: string }) {
    super(text.en);
    this.name = 'ViewerError';
  }
}

// Costly enough to slow guessing (≈ 50 ms), cheap enough for a small factory PC.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 };
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFKC'), salt, SCRYPT.keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<ViewerAccount['password']> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(password: string, stored: ViewerAccount['password']): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await scrypt(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const viewersFile = (dir: DataDir) => join(dir.root, 'viewers.json');
const sessionsFile = (dir: DataDir) => join(dir.root, 'viewer-sessions.json');

export function readViewerFile(dir: DataDir): ViewerFile {
  const file = viewersFile(dir);
  if (!existsSync(file)) return FileSchema.parse({ schemaVersion: 1 });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ViewerError('invalid-file', { zh: `${file} 不是合法的 JSON：${(err as Error).message}`, en: `${file} is not valid JSON: ${(err as Error).message}` });
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) throw new ViewerError('invalid-file', { zh: `${file} 格式不正确：${parsed.error.issues[0]?.message}`, en: `${file} is malformed: ${parsed.error.issues[0]?.message}` });
  return parsed.data;
}

function writeViewerFile(dir: DataDir, file: ViewerFile): void {
  writeFileAtomic(viewersFile(dir), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}

export async function addViewer(dir: DataDir, name: string, password: string, options: { canAck: boolean; now: number; replace?: boolean }): Promise<void> {
  if (!VIEWER_NAME.test(name)) {
    throw new ViewerError('invalid-name', { zh: `用户名 “${name}” 无效：以字母或数字开头，最多 64 个字符`, en: `"${name}" is not a valid name: start with a letter or digit, at most 64 characters` });
  }
  if (password.length < MIN_PASSWORD) throw new ViewerError('weak-password', { zh: `密码至少 ${MIN_PASSWORD} 个字符`, en: `the password must have at least ${MIN_PASSWORD} characters` });
  const file = readViewerFile(dir);
  const existing = file.viewers.findIndex((v) => v.name === name);
  if (existing >= 0 && !options.replace) throw new ViewerError('exists', { zh: `用户 “${name}” 已存在`, en: `viewer "${name}" exists` });
  const account: ViewerAccount = { name, canAck: options.canAck, createdAt: options.now, password: await hashPassword(password) };
  const viewers = existing >= 0 ? file.viewers.map((v, i) => (i === existing ? account : v)) : [...file.viewers, account];
  writeViewerFile(dir, { ...file, viewers });
}

/** Removes an account; its sessions end with it (the runtime re-reads the file). */
export function removeViewer(dir: DataDir, name: string): void {
  const file = readViewerFile(dir);
  if (!file.viewers.some((v) => v.name === name)) throw new ViewerError('not-found', { zh: `没有用户 “${name}”`, en: `no viewer "${name}"` });
  writeViewerFile(dir, { ...file, viewers: file.viewers.filter((v) => v.name !== name) });
}

export function listViewers(dir: DataDir): { name: string; canAck: boolean; createdAt: number }[] {
  return readViewerFile(dir).viewers.map(({ name, canAck, createdAt }) => ({ name, canAck, createdAt }));
}

export function setKiosk(dir: DataDir, kiosk: KioskSetting): void {
  const file = readViewerFile(dir);
  writeViewerFile(dir, { ...file, kiosk });
}

/** The accounts and sessions a running dashboard checks requests against. */
export interface ViewerAccess {
  /** A session token for a right name and password; undefined otherwise (never says which was wrong). */
  login(name: string, password: string): Promise<{ token: string; session: ViewerSession } | undefined>;
  /** The session of a token, while it lasts and its account exists. */
  session(token: string | undefined): ViewerSession | undefined;
  logout(token: string | undefined): void;
  /** The open kiosk's read-only session for a client address, when the site has switched it on. */
  kiosk(remoteAddress: string | undefined): ViewerSession | undefined;
  /** The kiosk setting now (re-read when the file changed). */
  settings(): ViewerFile;
}

const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');

/** Plain IPv4 in an IPv6 socket address (`::ffff:10.0.0.5`) compares as IPv4. */
const plainAddress = (a: string) => (a.startsWith('::ffff:') ? a.slice(7) : a);

/**
 * Opens the viewer accounts of a data folder. The accounts file is re-read when it changes, so
 * `kaiwu viewer add|remove` takes effect on a running runtime; sessions are kept (hashed) in
 * DATA/viewer-sessions.json so a restart of the runtime does not log everyone out.
 */
export function openViewerAccess(dir: DataDir, options: { now?: () => number } = {}): ViewerAccess {
  const now = options.now ?? (() => Date.now());
  let file: ViewerFile = readViewerFile(dir);
  let stamp = fileStamp(viewersFile(dir));
  const sessions = new Map<string, { name: string; expiresAt: number }>();
  try {
    const parsed = SessionFileSchema.safeParse(JSON.parse(readFileSync(sessionsFile(dir), 'utf8')));
    if (parsed.success) for (const [k, v] of Object.entries(parsed.data.sessions)) if (v.expiresAt > now()) sessions.set(k, v);
  } catch {
    // No sessions yet, or an unreadable file: everyone logs in again.
  }

  function fileStamp(path: string): string {
    try {
      const s = statSync(path);
      // A rewrite is a new file (atomic rename): the inode tells it apart even within one mtime tick.
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return 'none';
    }
  }

  function current(): ViewerFile {
    const next = fileStamp(viewersFile(dir));
    if (next !== stamp) {
      stamp = next;
      try {
        file = readViewerFile(dir);
      } catch {
        // A half-edited file keeps the accounts as they were until it is valid again.
      }
    }
    return file;
  }

  function persist() {
    const t = now();
    for (const [k, v] of sessions) if (v.expiresAt <= t) sessions.delete(k);
    writeFileAtomic(sessionsFile(dir), JSON.stringify({ schemaVersion: 1, sessions: Object.fromEntries(sessions) }), 0o600);
  }

  // Spends the same time on an unknown name as on a wrong password, so names cannot be probed.
  let dummy: ViewerAccount['password'] | undefined;

  return {
    async login(name, password) {
      const account = current().viewers.find((v) => v.name === name);
      if (!account) {
        dummy ??= await hashPassword(randomBytes(12).toString('hex'));
        await verifyPassword(password, dummy);
        return undefined;
      }
      if (!(await verifyPassword(password, account.password))) return undefined;
      const token = randomBytes(32).toString('base64url');
      const expiresAt = now() + file.sessionHours * 3_600_000;
      sessions.set(tokenKey(token), { name, expiresAt });
      persist();
      return { token, session: { name, canAck: account.canAck, expiresAt, kiosk: false } };
    },
    session(token) {
      if (!token) return undefined;
      const key = tokenKey(token);
      const s = sessions.get(key);
      if (!s) return undefined;
      const account = current().viewers.find((v) => v.name === s.name);
      if (!account || s.expiresAt <= now()) {
        sessions.delete(key);
        return undefined;
      }
      return { name: s.name, canAck: account.canAck, expiresAt: s.expiresAt, kiosk: false };
    },
    logout(token) {
      if (token && sessions.delete(tokenKey(token))) persist();
    },
    kiosk(remoteAddress) {
      const { kiosk } = current();
      if (!kiosk.open) return undefined;
      if (kiosk.allow.length > 0 && (remoteAddress === undefined || !kiosk.allow.map(plainAddress).includes(plainAddress(remoteAddress)))) return undefined;
      return { name: 'kiosk', canAck: false, expiresAt: Infinity, kiosk: true };
    },
    settings: () => current(),
  };
}
