import { describe, expect, it } from 'vitest';
import { historyConfig, historyDefinition } from '../../../../nodes/store/history/definition';
import { history } from '../../../../nodes/store/history/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { fieldMeta } from '../../../../nodes/sdk';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([history]);

function problems(config: Record<string, unknown>) {
  return validateFlow(flowOf('f', [{ id: 'h', type: 'history', config }]), registry).problems.map((p) => ({ at: p.at, zh: p.message.zh }));
}

describe('history config', () => {
  it('fills the defaults', () => {
    expect(historyConfig.parse({})).toEqual({ property: 'payload', prefix: '' });
  });

  it('labels every field in both languages', () => {
    for (const [key, schema] of Object.entries(historyConfig.shape)) {
      const meta = fieldMeta(schema);
      expect(meta?.label.zh, key).toBeTruthy();
      expect(meta?.label.en, key).toBeTruthy();
    }
    expect(historyDefinition.outputs).toEqual([]);
  });

  it('rejects bad property paths and field lists', () => {
    expect(problems({ property: 'payload..x' })).toEqual([{ at: 'nodes[0].config.property', zh: '须为属性路径，如 payload 或 payload.temp' }]);
    expect(problems({ fields: ['a', 'a'] }).map((p) => p.zh)).toEqual(['每个字段只能列一次']);
    expect(problems({ fields: ['a.b'] }).map((p) => p.at)).toEqual(['nodes[0].config.fields[0]']);
  });
});
