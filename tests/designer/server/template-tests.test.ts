import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shippedProfilesDir } from '../../../runtime/devices/profile-catalog';
import { shippedTemplatesDir } from '../../../runtime/library/template-library';
import type { Json, RunningStudio } from './helpers';
import { startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function studio() {
  const s = await startStudio({ templatesDir: shippedTemplatesDir()!, profileDirs: [shippedProfilesDir()!] });
  running.push(s);
  return s;
}

const weaving = (): Json => JSON.parse(readFileSync(join(shippedTemplatesDir()!, 'weaving-waterjet', 'template.json'), 'utf8'));

describe('scenario tests from the studio', () => {
  it('runs a template version\'s tests and answers each with its expectations, alarms and node errors', async () => {
    const s = await studio();
    const author = await s.user('zhangwei', 'contractor');
    const r = await author.api('POST', '/api/templates/weaving-waterjet/versions/1.3.0/tests/run', { only: ['stop-alarm-cause', 'offline-alarm'] });
    expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
    expect(r.body).toMatchObject({ template: 'weaving-waterjet@1.3.0', passed: true });
    expect(r.body.tests.map((t: Json) => t.key)).toEqual(['stop-alarm-cause', 'offline-alarm']);
    const stop = r.body.tests[0];
    expect(stop).toMatchObject({ passed: true, problems: [], nodeErrors: [], nodeErrorsTotal: 0, devices: { looms: ['looms-01', 'looms-02', 'looms-03', 'looms-04'] } });
    expect(stop.expectations[0]).toMatchObject({ passed: true, kind: 'alarm', title: { zh: expect.any(String), en: expect.any(String) }, expected: { zh: expect.any(String), en: expect.any(String) }, actual: { zh: expect.any(String), en: expect.any(String) } });
    expect(stop.expectations.at(-1)).toMatchObject({ kind: 'node-errors', passed: true });
    expect(stop.alarms).toContainEqual(expect.objectContaining({ code: 'loom-stop', device: 'looms-02', event: 'raised', value: 1 }));
    expect(stop.alarmsTotal).toBe(stop.alarms.length);

    const unknown = await author.api('POST', '/api/templates/weaving-waterjet/versions/1.3.0/tests/run', { only: ['stop-alarm-cuase'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown-test', details: [expect.objectContaining({ at: 'body.only[0]' })] });
    expect(unknown.body.error.details[0].message.en).toContain('did you mean "stop-alarm-cause"');
    expect((await author.api('POST', '/api/templates/weaving-waterjet/versions/9.9.9/tests/run', {})).status).toBe(404);
  });

  it('runs the tests of an unsaved draft, and says what failed and where a broken draft is wrong', async () => {
    const s = await studio();
    const author = await s.user('zhangwei', 'contractor');
    const draft = weaving();
    draft.version = '9.0.0';
    draft.tests = draft.tests.filter((t: Json) => t.key === 'stop-alarm-cause');
    // The warp break is cause 1; expect 3 (manual) to see a failure explained.
    draft.tests[0].expect[0].value = 3;
    const r = await author.api('POST', '/api/template-tests', { template: draft });
    expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
    expect(r.body).toMatchObject({ template: 'weaving-waterjet@9.0.0', passed: false });
    const failed = r.body.tests[0].expectations.filter((e: Json) => !e.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ index: 0, kind: 'alarm', title: { en: expect.any(String) }, expected: { zh: expect.any(String), en: 'at least 1' }, actual: { zh: expect.any(String), en: expect.any(String) } });

    const broken = weaving();
    broken.scenarios[0].flow.nodes[0].type = 'modbus-reed';
    const bad = await author.api('POST', '/api/template-tests', { template: broken });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid-template');
    expect(bad.body.error.details.some((d: Json) => d.at.startsWith('body.template.scenarios[0].flow.nodes[0]'))).toBe(true);
    expect((await author.api('POST', '/api/template-tests', { template: draft, only: ['nope'] })).body.error.details[0].at).toBe('body.only[0]');
  });
});
