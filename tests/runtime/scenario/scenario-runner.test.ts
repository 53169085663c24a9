import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import { testTemplateCommand } from '../../../runtime/cli/test-template-command';
import { loadProfileCatalog } from '../../../runtime/devices/profile-catalog';
import type { ProfileLookup, Template } from '../../../runtime/model';
import { TemplateSchema, checkTemplate } from '../../../runtime/model';
import { createSandboxPool } from '../../../runtime/sandbox/pool';
import { formatScenarioReport, runScenarioTests } from '../../../runtime/scenario';

const registry = createNodeRegistry();
const catalog = loadProfileCatalog();
const profiles: ProfileLookup = (id) => catalog.get(id)?.profile;
const sandbox = createSandboxPool();
afterAll(() => sandbox.close());

const raw = (): Record<string, unknown> => JSON.parse(readFileSync(new URL('./fixtures/loom-watch.template.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function checked(value: unknown = raw()): Template {
  const r = checkTemplate(value, registry, profiles);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 1));
  return r.template;
}

describe('running a template\'s scenario tests', () => {
  it('reports each expectation with what was expected and what happened', async () => {
    const report = await runScenarioTests(checked(), { registry, profiles, sandbox, only: ['fault-alarm'] });
    expect(report.passed).toBe(false);
    const [test] = report.tests;
    expect(test!.devices).toEqual({ looms: ['looms-01', 'looms-02', 'looms-03'] });
    expect(test!.expectations.map((e) => [e.kind, e.passed])).toEqual([
      ['alarm', true], ['alarm', false], ['output', true], ['output', false], ['history', true], ['node-errors', true],
    ]);
    const missing = test!.expectations[1]!;
    expect(missing.title.en).toBe('alarm loom-stop (looms-03) raised over the whole run');
    expect(missing.expected).toEqual({ zh: '至少 1 个', en: 'at least 1' });
    expect(missing.actual.en).toBe('0 (alarms of this code: raised loom-stop@looms-02=2 40min; cleared loom-stop@looms-02=0 50min)');
    const wrong = test!.expectations[3]!;
    expect(wrong.expected.en).toBe('the last value between 0 and 0.5');
    // The reader's `out` port only (not its health port): the first reading, the fault, running again.
    expect(wrong.actual.en).toBe('3 messages (5 before filtering); 1@looms-02 50min');
    // The alarm list as the site records it, in order.
    expect(test!.alarms.map((a) => [a.event, a.device, a.value, (a.at - test!.startAt) / 60_000])).toEqual([['raised', 'looms-02', 2, 40], ['cleared', 'looms-02', 0, 50]]);
    expect(test!.outputs.find((o) => o.node === 'read')!.messages.length).toBeGreaterThan(0);

    const lines = formatScenarioReport(report, 'en');
    expect(lines[0]).toBe('template loom-watch@1.0.0: 1 scenario test(s)');
    expect(lines).toContain('    ✗ alarm loom-stop (looms-03) raised over the whole run');
    expect(lines).toContain('        expected: at least 1');
    expect(lines.at(-1)).toBe('result: 0 passed, 1 failed');
    expect(formatScenarioReport(report, 'zh')).toContain('        期望：至少 1 个');
  });

  it('passes a test whose every expectation holds', async () => {
    const t = raw() as { tests: { key: string; expect: unknown[] }[] };
    t.tests[0]!.expect.splice(3, 1);
    t.tests[0]!.expect.splice(1, 1);
    const report = await runScenarioTests(checked(t), { registry, profiles, sandbox, only: ['fault-alarm'] });
    expect(report.tests[0]!.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('fails a test in which a node fails, naming the node, unless the test allows it', async () => {
    const report = await runScenarioTests(checked(), { registry, profiles, sandbox, only: ['fragile'] });
    const errors = report.tests[0]!.expectations.at(-1)!;
    expect(errors).toMatchObject({ kind: 'node-errors', passed: false });
    expect(errors.actual.en).toContain('fragile/boom: Error: looms-02 is not welcome');

    const t = raw() as { tests: { key: string; allowNodeErrors?: boolean }[] };
    t.tests[1]!.allowNodeErrors = true;
    const allowed = await runScenarioTests(checked(t), { registry, profiles, sandbox, only: ['fragile'] });
    expect(allowed.passed).toBe(true);
    expect(allowed.tests[0]!.nodeErrors.length).toBeGreaterThan(0);
  });

  it('names the tests asked for that do not exist', async () => {
    const report = await runScenarioTests(checked(), { registry, profiles, sandbox, only: ['fault-alarm-typo'] });
    expect(report.tests).toEqual([]);
    expect(report.unknown).toEqual(['fault-alarm-typo']);
    expect(report.passed).toBe(false);
  });

  it('fails a test whose instance does not resolve, with the problem', async () => {
    // A test the template check would refuse, given straight to the runner.
    const t = raw() as { tests: { parameters?: Record<string, unknown> }[] };
    t.tests[1]!.parameters = { delay: '2s' };
    const report = await runScenarioTests(TemplateSchema.parse(t), { registry, profiles, sandbox, only: ['fragile'] });
    expect(report.tests[0]!.passed).toBe(false);
    expect(report.tests[0]!.problems.map((p) => [p.code, p.at])).toEqual([['invalid-parameter', 'parameters.delay']]);
  });
});

describe('the template check looks at scenario tests', () => {
  it('names what a test refers to that the template does not have, with its path', () => {
    const t = raw() as { tests: Record<string, unknown>[] };
    t.tests[0] = {
      ...t.tests[0],
      scenarios: ['fragil'],
      parameters: { delay: '5s', colour: 'red' },
      devices: { looms: { count: 3, events: [{ at: '30min', device: 'looms-07', state: 'idle' }, { at: '3h', device: 4, tag: 'temperature', value: 1 }] }, kilns: { count: 1 } },
      expect: [
        { kind: 'output', scenario: 'stops', node: 'alrm' },
        { kind: 'output', scenario: 'fragile', node: 'boom' },
        { kind: 'alarm', code: 'loom-stopped', device: 'looms-09' },
        { kind: 'output', scenario: 'stops', node: 'read', matchesCounter: { tag: 'picks' } },
      ],
    };
    const r = checkTemplate(t, registry, profiles);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.severity, p.code, p.at])).toEqual([
      ['error', 'unknown-scenario', 'tests[0].scenarios[0]'],
      ['error', 'invalid-parameter', 'tests[0].parameters.delay'],
      ['error', 'unknown-parameter', 'tests[0].parameters.colour'],
      ['error', 'unknown-device', 'tests[0].devices.looms.events[0].device'],
      ['error', 'unknown-device', 'tests[0].devices.looms.events[1].device'],
      ['error', 'unknown-tag', 'tests[0].devices.looms.events[1].tag'],
      ['warning', 'test-time-after-end', 'tests[0].devices.looms.events[1].at'],
      ['error', 'unknown-device-group', 'tests[0].devices.kilns'],
      ['error', 'unknown-node', 'tests[0].expect[0].node'],
      ['error', 'scenario-not-run', 'tests[0].expect[1].scenario'],
      ['error', 'unknown-device', 'tests[0].expect[2].device'],
      ['warning', 'unknown-alarm-code', 'tests[0].expect[2].code'],
      ['error', 'unknown-tag', 'tests[0].expect[3].matchesCounter.tag'],
    ]);
    const byAt = new Map(r.problems.map((p) => [p.at, p.message]));
    expect(byAt.get('tests[0].scenarios[0]')!.en).toBe('the template has no scenario "fragil"; did you mean "fragile"?');
    expect(byAt.get('tests[0].expect[0].node')!.zh).toBe('场景 “stops” 没有节点 “alrm”，是否指 “alarm”？');
    expect(byAt.get('tests[0].parameters.delay')!.en).toBe('parameter "delay" (Stop alarm after) must be at least 60000, got 5000');
  });

  it('refuses scripted events that do more than one thing, with the event\'s path', () => {
    const t = raw() as { tests: { devices: { looms: { events: unknown[] } } }[] };
    t.tests[0]!.devices.looms.events.push({ at: '1h', state: 'fault', offline: true }, { at: 'soon', tag: 'speed' });
    const r = checkTemplate(t, registry, profiles);
    expect(r.problems.map((p) => p.at)).toEqual([
      'tests[0].devices.looms.events[1]',
      'tests[0].devices.looms.events[2].at',
      'tests[0].devices.looms.events[2].value',
    ]);
  });
});

describe('kaiwu test-template', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const folder = (template: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'kaiwu-template-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'versions'));
    writeFileSync(join(dir, 'template.json'), JSON.stringify(template));
    return dir;
  };

  it('prints every test and exits 1 when one fails', async () => {
    const lines: string[] = [];
    const code = await testTemplateCommand(folder(raw()), { lang: 'zh' }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines[0]).toBe('模板 loom-watch@1.0.0（织机看护（测试用））');
    expect(lines.some((l) => l.startsWith('✗ fault-alarm 故障停车 20 分钟触发报警（模拟 2h，用时'))).toBe(true);
    expect(lines).toContain('    ✗ 报警 loom-stop（looms-03）发生，全程');
    expect(lines).toContain('        实际：0（该代码的报警：raised loom-stop@looms-02=2 40min；cleared loom-stop@looms-02=0 50min）');
    expect(lines.at(-1)).toBe('结果：0 个通过，2 个失败');
  });

  it('exits 0 when the tests asked for pass, and 1 for a folder without a template', async () => {
    const t = raw() as { tests: { expect: unknown[] }[] };
    t.tests[0]!.expect = [t.tests[0]!.expect[0]];
    const lines: string[] = [];
    expect(await testTemplateCommand(folder(t), { lang: 'en', only: 'fault-alarm' }, (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe('result: 1 passed, 0 failed');
    const out: string[] = [];
    expect(await testTemplateCommand(join(tmpdir(), 'no-such-template'), { lang: 'en' }, (l) => out.push(l))).toBe(1);
    expect(out[0]).toMatch(/is not a template folder/);
  });

  it('refuses a folder whose template does not check, with every problem', async () => {
    const t = raw() as { tests: { expect: Record<string, unknown>[] }[] };
    t.tests[0]!.expect[0]!.device = 'loom-2';
    const lines: string[] = [];
    expect(await testTemplateCommand(folder(t), { lang: 'en' }, (l) => lines.push(l))).toBe(1);
    expect(lines[1]).toBe('    error tests[0].expect[0].device: the test has no device "loom-2" (devices are named <group>-01 …); did you mean "looms-02"? [unknown-device]');
  });
});
