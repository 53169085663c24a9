import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import { defineNode, port, z } from '../../../nodes/sdk';
import { buildInstanceBundle, instanceHash } from '../../../runtime/bundle/instance-bundle';
import { signBundle } from '../../../runtime/bundle/sign-bundle';
import { generateSigningKeys } from '../../../runtime/bundle/keys';
import type { Bundle, DeviceProfile } from '../../../runtime/model';
import { DeviceGroupSchema, DeviceProfileSchema, checkTemplate, materializeFlows } from '../../../runtime/model';
import { createPrivateKey } from 'node:crypto';
import type { TestSite } from '../../helpers/site';
import { startTestSite } from '../../helpers/site';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/templates/${name}`, import.meta.url), 'utf8'));
const profile = DeviceProfileSchema.parse(fixture('test-oven.profile.json'));
const profiles = (id: string): DeviceProfile | undefined => (id === 'test-oven' ? profile : undefined);
const seen: unknown[] = [];
const deviceList = defineNode({
  type: 'device-list', version: 1, category: 'device', icon: 'd', title: { zh: '设备', en: 'Devices' }, summary: { zh: '测试', en: 'test' },
  inputs: [], outputs: [port('out', '输出', 'out')], config: z.object({ devices: DeviceGroupSchema }),
}, (config) => {
  seen.push(config.devices);
  return {};
});
const registry = createNodeRegistry([deviceList]);
const template = (() => {
  const r = checkTemplate(fixture('oven-1.3.0.json'), registry, profiles);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.template;
})();

const instance = (ovens: number) => ({
  schemaVersion: 1, template: 'oven-watch@1.3.0', enterprise: '湖州某涂装厂', site: 'test-site', scenarios: ['energy'],
  parameters: { shiftLead: '李师傅' },
  devices: { ovens: Array.from({ length: ovens }, (_, i) => ({ name: `oven-${i + 1}`, host: `192.168.1.${20 + i}`, unitId: 1 })) },
});

const sites: TestSite[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
});

describe('instance bundles', () => {
  it('carry each profile once and device groups by reference, and resolve to the same bytes every time', () => {
    const built = buildInstanceBundle(template, instance(10), profiles, registry, { sequence: 3, createdAt: '2026-11-26T00:00:00.000Z' });
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const b = built.bundle;
    expect(b.source).toEqual({ kind: 'instance', template: 'oven-watch@1.3.0', instanceHash: instanceHash(instance(10)) });
    expect(b.profiles).toHaveLength(1);
    expect(b.devices).toEqual([{ group: 'ovens', profile: 'test-oven', entries: expect.arrayContaining([expect.objectContaining({ name: 'oven-1', profile: 'test-oven' })]) }]);
    expect(JSON.stringify(b.flows)).toContain('{"$deviceGroup":"ovens"}');
    const again = buildInstanceBundle(template, JSON.parse(JSON.stringify(instance(10))), profiles, registry, { sequence: 3, createdAt: '2026-11-26T00:00:00.000Z' });
    const key = createPrivateKey(generateSigningKeys().privatePem);
    expect(signBundle(b, key).hash).toBe(signBundle((again as { bundle: Bundle }).bundle, key).hash);
  });

  it('carry the enterprise\'s uplink consent when it gave one, and nothing otherwise; a bad policy says where', () => {
    const consent = { endpoints: [{ id: 'brain', kind: 'mqtt', url: 'mqtts://brain.example.cn:8883' }], streams: [{ id: 'energy', endpoint: 'brain', tags: ['kwh'], granularity: '1h' }] };
    const withConsent = buildInstanceBundle(template, { ...instance(1), uplink: consent }, profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    if (!withConsent.ok) throw new Error(JSON.stringify(withConsent.problems));
    expect(withConsent.bundle.uplink).toMatchObject({ endpoints: [{ id: 'brain', topic: 'kaiwu/{site}/{device}/{tag}', commands: [] }], streams: [{ id: 'energy', devices: ['*'], granularity: '1h' }] });
    const without = buildInstanceBundle(template, instance(1), profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    expect(without.ok && 'uplink' in without.bundle).toBe(false);
    const wrong = buildInstanceBundle(template, { ...instance(1), uplink: { ...consent, streams: [{ ...consent.streams[0], endpoint: 'cloud', granularity: 'daily' }] } }, profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    expect(wrong.ok).toBe(false);
    expect(wrong.problems.map((p) => p.at)).toEqual(['uplink.streams[0].granularity']);
    const unknown = buildInstanceBundle(template, { ...instance(1), uplink: { ...consent, streams: [{ ...consent.streams[0], endpoint: 'cloud' }] } }, profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    expect(unknown.problems.map((p) => [p.at, p.message.en])).toEqual([['uplink.streams[0].endpoint', 'stream "energy" names endpoint "cloud", which the policy does not have']]);
  });

  it('fill their device groups in on the site, and name what a bundle lacks', () => {
    const built = buildInstanceBundle(template, instance(2), profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    if (!built.ok) throw new Error('resolve');
    const m = materializeFlows(built.bundle);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const read = (m.flows[0] as { nodes: { id: string; config: { devices: { name: string; profile: { id: string } }[] } }[] }).nodes.find((n) => n.id === 'read')!;
    expect(read.config.devices.map((d) => [d.name, d.profile.id])).toEqual([['oven-1', 'test-oven'], ['oven-2', 'test-oven']]);
    const missing = materializeFlows({ ...built.bundle, profiles: [] });
    expect(missing).toMatchObject({ ok: false, problems: [{ code: 'unknown-profile' }] });
  });

  it('deploy to a site runtime, which gives the nodes their devices', async () => {
    const site = await startTestSite({ extraNodes: [deviceList] });
    sites.push(site);
    const built = buildInstanceBundle(template, instance(3), profiles, registry, { sequence: 1, createdAt: '2026-11-26T00:00:00.000Z' });
    if (!built.ok) throw new Error('resolve');
    seen.length = 0;
    const answer = await site.api('POST', '/api/deployments', signBundle(built.bundle, createPrivateKey(readFileSync(site.signer.privateFile, 'utf8'))));
    expect(answer.status).toBe(201);
    expect(seen).toEqual([[expect.objectContaining({ name: 'oven-1', profile: expect.objectContaining({ id: 'test-oven' }) }), expect.anything(), expect.anything()]]);
  });
});
