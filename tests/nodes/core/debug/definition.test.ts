import { describe, expect, it } from 'vitest';
import { debugConfig } from '../../../../nodes/core/debug/definition';
import { debug } from '../../../../nodes/core/debug/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

describe('debug config', () => {
  it('fills the defaults', () => {
    expect(debugConfig.parse({})).toEqual({ active: true, property: 'payload', wholeMessage: false, bufferSize: 100, maxPerSecond: 50 });
  });

  it('rejects a buffer past 10000 and a zero event rate, with paths', () => {
    const result = validateFlow(flowOf('f', [{ id: 'd', type: 'debug', config: { bufferSize: 10_001, maxPerSecond: 0 } }]), createRegistry([debug]));
    expect(result.problems.map((p) => p.at)).toEqual(['nodes[0].config.bufferSize', 'nodes[0].config.maxPerSecond']);
  });
});
