import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** First 16 hex digits of the SHA-256 of the public key's SPKI encoding: short, stable, printable. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function generateSigningKeys(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

export class KeyFileError extends Error {}

function readKey(file: string, kind: 'private' | 'public'): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KeyFileError(`${file}: cannot read the ${kind} key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) / 无法读取${kind === 'private' ? '私钥' : '公钥'}`);
  }
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (err) {
    throw new KeyFileError(`${file}: not a PEM ${kind} key (${(err as Error).message}) / 不是 PEM 格式的${kind === 'private' ? '私钥' : '公钥'}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${file}: an Ed25519 key is needed, this is ${key.asymmetricKeyType} / 需要 Ed25519 密钥`);
  return key;
}

export const readPrivateKey = (file: string) => readKey(file, 'private');
export const readPublicKey = (file: string) => readKey(file, 'public');
