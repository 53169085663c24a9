import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../runtime/site/data-dir';

/** What the studio keeps in its data folder. */
export interface StudioDataDir {
  readonly root: string;
  readonly database: string;
  /** The Ed25519 key bundles are signed with (0600), and its public half for `kaiwu trust`. */
  readonly signingKey: string;
  readonly publicKey: string;
  /** The AES-256-GCM key that seals site admin tokens at rest (0600). */
  readonly secretKey: string;
  /** The first admin password, written once (0600). */
  readonly adminPassword: string;
}

export function studioDataDir(root: string): StudioDataDir {
  mkdirSync(root, { recursive: true });
  return {
    root,
    database: join(root, 'studio.db'),
    signingKey: join(root, 'studio.key'),
    publicKey: join(root, 'studio.pub'),
    secretKey: join(root, 'secret.key'),
    adminPassword: join(root, 'admin-password'),
  };
}

/**
 * Writes a file readable only by its owner, whole or not at all: a reader never sees half a key
 * and a crash leaves no truncated secret behind.
 */
export function writePrivateFile(file: string, data: string | Buffer, mode = 0o600): void {
  writeFileAtomic(file, data, mode);
}
