import { describe, expect, it } from 'vitest';
import weavingJson from '../../../../templates/weaving-waterjet/template.json';
import { TemplateSchema } from '../../../../runtime/model';
import { blankTemplate, bumpVersion, composeTemplate, moveItem, newScenario, nextVersion, parseDefault, parseOptions, splitTemplate } from '../../../../designer/app/templates/template-doc';

const weaving = weavingJson as unknown as Record<string, unknown>;

describe('template document', () => {
  it('splits a template into draft and flows and composes the same document back', () => {
    const { draft, flows } = splitTemplate(weaving);
    expect(flows.map((f) => f.id)).toEqual(['loom-status', 'shift-output', 'stop-alarms', 'energy-per-metre', 'shift-report']);
    expect(draft.scenarios.map((s) => `${s.kind}:${s.key}`)).toEqual(['N:loom-status', 'N:shift-output', 'N:stop-alarms', 'X:energy-per-metre', 'X:shift-report']);
    const again = composeTemplate(draft, Object.fromEntries(flows.map((f) => [f.id, f])));
    expect(TemplateSchema.parse(again)).toEqual(TemplateSchema.parse(weaving));
  });

  it('makes flow ids unique and leaves empty optional texts out', () => {
    const twice = { ...blankTemplate({ id: 'x', version: '1.0.0', industry: 'C1751', title: { zh: '甲', en: 'A' }, author: 'me' }) };
    const s = (twice.scenarios as Record<string, unknown>[])[0]!;
    twice.scenarios = [s, { ...s, key: 'other' }];
    const { draft, flows } = splitTemplate(twice);
    expect(new Set(flows.map((f) => f.id)).size).toBe(2);
    const withEmpty = { ...draft, scenarios: draft.scenarios.map((x) => ({ ...x, description: { zh: '', en: '' } })) };
    const doc = composeTemplate(withEmpty, Object.fromEntries(flows.map((f) => [f.id, f])));
    expect((doc.scenarios as Record<string, unknown>[]).every((x) => !('description' in x))).toBe(true);
  });

  it('adds scenarios with free keys and flow ids, and moves items', () => {
    const { draft, flows } = splitTemplate(weaving);
    const { scenario, flow } = newScenario(draft, 'X', flows.map((f) => f.id));
    expect(scenario).toMatchObject({ key: 'scenario-6', kind: 'X', flowId: 'weaving-waterjet-scenario-6' });
    expect(flow).toMatchObject({ id: scenario.flowId, nodes: [], edges: [] });
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    const same = ['a'];
    expect(moveItem(same, 0, 5)).toBe(same);
  });

  it('proposes versions above the highest one', () => {
    expect(bumpVersion('1.3.0', 'patch')).toBe('1.3.1');
    expect(bumpVersion('1.3.2', 'minor')).toBe('1.4.0');
    expect(bumpVersion('1.3.2', 'major')).toBe('2.0.0');
    expect(nextVersion(['1.2.0', '1.10.0', '1.3.0'])).toBe('1.11.0');
    expect(nextVersion([], 'patch')).toBe('0.0.1');
  });

  it('reads typed parameter fields', () => {
    expect(parseOptions('a, b，3')).toEqual(['a', 'b', 3]);
    expect(parseOptions(' ')).toBeUndefined();
    expect(parseDefault('number', '0.85')).toBe(0.85);
    expect(parseDefault('integer', '')).toBeUndefined();
    expect(parseDefault('duration', '10min')).toBe('10min');
    expect(parseDefault('duration', '60000')).toBe(60000);
    expect(parseDefault('boolean', 'true')).toBe(true);
    expect(parseDefault('string', ' 08:00')).toBe(' 08:00');
  });
});
