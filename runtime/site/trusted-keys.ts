import type { KeyObject } from 'node:crypto';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf, readPublicKey } from '../bundle/keys';
import type { DataDir } from './data-dir';

/** The studio keys this site accepts bundles from, by key id; unreadable files are reported, not fatal. */
export function loadTrustedKeys(dir: DataDir, warn: (message: string) => void = () => undefined): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  let files: string[];
  try {
    files = readdirSync(dir.trustedKeys).filter((f) => f.endsWith('.pub'));
  } catch {
    return keys;
  }
  for (const f of files) {
    try {
      const key = readPublicKey(join(dir.trustedKeys, f));
      keys.set(keyIdOf(key), key);
    } catch (err) {
      warn((err as Error).message);
    }
  }
  return keys;
}

/** Adds a public key file to the site's trusted keys; returns its key id. */
export function trustKey(dir: DataDir, publicKeyFile: string): string {
  const key = readPublicKey(publicKeyFile);
  const keyId = keyIdOf(key);
  copyFileSync(publicKeyFile, join(dir.trustedKeys, `${keyId}.pub`));
  return keyId;
}
