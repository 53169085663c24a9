import { createHash, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Bundle, SignedBundle } from '../model';
import { canonicalJson } from './canonical-json';
import { keyIdOf } from './keys';

export function hashOf(bundle: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(bundle)).digest('hex')}`;
}

/** Signs the canonical JSON of a bundle with an Ed25519 private key. */
export function signBundle(bundle: Bundle, privateKey: KeyObject): SignedBundle {
  const bytes = Buffer.from(canonicalJson(bundle));
  return {
    format: 'kaiwu-bundle',
    hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    signature: { alg: 'Ed25519', keyId: keyIdOf(createPublicKey(privateKey)), value: sign(null, bytes, privateKey).toString('base64') },
    bundle: bundle as unknown as Record<string, unknown>,
  };
}
