import { describe, expect, it } from 'vitest';
import { countByTab, joinPath, locateAll, locateProblem, parsePath, problemsAt } from '../../../../designer/app/templates/problem-paths';

const msg = { zh: '错', en: 'wrong' };
const doc = {
  scenarios: [
    { key: 'loom-status', flow: { id: 'loom-status', nodes: [{ id: 'read' }, { id: 'oee' }] } },
    { key: 'shift-output', flow: { id: 'shift-output', nodes: [{ id: 'read' }] } },
    { key: 'stop-alarms', flow: { id: 'stop-alarms', nodes: [{ id: 'read' }, { id: 'classify' }, { id: 'cause' }, { id: 'stop-alarm' }] } },
  ],
};

describe('problem paths', () => {
  it('parses and writes paths as formatPath writes them', () => {
    expect(parsePath('scenarios[2].flow.nodes[3].config.limit')).toEqual(['scenarios', 2, 'flow', 'nodes', 3, 'config', 'limit']);
    expect(parsePath('body.parameters["odd key"].x')).toEqual(['body', 'parameters', 'odd key', 'x']);
    expect(parsePath('scenarios.loom-status.flow.nodes[0]')).toEqual(['scenarios', 'loom-status', 'flow', 'nodes', 0]);
    expect(joinPath(['widgets', 1, 'x'])).toBe('widgets[1].x');
    expect(joinPath(['parameters', 'odd key'])).toBe('parameters["odd key"]');
  });

  it('puts a save problem in a flow on its scenario tab and node, with the config field', () => {
    expect(locateProblem({ at: 'template.scenarios[2].flow.nodes[3].config.limit' }, doc)).toEqual({
      section: 'scenario', index: 2, part: 'flow', field: 'nodes[3].config.limit', nodeId: 'stop-alarm', configPath: 'limit',
    });
    // The path array wins over the text when the API gives it.
    expect(locateProblem({ at: 'ignored', path: ['template', 'scenarios', 0, 'flow', 'nodes', 1] }, doc)).toMatchObject({ section: 'scenario', index: 0, nodeId: 'oee' });
  });

  it('reads the prefixes of every route: template.…, body.template.…, scenarios.<key>.…, body.<request field>', () => {
    expect(locateProblem({ at: 'body.template.parameters[1].min' }, doc)).toEqual({ section: 'parameters', index: 1, field: 'min' });
    expect(locateProblem({ at: 'scenarios.stop-alarms.flow.nodes[1].config.rules[0]' }, doc)).toMatchObject({ section: 'scenario', index: 2, nodeId: 'classify', configPath: 'rules[0]' });
    expect(locateProblem({ at: 'body.parameters.stopAlarmDelay' }, doc)).toEqual({ section: 'request', field: 'parameters.stopAlarmDelay' });
    expect(locateProblem({ at: 'instance.devices.looms[0].host' }, doc)).toEqual({ section: 'request', field: 'instance.devices.looms[0].host' });
  });

  it('maps basics, groups, tests, scenario settings and dashboards', () => {
    expect(locateProblem({ at: 'template.industry' }, doc)).toEqual({ section: 'meta', field: 'industry' });
    expect(locateProblem({ at: 'template.title.en' }, doc)).toEqual({ section: 'meta', field: 'title.en' });
    expect(locateProblem({ at: 'template.deviceGroups[0].profile' }, doc)).toEqual({ section: 'deviceGroups', index: 0, field: 'profile' });
    expect(locateProblem({ at: 'template.tests[2].expect[1].node' }, doc)).toEqual({ section: 'tests', index: 2, field: 'expect[1].node' });
    expect(locateProblem({ at: 'template.scenarios[1].key' }, doc)).toEqual({ section: 'scenario', index: 1, part: 'settings', field: 'key' });
    expect(locateProblem({ at: 'template.scenarios[1].dashboard.widgets[2].w' }, doc)).toEqual({ section: 'scenario', index: 1, part: 'dashboard', field: 'widgets[2].w' });
    expect(locateProblem({ at: 'template.scenarios' }, doc)).toEqual({ section: 'scenario' });
    expect(locateProblem({ at: '(root)' }, doc)).toEqual({ section: 'other' });
  });

  it('counts problems per tab and finds those of one field', () => {
    const list = locateAll([
      { at: 'template.parameters[2].max', message: msg },
      { at: 'template.parameters[2].default', message: msg },
      { at: 'template.scenarios[2].flow.nodes[0].config.devices', message: msg },
      { at: 'template.industry', message: msg },
    ], doc);
    expect(countByTab(list)).toEqual({ parameters: 2, 'scenario:2': 1, meta: 1 });
    expect(problemsAt(list, 'parameters', 2).length).toBe(2);
    expect(problemsAt(list, 'parameters', 2, 'max').map((d) => d.at)).toEqual(['template.parameters[2].max']);
    expect(problemsAt(list, 'parameters', 1)).toEqual([]);
    expect(problemsAt(list, 'meta', undefined, 'industry').length).toBe(1);
  });
});
