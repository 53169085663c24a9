import { describe, expect, it } from 'vitest';
import type { ApiErrorDetail } from '../../../../designer/app/api';
import { editRow, tableFromCsv } from '../../../../designer/app/instances/device-table';
import type { WizardAction, WizardState } from '../../../../designer/app/instances/wizard-state';
import { apiProblemCounts, copyBody, initialWizard, localProblems, stepOf, wizardReducer } from '../../../../designer/app/instances/wizard-state';
import { valveSample, valveTemplate } from './fixtures';

const detail = (path: (string | number)[], at = path.join('.')): ApiErrorDetail => ({ at, path, message: { zh: '错', en: 'wrong' } });
const run = (s: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, s);

describe('copy wizard state', () => {
  it('starts from the sample firm: its X scenarios, its parameter values, its devices', () => {
    const s = initialWizard(valveSample(), valveTemplate(), '温州某阀门厂');
    expect(s.step).toBe('basics');
    expect(s.scenarios).toEqual(['test-pass-rate', 'tool-life']);
    expect(s.parameters.idealCycleSec).toBe('200');
    expect(s.parameters.toolChangeOnCounterReset).toBe(true);
    expect(s.devices.rows.filter((r) => r.group === 'cnc')).toHaveLength(6);
    // No site yet: the basics step has a problem of its own.
    expect(localProblems(s).basics).toBe(1);
    expect(localProblems(s).parameters).toBe(0);
  });

  it('keeps X scenarios in the template\'s order and sends only what differs from the sample', () => {
    let s = initialWizard(valveSample(), valveTemplate(), '温州某阀门厂');
    s = run(s,
      { type: 'scenario', key: 'test-pass-rate', on: false },
      { type: 'scenario', key: 'test-pass-rate', on: true },
      { type: 'site', value: { kind: 'registered', siteId: 'st_1', runtimeSite: 'test-site' } },
      { type: 'parameter', key: 'idealCycleSec', value: '180' });
    expect(s.scenarios).toEqual(['test-pass-rate', 'tool-life']);
    const body = copyBody(s, 'enterprise');
    expect(body).toMatchObject({ site: 'test-site', scenarios: ['test-pass-rate', 'tool-life'], parameters: { idealCycleSec: 180 } });
    expect(body.enterprise).toBeUndefined();
    expect(typeof body.devices).toBe('object');
    // A contractor names the enterprise it copies for.
    expect(copyBody(run(s, { type: 'enterprise', value: ' 玉环某阀门厂 ' }), 'contractor').enterprise).toBe('玉环某阀门厂');
  });

  it('sends a CSV as its text until the table is edited', () => {
    const t = valveTemplate();
    let s = initialWizard(valveSample(), t, '温州某阀门厂');
    const csv = 'name,host,port,unitId,group\ncnc-01,192.168.1.300,502,1,cnc\nbench-01,10.0.0.2,502,1,benches\n';
    const table = tableFromCsv(csv, t.deviceGroups.map((g) => g.key), undefined, 'x.csv').table;
    s = run(s, { type: 'devices', table });
    expect(copyBody(s, 'enterprise').devices).toBe(csv);
    s = run(s, { type: 'devices', table: editRow(table, table.rows[0]!.id, { host: '192.168.1.30' }) });
    expect(copyBody(s, 'enterprise').devices).toEqual({ cnc: [{ name: 'cnc-01', host: '192.168.1.30', port: 502, unitId: 1 }], benches: [{ name: 'bench-01', host: '10.0.0.2', port: 502, unitId: 1 }] });
  });

  it('after a refused check goes to the first step with a problem, and a change there clears that field\'s problems', () => {
    let s = initialWizard(valveSample(), valveTemplate(), '温州某阀门厂');
    s = run(s, { type: 'go', step: 'check' }, {
      type: 'checked',
      error: { zh: '实例有错误', en: 'the instance has problems' },
      problems: [detail(['devices', 'csv', 3, 'host']), detail(['parameters', 'idealCycleSec']), detail(['parameters', 'toolWarnPct']), detail(['body', 'site'], 'body.site')],
    });
    expect(s.step).toBe('basics');
    expect(apiProblemCounts(s)).toMatchObject({ basics: 1, parameters: 2, devices: 1, check: 0 });
    s = run(s, { type: 'parameter', key: 'idealCycleSec', value: '180' });
    expect(apiProblemCounts(s).parameters).toBe(1);
    s = run(s, { type: 'devices', table: s.devices });
    expect(apiProblemCounts(s).devices).toBe(0);
    expect(stepOf(detail(['template']))).toBe('check');
  });

  it('once saved, only the last step is left and the copy no longer changes here', () => {
    const sample = valveSample();
    let s = initialWizard(sample, valveTemplate(), '温州某阀门厂');
    s = run(s, { type: 'created', instance: { ...sample, id: 'ins_new', sample: false } });
    expect(s.step).toBe('deploy');
    const after = run(s, { type: 'go', step: 'parameters' }, { type: 'parameter', key: 'idealCycleSec', value: '1' });
    expect(after.step).toBe('deploy');
    expect(after.parameters).toBe(s.parameters);
  });
});
