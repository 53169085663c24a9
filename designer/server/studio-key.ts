import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateSigningKeys, keyIdOf, readPrivateKey } from '../../runtime/bundle/keys';
import type { StudioDataDir } from './data-dir';
import { writePrivateFile } from './data-dir';

export interface StudioKey {
  readonly privateKey: KeyObject;
  readonly keyId: string;
  readonly publicPem: string;
  /** The file a site operator hands to `kaiwu trust`. */
  readonly publicFile: string;
  /** True when the key was made just now (a site must trust it before it accepts a bundle). */
  readonly generated: boolean;
}

/**
 * The studio's Ed25519 signing key: made on first start, kept in DATA/studio.key (0600) with its
 * public half in DATA/studio.pub. The private key never leaves the studio.
 */
export function ensureStudioKey(dir: StudioDataDir): StudioKey {
  let generated = false;
  if (!existsSync(dir.signingKey)) {
    const keys = generateSigningKeys();
    writePrivateFile(dir.signingKey, keys.privatePem);
    writeFileSync(dir.publicKey, keys.publicPem, { mode: 0o644 });
    generated = true;
  }
  const privateKey = readPrivateKey(dir.signingKey);
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // A lost or edited .pub is rewritten from the private key, so what we hand out always matches.
  if (!existsSync(dir.publicKey) || readFileSync(dir.publicKey, 'utf8') !== publicPem) writeFileSync(dir.publicKey, publicPem, { mode: 0o644 });
  return { privateKey, keyId: keyIdOf(publicKey), publicPem, publicFile: dir.publicKey, generated };
}
