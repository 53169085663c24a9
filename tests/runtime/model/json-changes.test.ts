import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../runtime/model';
import { ChangeError, applyChanges, diffJson, formatChangePath, parseChangePath } from '../../../runtime/model';

const flow = (nodes: JsonValue[]): JsonValue => ({ nodes, edges: [] });

describe('changes addressed by ids', () => {
  it('finds changes by node id however the array is reordered', () => {
    const before = flow([{ id: 'a', config: { high: 80 } }, { id: 'b', config: {} }]);
    const after = flow([{ id: 'b', config: { unit: '°C' } }, { id: 'a', config: { high: 90 } }, { id: 'c', config: {} }]);
    expect(diffJson(before, after)).toEqual([
      { op: 'set', path: ['nodes', 'a', 'config', 'high'], value: 90 },
      { op: 'add', path: ['nodes', 'b', 'config', 'unit'], value: '°C' },
      { op: 'add', path: ['nodes', 'c'], value: { id: 'c', config: {} } },
    ]);
  });

  it('applies changes to a copy, and refuses one whose parent is gone', () => {
    const doc = flow([{ id: 'a', config: { high: 80 } }]);
    const out = applyChanges(doc, [
      { op: 'set', path: ['nodes', 'a', 'config', 'high'], value: 95 },
      { op: 'add', path: ['nodes', 'x'], value: { id: 'x', config: {} } },
    ]);
    expect(out).toEqual(flow([{ id: 'a', config: { high: 95 } }, { id: 'x', config: {} }]));
    expect(doc).toEqual(flow([{ id: 'a', config: { high: 80 } }]));
    expect(() => applyChanges(doc, [{ op: 'set', path: ['nodes', 'gone', 'config', 'high'], value: 1 }])).toThrow(ChangeError);
    expect(() => applyChanges(doc, [{ op: 'remove', path: ['nodes', 'a', 'config', 'low'] }])).toThrow('/nodes/a/config/low: there is nothing to remove');
  });

  it('writes paths as JSON pointers with ids', () => {
    const path = ['scenarios', 'a/b', 'flow', 'x~y'];
    expect(formatChangePath(path)).toBe('/scenarios/a~1b/flow/x~0y');
    expect(parseChangePath(formatChangePath(path))).toEqual(path);
  });
});
