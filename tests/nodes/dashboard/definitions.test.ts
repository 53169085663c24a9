import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_NODE_TYPES } from '../../../nodes/dashboard/node-types';
import { WIDGETS } from '../../../nodes/dashboard/widgets';
import { createRegistry } from '../../../nodes/registry';
import { fieldMeta } from '../../../nodes/sdk';
import { validateFlow } from '../../../runtime/model';
import { flowOf } from '../../helpers/flow';

const registry = createRegistry(DASHBOARD_NODE_TYPES);

describe('dashboard widget nodes', () => {
  for (const { definition: def } of DASHBOARD_NODE_TYPES) {
    it(`${def.type}: a complete dashboard node — definition, runtime, widget, README in both languages`, () => {
      expect(def.category).toBe('dashboard');
      for (const file of ['definition.ts', 'runtime.ts', 'widget.tsx', 'README.md']) expect(existsSync(new URL(`../../../nodes/dashboard/${def.type}/${file}`, import.meta.url)), file).toBe(true);
      const readme = readFileSync(new URL(`../../../nodes/dashboard/${def.type}/README.md`, import.meta.url), 'utf8');
      expect(readme).toMatch(/## 中文[\s\S]*[\u4e00-\u9fff][\s\S]*## English/);
      expect(def.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(def.summary.en).not.toBe('');
      // A dashboard shows the latest: when it falls behind, old messages go, senders are never held up.
      expect(def.queue?.overflow).toBe('drop-oldest');
      expect(() => z.toJSONSchema(def.config, { unrepresentable: 'any' })).not.toThrow();
      for (const [key, schema] of Object.entries((def.config as z.ZodObject).shape as Record<string, z.ZodType>)) {
        expect(fieldMeta(schema), `${def.type}.config.${key} has no field() label`).toBeDefined();
      }
      // Works out of the box: an empty config is valid.
      expect(def.config.safeParse({}).success).toBe(true);
      expect(WIDGETS[def.type]?.kind).toBe(def.type);
    });
  }

  it('widget texts exist in both languages, key for key', () => {
    for (const w of Object.values(WIDGETS)) expect(Object.keys(w.messages.en).sort(), w.kind).toEqual(Object.keys(w.messages.zh).sort());
  });

  it('reports config mistakes at the field, in both languages', () => {
    const problems = validateFlow(flowOf('f', [
      { id: 'g', type: 'gauge', config: { min: 100, max: 50 } },
      { id: 'l', type: 'line-chart', config: { series: [{ key: 'a' }, { key: 'a' }] } },
      { id: 'b', type: 'bar-chart', config: { groupBy: 'week' } },
      { id: 's', type: 'state-timeline', config: { stateMap: { 1: 'busy' } } },
    ]), registry).problems;
    expect(problems.map((p) => p.at)).toEqual(expect.arrayContaining(['nodes[0].config.max', 'nodes[1].config.series', 'nodes[2].config.groupBy', 'nodes[3].config.stateMap["1"]']));
    expect(problems.find((p) => p.at === 'nodes[0].config.max')!.message).toEqual({ zh: '最小值须小于最大值', en: 'min must be below max' });
  });
});
