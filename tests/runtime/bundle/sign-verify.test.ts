import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../runtime/bundle/canonical-json';
import { generateSigningKeys, keyIdOf } from '../../../runtime/bundle/keys';
import { hashOf, signBundle } from '../../../runtime/bundle/sign-bundle';
import { verifySignedBundle } from '../../../runtime/bundle/verify-bundle';
import type { Bundle } from '../../../runtime/model';
import { flowOf } from '../../helpers/flow';

const keys = generateSigningKeys();
const privateKey = createPrivateKey(keys.privatePem);
const publicKey = createPublicKey(keys.publicPem);
const trusted = new Map([[keys.keyId, publicKey]]);

const bundle = (over: Partial<Bundle> = {}): Bundle => ({
  schemaVersion: 1,
  id: 'factory-01-7',
  sequence: 7,
  site: 'factory-01',
  source: { kind: 'flows', files: ['a.json'] },
  flows: [flowOf('a', [{ id: 'r', type: 'rule' }])],
  devices: [],
  profiles: [],
  dashboards: [],
  createdAt: '2026-11-26T00:00:00.000Z',
  ...over,
});

describe('bundle signatures', () => {
  it('canonical JSON sorts keys and ignores key order, so equal content hashes equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
    const signedTwice = [signBundle(bundle(), privateKey), signBundle(bundle(), privateKey)];
    expect(signedTwice[0]!.hash).toBe(signedTwice[1]!.hash);
    expect(signedTwice[0]!.signature.value).toBe(signedTwice[1]!.signature.value);
  });

  it('accepts a bundle signed by a trusted key', () => {
    const signed = signBundle(bundle(), privateKey);
    expect(signed.signature.keyId).toBe(keyIdOf(publicKey));
    const r = verifySignedBundle(JSON.parse(JSON.stringify(signed)), trusted);
    expect(r).toMatchObject({ ok: true, hash: signed.hash, keyId: keys.keyId, bundle: { site: 'factory-01', sequence: 7 } });
  });

  it('refuses a bundle signed by another key, naming the key', () => {
    const other = generateSigningKeys();
    const signed = signBundle(bundle(), createPrivateKey(other.privatePem));
    const r = verifySignedBundle(signed, trusted);
    expect(r).toMatchObject({ ok: false, status: 'untrusted', problems: [{ code: 'untrusted-key', at: 'signature.keyId' }] });
    if (!r.ok) expect(r.problems[0]!.message.en).toContain(other.keyId);
  });

  it('refuses a bundle changed after signing, even with its hash recomputed', () => {
    const signed = signBundle(bundle(), privateKey);
    const changed = JSON.parse(JSON.stringify(signed)) as typeof signed;
    (changed.bundle.flows as { nodes: { config: Record<string, unknown> }[] }[])[0]!.nodes[0]!.config.code = 'while (true) {}';
    expect(verifySignedBundle(changed, trusted)).toMatchObject({ ok: false, status: 'tampered', problems: [{ code: 'tampered', at: 'hash' }] });
    changed.hash = hashOf(changed.bundle);
    expect(verifySignedBundle(changed, trusted)).toMatchObject({ ok: false, status: 'bad-signature', problems: [{ code: 'bad-signature', at: 'signature.value' }] });
  });

  it('refuses an unsigned file and a malformed envelope with the reason', () => {
    expect(verifySignedBundle(bundle(), trusted)).toMatchObject({ ok: false, status: 'malformed', problems: [{ code: 'not-a-bundle' }] });
    const signed = signBundle(bundle(), privateKey);
    const r = verifySignedBundle({ ...signed, signature: { ...signed.signature, alg: 'RSA' } }, trusted);
    expect(r).toMatchObject({ ok: false, status: 'malformed', problems: [{ at: 'signature.alg' }] });
  });

  it('checks the shape of a signed bundle and says where it is wrong', () => {
    const signed = signBundle({ ...bundle(), sequence: 0 } as Bundle, privateKey);
    const r = verifySignedBundle(signed, trusted);
    expect(r).toMatchObject({ ok: false, status: 'malformed', problems: [{ at: 'bundle.sequence' }] });
  });
});
