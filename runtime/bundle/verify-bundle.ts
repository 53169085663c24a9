import { createHash, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Bundle, Problem } from '../model';
import { checkBundleShape, checkSignedBundleShape, problem } from '../model';
import { canonicalJson } from './canonical-json';

export type VerifiedBundle = { ok: true; bundle: Bundle; hash: string; keyId: string } | { ok: false; status: 'malformed' | 'untrusted' | 'tampered' | 'bad-signature'; problems: Problem[] };

/**
 * Checks a signed bundle against trusted public keys: the envelope, the key, the hash and the
 * signature over the canonical JSON, then the bundle's own shape.
 */
export function verifySignedBundle(raw: unknown, trusted: ReadonlyMap<string, KeyObject>): VerifiedBundle {
  const envelope = checkSignedBundleShape(raw);
  if (!envelope.ok) return { ok: false, status: 'malformed', problems: envelope.problems };
  const { signed } = envelope;
  const key = trusted.get(signed.signature.keyId);
  if (!key) {
    return { ok: false, status: 'untrusted', problems: [problem('untrusted-key', ['signature', 'keyId'], {
      zh: `签名密钥 ${signed.signature.keyId} 不在本站点信任的密钥中（${trusted.size} 个）；用 kaiwu trust 添加工作室的公钥`,
      en: `signing key ${signed.signature.keyId} is not one this site trusts (${trusted.size} trusted); add the studio's public key with kaiwu trust`,
    })] };
  }
  let bytes: Buffer;
  try {
    bytes = Buffer.from(canonicalJson(signed.bundle));
  } catch (err) {
    return { ok: false, status: 'malformed', problems: [problem('invalid-bundle', ['bundle'], { zh: `部署包内容不是合法 JSON：${(err as Error).message}`, en: `the bundle is not valid JSON: ${(err as Error).message}` })] };
  }
  const hash = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (hash !== signed.hash) {
    return { ok: false, status: 'tampered', problems: [problem('tampered', ['hash'], {
      zh: `部署包内容与其摘要不符（内容 ${hash}，摘要 ${signed.hash}）：签名后被修改过`,
      en: `the bundle does not match its hash (content ${hash}, stated ${signed.hash}): it was changed after signing`,
    })] };
  }
  let valid: boolean;
  try {
    valid = verify(null, bytes, key, Buffer.from(signed.signature.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    return { ok: false, status: 'bad-signature', problems: [problem('bad-signature', ['signature', 'value'], {
      zh: `签名无效：部署包不是由密钥 ${signed.signature.keyId} 签署的，或签名后被修改过`,
      en: `invalid signature: the bundle was not signed by key ${signed.signature.keyId}, or it was changed after signing`,
    })] };
  }
  const shape = checkBundleShape(signed.bundle);
  if (!shape.ok) return { ok: false, status: 'malformed', problems: shape.problems };
  return { ok: true, bundle: shape.bundle, hash, keyId: signed.signature.keyId };
}
