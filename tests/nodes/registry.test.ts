import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../nodes/registry';
import { fieldMeta } from '../../nodes/sdk';

const registry = createNodeRegistry();
const folders = readdirSync(new URL('../../nodes/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`../../nodes/${c.name}/`, import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${c.name}/${d.name}`));

describe('the node registry', () => {
  it('registers every node folder, and nothing else', () => {
    expect([...registry.types()].sort()).toEqual(folders.map((f) => f.split('/')[1]).sort());
  });

  for (const def of registry.definitions()) {
    it(`${def.type}: is complete — README in both languages, zh/en texts, a schema the designer can render`, () => {
      const folder = folders.find((f) => f.endsWith(`/${def.type}`))!;
      for (const file of ['definition.ts', 'runtime.ts', 'README.md']) expect(existsSync(new URL(`../../nodes/${folder}/${file}`, import.meta.url)), `${folder}/${file}`).toBe(true);
      const readme = readFileSync(new URL(`../../nodes/${folder}/README.md`, import.meta.url), 'utf8');
      expect(readme).toMatch(/[\u4e00-\u9fff]/);
      expect(readme).toMatch(/## English/);
      expect(def.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(def.title.en).not.toBe('');
      expect(def.summary.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(def.version).toBeGreaterThanOrEqual(1);
      for (const v of Object.keys(def.migrations ?? {})) expect(Number(v)).toBeLessThan(def.version);
      for (const p of def.inputs) expect(p.label.zh).not.toBe('');
      // The designer renders forms from JSON Schema; every top-level field carries a label.
      expect(() => z.toJSONSchema(def.config, { unrepresentable: 'any' })).not.toThrow();
      if (def.config instanceof z.ZodObject) {
        for (const [key, schema] of Object.entries(def.config.shape as Record<string, z.ZodType>)) {
          expect(fieldMeta(schema), `${def.type}.config.${key} has no field() label`).toBeDefined();
        }
      }
    });
  }
});
