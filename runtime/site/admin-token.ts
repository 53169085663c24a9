import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { DataDir } from './data-dir';
import { writeFileAtomic } from './data-dir';

export interface AdminToken {
  /** The token, only when it was generated just now: print it once. */
  readonly generated?: string;
  matches(candidate: string | undefined): boolean;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The admin token: from KAIWU_ADMIN_TOKEN when set, else generated at first start, stored as a
 * SHA-256 hash, and written once to DIR/admin-token (mode 0600) for the field engineer.
 */
export function ensureAdminToken(dir: DataDir, fromEnv: string | undefined): AdminToken {
  let expected: Buffer;
  let generated: string | undefined;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16) throw new Error('KAIWU_ADMIN_TOKEN must be at least 16 characters / 管理令牌至少 16 个字符');
    expected = digest(fromEnv);
  } else if (existsSync(dir.adminTokenHash)) {
    expected = Buffer.from(readFileSync(dir.adminTokenHash, 'utf8').trim(), 'hex');
  } else {
    generated = randomBytes(32).toString('base64url');
    expected = digest(generated);
    writeFileAtomic(dir.adminToken, `${generated}\n`, 0o600);
    writeFileAtomic(dir.adminTokenHash, `${expected.toString('hex')}\n`, 0o600);
  }
  return {
    ...(generated === undefined ? {} : { generated }),
    matches(candidate) {
      if (candidate === undefined || candidate === '') return false;
      return timingSafeEqual(digest(candidate), expected);
    },
  };
}
