import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json, RunningStudio } from './helpers';
import { ovenInstance, startStudio } from './helpers';
import { shippedProfilesDir } from '../../../runtime/devices/profile-catalog';
import { shippedTemplatesDir } from '../../../runtime/library/template-library';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
async function setup() {
  const s = await startStudio();
  running.push(s);
  const contractor = await s.user('zhangwei', 'contractor');
  const huzhou = await s.user('lihua', 'enterprise', '湖州某涂装厂');
  const jiaxing = await s.user('zhoujie', 'enterprise', '嘉兴某热处理厂');
  const sample = await contractor.api('POST', '/api/instances', ovenInstance({ sample: true, enterprise: '示范样本：德清某涂装厂', name: '德清示范样本' }));
  if (sample.status !== 201) throw new Error(JSON.stringify(sample.body));
  return { s, contractor, huzhou, jiaxing, sampleId: sample.body.instance.id as string };
}

const count = async (c: { api: (m: string, p: string) => Promise<{ body: Json }> }) => (await c.api('GET', '/api/instances')).body.total as number;

describe('instances', () => {
  it('makes an enterprise\'s instance from a published template version, owned by its enterprise', async () => {
    const { huzhou } = await setup();
    const r = await huzhou.api('POST', '/api/instances', ovenInstance());
    expect(r.status).toBe(201);
    expect(r.body.instance).toMatchObject({ enterprise: '湖州某涂装厂', sample: false, template: 'oven-watch@1.2.0', revision: 1, hash: expect.stringMatching(/^sha256:/) });
    expect(r.body.instance.instance).toMatchObject({ enterprise: '湖州某涂装厂', site: 'test-site', parameters: { highC: 240, shiftLead: '李师傅' } });
    const other = await huzhou.api('POST', '/api/instances', ovenInstance({ enterprise: '别的厂' }));
    expect(other.body.error).toMatchObject({ code: 'wrong-enterprise', details: [expect.objectContaining({ at: 'enterprise' })] });
    const draft = await huzhou.api('POST', '/api/instances', ovenInstance({ template: 'oven-watch@9.0.0' }));
    expect(draft.body.error).toMatchObject({ code: 'unknown-template', text: { en: 'no published template oven-watch@9.0.0 (published: 1.3.0, 1.2.0)' } });
  });

  it('rejects a parameter of the wrong type or out of range with every problem, and writes nothing', async () => {
    const { huzhou } = await setup();
    const before = await count(huzhou);
    const r = await huzhou.api('POST', '/api/instances', ovenInstance({ parameters: { highC: 999, onDelay: 'soon', shiftLead: 7 } }));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid-instance');
    expect(r.body.error.details.map((d: Json) => [d.code, d.at])).toEqual([
      ['invalid-parameter', 'parameters.highC'],
      ['invalid-parameter', 'parameters.onDelay'],
      ['invalid-parameter', 'parameters.shiftLead'],
    ]);
    expect(r.body.error.details[0].message).toEqual({ zh: '参数 “highC”（超温上限）不能大于 400 °C，实际是 999 °C', en: 'parameter "highC" (High limit) must be at most 400 °C, got 999 °C' });
    expect(r.body.error.details[2].message.en).toBe('parameter "shiftLead" (Shift lead) must be text, got 7');
    expect(await count(huzhou)).toBe(before);

    const made = (await huzhou.api('POST', '/api/instances', ovenInstance())).body.instance;
    const patch = await huzhou.api('PATCH', `/api/instances/${made.id}`, { parameters: { highC: 20 } });
    expect(patch.body.error.details[0].message.en).toBe('parameter "highC" (High limit) must be at least 50 °C, got 20 °C');
    const after = (await huzhou.api('GET', `/api/instances/${made.id}`)).body.instance;
    expect(after).toMatchObject({ revision: 1, hash: made.hash, instance: { parameters: { highC: 240 } } });
    const ok = await huzhou.api('PATCH', `/api/instances/${made.id}`, { parameters: { highC: 260, onDelay: '2min' }, revision: 1 });
    expect(ok.body.instance).toMatchObject({ revision: 2, instance: { parameters: { highC: 260, onDelay: '2min', shiftLead: '李师傅' } } });
    expect((await huzhou.api('PATCH', `/api/instances/${made.id}`, { parameters: { highC: 270 }, revision: 1 })).body.error.code).toBe('stale-revision');
  });

  it('takes the uplink consent from the enterprise alone, never from a contractor or a copied sample', async () => {
    const { contractor, huzhou, sampleId } = await setup();
    const consent = { endpoints: [{ id: 'brain', kind: 'mqtt', url: 'mqtts://brain.example.cn:8883' }], streams: [{ id: 'kpi', endpoint: 'brain', tags: ['oee'], granularity: 'kpi' }] };
    const byContractor = await contractor.api('PATCH', `/api/instances/${sampleId}`, { uplink: consent });
    expect(byContractor.status).toBe(403);
    expect(byContractor.body.error.code).toBe('consent-by-enterprise');
    const mine = (await huzhou.api('POST', '/api/instances', ovenInstance())).body.instance.id as string;
    const bad = await huzhou.api('PATCH', `/api/instances/${mine}`, { uplink: { ...consent, endpoints: [{ ...consent.endpoints[0], url: 'ftp://x' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].at).toBe('uplink.endpoints[0].url');
    const given = await huzhou.api('PATCH', `/api/instances/${mine}`, { uplink: consent });
    expect(given.status).toBe(200);
    expect(given.body.instance.instance.uplink).toEqual(consent);
    // A copy of an instance with consent starts without it: the new owner decides for itself.
    const copy = await huzhou.api('POST', `/api/instances/${mine}/copy`, { site: 'test-site' });
    expect(copy.status).toBe(201);
    expect(copy.body.instance.instance.uplink).toBeUndefined();
    const withdrawn = await huzhou.api('PATCH', `/api/instances/${mine}`, { uplink: null });
    expect(withdrawn.body.instance.instance.uplink).toBeUndefined();
  });

  it('deletes an instance made by mistake, but not one a site runs, not a sample by an enterprise, not another\'s', async () => {
    const { s, huzhou, jiaxing, sampleId } = await setup();
    const mistake = (await huzhou.api('POST', `/api/instances/${sampleId}/copy`, { site: 'test-site' })).body.instance.id as string;
    const copyOfCopy = (await huzhou.api('POST', `/api/instances/${mistake}/copy`, { site: 'test-site' })).body.instance.id as string;
    expect((await jiaxing.api('DELETE', `/api/instances/${mistake}`)).status).toBe(404);
    expect((await huzhou.api('DELETE', `/api/instances/${sampleId}`)).body.error.code).toBe('read-only');
    const before = await count(huzhou);
    expect((await huzhou.api('DELETE', `/api/instances/${mistake}`)).status).toBe(204);
    expect(await count(huzhou)).toBe(before - 1);
    expect((await huzhou.api('GET', `/api/instances/${mistake}`)).status).toBe(404);
    expect((await huzhou.api('GET', `/api/instances/${copyOfCopy}`)).body.instance.copiedFrom).toBeNull();
    expect((await s.admin.api('GET', '/api/audit?action=instance-delete')).body.entries).toHaveLength(1);
  });

  it('copies a sample firm with a device CSV, and reports a bad address or a duplicate unit id by line and column', async () => {
    const { huzhou, sampleId } = await setup();
    const csv = [
      '名称,地址,端口,从站地址',
      'oven-1,192.168.10.21,502,1',
      'oven-2,192.168.10.300,502,2',
      'oven-3,192.168.10.21,502,1',
      '"oven-4",gateway-7.local,"502",9',
    ].join('\r\n');
    const before = await count(huzhou);
    const bad = await huzhou.api('POST', `/api/instances/${sampleId}/copy`, { site: 'test-site', devices: csv, parameters: { highC: 230 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid-devices');
    expect(bad.body.error.details.map((d: Json) => [d.code, d.line, d.column])).toEqual([
      ['invalid-address', 3, '地址'],
      ['duplicate-unit-id', 4, '从站地址'],
    ]);
    expect(bad.body.error.details[0].message).toEqual({
      zh: 'CSV 第 3 行 “地址” 列：“192.168.10.300” 不是有效的 IPv4 地址（“300” 不在 0～255 之间）',
      en: 'CSV line 3, column "地址": "192.168.10.300" is not a valid IPv4 address ("300" is not 0 to 255)',
    });
    expect(bad.body.error.details[1].message.en).toBe('CSV line 4, column "从站地址": unit id 1 on 192.168.10.21:502 is used twice (already at CSV line 2, column "从站地址"): two devices on one line cannot share a unit id');
    expect(await count(huzhou)).toBe(before);

    const typo = await huzhou.api('POST', `/api/instances/${sampleId}/copy`, { site: 'test-site', devices: 'name,host,port,unitId\noven-1,10.0.0.1,70000,1\noven-2,10.0.0.2,502,one' });
    expect(typo.body.error.details.map((d: Json) => [d.line, d.column, d.message.en])).toEqual([
      [2, 'port', expect.stringContaining('CSV line 2, column "port": ')],
      [3, 'unitId', 'CSV line 3, column "unitId": must be a whole number, got "one"'],
    ]);

    const good = await huzhou.api('POST', `/api/instances/${sampleId}/copy`, { site: 'test-site', devices: 'name,host,unitId\noven-1,192.168.10.21,1\noven-2,192.168.10.21,2\n', parameters: { highC: 230 } });
    expect(good.status).toBe(201);
    expect(good.body.instance).toMatchObject({ enterprise: '湖州某涂装厂', sample: false, copiedFrom: sampleId, instance: { parameters: { highC: 230, shiftLead: '李师傅' }, scenarios: ['energy', 'report'] } });
    expect(good.body.instance.instance.devices.ovens).toEqual([{ name: 'oven-1', host: '192.168.10.21', unitId: 1 }, { name: 'oven-2', host: '192.168.10.21', unitId: 2 }]);
  });

  it("copies the shipped valve sample without an X scenario: the sample's changes inside it stay behind", async () => {
    const s = await startStudio({ templatesDir: shippedTemplatesDir()!, profileDirs: [shippedProfilesDir()!] });
    running.push(s);
    const contractor = await s.user('zhangwei', 'contractor');
    const wenzhou = await s.user('lihua', 'enterprise', '温州某阀门厂');
    const valve = JSON.parse(readFileSync(new URL('../../../examples/valve-sample/instance.json', import.meta.url), 'utf8'));
    const sample = await contractor.api('POST', '/api/instances', { template: valve.template, sample: true, enterprise: valve.enterprise, site: valve.site, scenarios: valve.scenarios, parameters: valve.parameters, devices: valve.devices, overrides: valve.overrides });
    expect(sample.status, JSON.stringify(sample.body)).toBe(201);
    const copy = await wenzhou.api('POST', `/api/instances/${sample.body.instance.id}/copy`, { site: 'wenzhou-1', scenarios: ['tool-life'] });
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    const overrides = copy.body.instance.instance.overrides as { path: string }[];
    expect(overrides.some((o) => o.path.startsWith('/scenarios/test-pass-rate/'))).toBe(false);
    expect(overrides).toHaveLength(valve.overrides.filter((o: { path: string }) => !o.path.startsWith('/scenarios/test-pass-rate/')).length);
  });

  it('keeps each enterprise to its own instances: another\'s id answers exactly like one that does not exist', async () => {
    const { huzhou, jiaxing, sampleId, contractor } = await setup();
    const mine = (await huzhou.api('POST', '/api/instances', ovenInstance())).body.instance.id as string;
    const missing = await jiaxing.api('GET', '/api/instances/ins_doesnotexist');
    for (const [method, path, body] of [
      ['GET', `/api/instances/${mine}`, undefined],
      ['PATCH', `/api/instances/${mine}`, { parameters: { highC: 100 } }],
      ['POST', `/api/instances/${mine}/copy`, { site: 'test-site' }],
      ['GET', `/api/instances/${mine}/upgrade`, undefined],
      ['POST', `/api/instances/${mine}/upgrade`, { choices: {} }],
    ] as const) {
      const r = await jiaxing.api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body).toEqual(missing.body);
    }
    expect((await jiaxing.api('GET', '/api/instances')).body.instances.map((i: Json) => i.id)).toEqual([sampleId]);
    expect((await huzhou.api('GET', '/api/instances')).body.instances.map((i: Json) => i.id).sort()).toEqual([mine, sampleId].sort());
    expect((await contractor.api('GET', '/api/instances')).body.total).toBe(2);
    // A sample firm is there to copy, not to change.
    expect((await jiaxing.api('PATCH', `/api/instances/${sampleId}`, { parameters: { highC: 100 } })).body.error.code).toBe('read-only');
    expect((await huzhou.api('GET', `/api/instances/${mine}`)).body.instance.instance.parameters.highC).toBe(240);
  });

  it('plans an upgrade across a removed scenario, applies nothing without a choice, and applies the choices given', async () => {
    const { huzhou, s } = await setup();
    const made = (await huzhou.api('POST', '/api/instances', ovenInstance({
      overrides: [
        { op: 'set', path: '/scenarios/overheat/flow/nodes/alarm/config/hysteresis', value: 3 },
        { op: 'add', path: '/scenarios/energy/flow/nodes/note', value: { id: 'note', type: 'debug', version: 1, config: {} } },
      ],
    }))).body.instance;
    const plan = await huzhou.api('GET', `/api/instances/${made.id}/upgrade`);
    expect(plan.body.plan).toMatchObject({ from: 'oven-watch@1.2.0', to: 'oven-watch@1.3.0', newParameters: ['energyUnit'] });
    expect(plan.body.plan.kept.map((o: Json) => o.path)).toEqual(['/scenarios/energy/flow/nodes/note']);
    expect(plan.body.plan.conflicts.map((c: Json) => [c.id, c.kind, c.path])).toEqual([
      ['c1', 'change', '/scenarios/overheat/flow/nodes/alarm/config/hysteresis'],
      ['c2', 'scenario', '/scenarios/report'],
    ]);

    const blind = await huzhou.api('POST', `/api/instances/${made.id}/upgrade`, { choices: { c1: 'site' } });
    expect(blind.status).toBe(409);
    expect(blind.body.error.code).toBe('conflicts-need-choice');
    expect(blind.body.error.text.en).toBe('upgrading from oven-watch@1.2.0 to oven-watch@1.3.0 has 1 conflict(s) to choose on; nothing was changed');
    expect(blind.body.error.details).toEqual([expect.objectContaining({ at: 'choices.c2', message: expect.objectContaining({ en: expect.stringContaining('the new version removes optional scenario "report"; this site runs it') }) })]);
    const keep = await huzhou.api('POST', `/api/instances/${made.id}/upgrade`, { choices: { c1: 'site', c2: 'site' } });
    expect(keep.body.error).toMatchObject({ code: 'invalid-choices', details: [expect.objectContaining({ code: 'cannot-keep', at: 'choices.c2' })] });
    const unchanged = (await huzhou.api('GET', `/api/instances/${made.id}`)).body.instance;
    expect(unchanged).toMatchObject({ template: 'oven-watch@1.2.0', revision: 1, hash: made.hash });

    const done = await huzhou.api('POST', `/api/instances/${made.id}/upgrade`, { choices: { c1: 'site', c2: 'template' }, revision: 1 });
    expect(done.status).toBe(200);
    expect(done.body.instance).toMatchObject({ template: 'oven-watch@1.3.0', revision: 2, instance: { scenarios: ['energy'] } });
    expect(done.body.instance.instance.overrides.map((o: Json) => o.path).sort()).toEqual(['/scenarios/energy/flow/nodes/note', '/scenarios/overheat/flow/nodes/alarm/config/hysteresis']);

    const audit = (await s.admin.api('GET', `/api/audit?target=instance%3A${made.id}`)).body.entries.map((e: Json) => [e.action, e.user.username]);
    expect(audit).toEqual([['instance-upgrade', 'lihua'], ['instance-create', 'lihua']]);
    expect((await s.admin.api('GET', '/api/audit?action=instance-upgrade')).body.entries[0].detail).toMatchObject({ from: 'oven-watch@1.2.0', to: 'oven-watch@1.3.0', choices: { c1: 'site', c2: 'template' } });
  });
});
