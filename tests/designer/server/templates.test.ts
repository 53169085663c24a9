import { afterEach, describe, expect, it } from 'vitest';
import type { Json, RunningStudio } from './helpers';
import { fixture, startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
async function studio() {
  const s = await startStudio();
  running.push(s);
  return s;
}

/** The fixture template as a contractor's next version. */
function nextVersion(version: string, change: (t: Json) => void = () => undefined): Json {
  const t = fixture('oven-1.3.0.json') as Json;
  t.version = version;
  change(t);
  return t;
}

describe('template library', () => {
  it('imports the shipped template folders as published versions, with their README', async () => {
    const s = await studio();
    expect([...s.studio.imported.imported].sort()).toEqual(['oven-watch@1.2.0', 'oven-watch@1.3.0']);
    const ent = await s.user('lihua', 'enterprise', '湖州某涂装厂');
    const versions = await ent.api('GET', '/api/templates/oven-watch');
    expect(versions.body.versions.map((v: Json) => [v.version, v.status])).toEqual([['1.3.0', 'published'], ['1.2.0', 'published']]);
    const one = await ent.api('GET', '/api/templates/oven-watch/versions/1.2.0');
    expect(one.body.summary).toMatchObject({ id: 'oven-watch', version: '1.2.0', status: 'published', industry: 'C3360', title: { zh: '烘箱温度监控' } });
    expect(one.body.template.scenarios.map((x: Json) => x.key)).toEqual(['overheat', 'energy', 'report']);
    expect(one.body.readme).toContain('烘箱温度监控');
    expect((await ent.api('GET', '/api/templates/oven-watch/versions/7.0.0')).status).toBe(404);
  });

  it('finds templates by industry code and its parents, by demand, and by words (including the industry\'s name)', async () => {
    const s = await studio();
    const c = await s.user('zhangwei', 'contractor');
    const ids = async (query: string) => (await c.api('GET', `/api/templates?${query}`)).body.templates.map((t: Json) => t.id);
    expect(await ids('industry=C33')).toEqual(['oven-watch']);
    expect(await ids('industry=C3360')).toEqual(['oven-watch']);
    expect(await ids('industry=C17')).toEqual([]);
    expect(await ids('demand=energy')).toEqual(['oven-watch']);
    expect(await ids('demand=carbon')).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('烘箱')}`)).toEqual(['oven-watch']);
    expect(await ids(`q=${encodeURIComponent('热处理')}`)).toEqual(['oven-watch']);
    expect(await ids('q=overheat%20alarm')).toEqual(['oven-watch']);
    expect(await ids('q=loom')).toEqual([]);
    const hit = (await c.api('GET', '/api/templates?industry=C33')).body.templates[0];
    expect(hit.latest.version).toBe('1.3.0');
    expect(hit.industry.path.map((e: Json) => e.code)).toEqual(['C', 'C33', 'C336', 'C3360']);
    expect((await c.api('GET', '/api/templates?demand=speed')).body.error.details[0].at).toBe('query.demand');
  });

  it('refuses at upload a template that refers to a parameter it does not declare, and stores nothing', async () => {
    const s = await studio();
    const c = await s.user('zhangwei', 'contractor');
    const broken = nextVersion('1.4.0', (t) => {
      t.scenarios[0].flow.nodes[1].config.low = { $param: 'lowC' };
    });
    const r = await c.api('POST', '/api/templates', { template: broken });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid-template');
    expect(r.body.error.details).toEqual([expect.objectContaining({
      code: 'unknown-parameter', at: 'template.scenarios[0].flow.nodes[1].config.low', message: { zh: '引用了不存在的参数 “lowC”', en: 'refers to parameter "lowC", which the template does not declare' },
    })]);
    expect(r.body.error.text.zh).toContain('引用了不存在的参数 “lowC”');
    expect((await c.api('GET', '/api/templates/oven-watch')).body.versions.map((v: Json) => v.version)).toEqual(['1.3.0', '1.2.0']);
    const unknownIndustry = await c.api('POST', '/api/templates', { template: nextVersion('1.4.0', (t) => { t.industry = 'c3360'; }) });
    expect(unknownIndustry.body.error.details).toEqual([expect.objectContaining({ code: 'unknown-industry', at: 'template.industry', message: expect.objectContaining({ en: expect.stringContaining('did you mean "C3360"') }) })]);
  });

  it('never changes a published version: same content is accepted as is, other content and lower versions are refused', async () => {
    const s = await studio();
    const c = await s.user('zhangwei', 'contractor');
    const same = await c.api('POST', '/api/templates', { template: fixture('oven-1.2.0.json'), publish: true });
    expect(same.status).toBe(200);
    expect(same.body.outcome).toBe('unchanged');
    const changed = await c.api('POST', '/api/templates', { template: nextVersion('1.2.0', (t) => { t.parameters[0].default = 300; }), publish: true });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'version-published', text: { zh: expect.stringContaining('已发布的版本不能修改'), en: expect.stringContaining('published versions never change') } });
    const lower = await c.api('POST', '/api/templates', { template: nextVersion('1.2.5') });
    expect(lower.status).toBe(409);
    expect(lower.body.error).toMatchObject({ code: 'version-not-higher', text: { en: 'oven-watch is published up to 1.3.0; a new version must be higher (1.2.5 is not)' } });
    const v12 = await c.api('GET', '/api/templates/oven-watch/versions/1.2.0');
    expect(v12.body.template.parameters[0].default).toBe(250);
  });

  it('lets a contractor keep editing a draft, hides drafts from enterprises, and freezes it on publishing', async () => {
    const s = await studio();
    const c = await s.user('zhangwei', 'contractor');
    const ent = await s.user('lihua', 'enterprise', '湖州某涂装厂');
    const draft = await c.api('POST', '/api/templates', { template: nextVersion('1.4.0'), readme: '# 1.4' });
    expect(draft.status).toBe(201);
    expect(draft.body.version.status).toBe('draft');
    expect((await ent.api('GET', '/api/templates/oven-watch/versions/1.4.0')).status).toBe(404);
    expect((await ent.api('GET', '/api/templates/oven-watch')).body.versions.map((v: Json) => v.version)).toEqual(['1.3.0', '1.2.0']);
    const edited = await c.api('PUT', '/api/templates/oven-watch/versions/1.4.0', { template: nextVersion('1.4.0', (t) => { t.parameters[0].default = 270; }) });
    expect(edited.body.outcome).toBe('updated');
    const wrongPath = await c.api('PUT', '/api/templates/oven-watch/versions/1.4.0', { template: nextVersion('1.5.0') });
    expect(wrongPath.body.error).toMatchObject({ code: 'path-mismatch', details: [expect.objectContaining({ at: 'body.template.version' })] });
    expect((await c.api('POST', '/api/templates/oven-watch/versions/1.4.0/publish')).body.version.status).toBe('published');
    expect((await ent.api('GET', '/api/templates/oven-watch/versions/1.4.0')).body.template.parameters[0].default).toBe(270);
    const afterwards = await c.api('PUT', '/api/templates/oven-watch/versions/1.4.0', { template: nextVersion('1.4.0', (t) => { t.parameters[0].default = 280; }) });
    expect(afterwards.body.error.code).toBe('version-published');
    expect((await c.api('DELETE', '/api/templates/oven-watch/versions/1.4.0')).body.error.code).toBe('version-published');
    const audit = (await s.admin.api('GET', '/api/audit?target=template%3Aoven-watch%401.4.0')).body.entries.map((e: Json) => [e.action, e.user.username]);
    expect(audit).toEqual([['template-publish', 'zhangwei'], ['template-update', 'zhangwei'], ['template-create', 'zhangwei']]);
  });
});
