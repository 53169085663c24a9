import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { StudioDataDir } from './data-dir';
import { writePrivateFile } from './data-dir';

/** Seals short secrets (a site's admin token) for storage in the database. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';
// Binds a sealed value to its use: a token sealed for a site cannot be replayed as anything else.
const AAD = Buffer.from('kaiwu-studio/site-token');

/**
 * AES-256-GCM with a key kept beside the database in DATA/secret.key (0600): a copy of
 * studio.db alone does not give away the site tokens.
 */
export function ensureSecretBox(dir: StudioDataDir): SecretBox {
  if (!existsSync(dir.secretKey)) writePrivateFile(dir.secretKey, randomBytes(32).toString('base64') + '\n');
  const key = Buffer.from(readFileSync(dir.secretKey, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${dir.secretKey}: expected a 256-bit key / 密钥文件应为 256 位`);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const [version, data] = sealed.split(':');
      if (version !== VERSION || !data) throw new Error('not a sealed value of this studio');
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(AAD);
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
