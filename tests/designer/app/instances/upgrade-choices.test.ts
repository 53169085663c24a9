import { describe, expect, it } from 'vitest';
import type { UpgradePlan } from '../../../../runtime/model';
import { changesByScenario, initialChoices, openConflicts } from '../../../../designer/app/instances/upgrade-choices';

const text = { zh: 'x', en: 'x' };
const plan: UpgradePlan = {
  from: 'a@1.0.0', to: 'a@1.1.0', kept: [], absorbed: [], droppedParameters: [], newParameters: [],
  templateChanges: [
    { path: '/scenarios/oee/flow/nodes/a', op: 'add', text },
    { path: '/scenarios/status/flow/edges/e1', op: 'remove', text },
    { path: '/scenarios/oee/dashboard/widgets/w/x', op: 'set', text },
  ],
  conflicts: [
    { id: 'c1', kind: 'change', path: '/scenarios/oee/flow/nodes/a/config/x', template: text, site: text },
    { id: 'c2', kind: 'scenario', path: '/scenarios/old', template: text, site: text },
  ],
};

describe('upgrade choices', () => {
  it('makes the forced choices (what the new version no longer has) and leaves the rest open', () => {
    const choices = initialChoices(plan);
    expect(choices).toEqual({ c2: 'template' });
    expect(openConflicts(plan, choices).map((c) => c.id)).toEqual(['c1']);
    expect(openConflicts(plan, { ...choices, c1: 'site' })).toEqual([]);
  });

  it('groups template changes by scenario', () => {
    expect(changesByScenario(plan.templateChanges).map(([k, list]) => [k, list.length])).toEqual([['oee', 2], ['status', 1]]);
  });
});
