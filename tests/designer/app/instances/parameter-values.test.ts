import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../../../runtime/model';
import { fromInput, inputsFor, parameterPatch, parameterProblem, parameterProblems, toInput } from '../../../../designer/app/instances/parameter-values';
import { valveTemplate } from './fixtures';

const param = (over: Partial<Parameter>): Parameter => ({ key: 'p', type: 'number', label: { zh: '参数', en: 'parameter' }, required: true, ...over });

describe('parameter values', () => {
  it('types what a field holds as the parameter wants it, and leaves text that is not that type for the check to name', () => {
    expect(fromInput(param({ type: 'number' }), ' 12.5 ')).toBe(12.5);
    expect(fromInput(param({ type: 'integer' }), '3')).toBe(3);
    expect(fromInput(param({ type: 'number' }), 'abc')).toBe('abc');
    expect(fromInput(param({ type: 'duration' }), '10min')).toBe('10min');
    expect(fromInput(param({ type: 'duration' }), '60000')).toBe(60000);
    expect(fromInput(param({ type: 'enum', options: [1, 2, 'x'] }), '2')).toBe(2);
    expect(fromInput(param({ type: 'string' }), '  07:30 ')).toBe('  07:30 ');
    expect(fromInput(param({ type: 'number' }), '   ')).toBeUndefined();
    expect(fromInput(param({ type: 'boolean' }), true)).toBe(true);
    expect(toInput(param({ type: 'number' }), 28)).toBe('28');
    expect(toInput(param({ type: 'boolean', default: true }), undefined)).toBe(true);
  });

  it('checks a field with the model\'s checkParameter: type, range with unit, whole numbers, required without default', () => {
    const cycle = param({ key: 'idealCycleSec', min: 10, max: 3600, unit: 's', label: { zh: '理想节拍', en: 'Ideal cycle time' } });
    expect(parameterProblem(cycle, '5')?.zh).toContain('不能小于 10 s');
    expect(parameterProblem(cycle, '5')?.en).toContain('at least 10 s');
    expect(parameterProblem(cycle, 'fast')?.zh).toContain('应为数字');
    expect(parameterProblem(cycle, '180')).toBeUndefined();
    expect(parameterProblem(param({ type: 'integer' }), '2.5')?.en).toContain('whole number');
    expect(parameterProblem(param({ type: 'duration' }), '2 weeks')?.en).toContain('duration');
    expect(parameterProblem(param({}), '')?.zh).toContain('必填');
    expect(parameterProblem(param({ default: 3 }), '')).toBeUndefined();
  });

  it('sends only what changed over the stored values: a new value, null for an emptied one', () => {
    const params = valveTemplate().parameters;
    const stored = { idealCycleSec: 200, dayShiftStart: '07:30' };
    const inputs = { ...inputsFor(params, stored), idealCycleSec: '180', dayShiftStart: '' };
    expect(parameterPatch(params, inputs, stored)).toEqual({ idealCycleSec: 180, dayShiftStart: null });
    expect(parameterPatch(params, inputsFor(params, stored), stored)).toEqual({});
    expect(Object.keys(parameterProblems(params, { ...inputsFor(params, stored), idealCycleSec: '1' }))).toEqual(['idealCycleSec']);
  });
});
