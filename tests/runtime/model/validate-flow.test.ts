import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import { defineNode, port, z } from '../../../nodes/sdk';
import { migrateDocument, validateFlow } from '../../../runtime/model';
import type { Problem } from '../../../runtime/model';

const registry = createNodeRegistry();
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/flows/${name}`, import.meta.url), 'utf8'));
const byCode = (problems: readonly Problem[], code: string) => problems.filter((p) => p.code === code);

describe('validateFlow', () => {
  it('accepts a valid flow and fills config defaults', () => {
    const result = validateFlow(fixture('valid-c2f.json'), registry);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rule = result.flow.nodes.find((n) => n.node.id === 'convert')!;
    expect(rule.config).toMatchObject({ outputs: ['out'] });
    expect(result.flow.nodes.find((n) => n.node.id === 'hot')!.outputs).toEqual(['hot', 'normal', 'error']);
  });

  it('reports every problem of a broken flow, each with its path and zh/en message', () => {
    const result = validateFlow(fixture('invalid-every-class.json'), registry);
    expect(result.ok).toBe(false);
    const p = result.problems;

    const unknownType = byCode(p, 'unknown-node-type');
    expect(unknownType).toHaveLength(1);
    expect(unknownType[0]!.at).toBe('nodes[1].type');
    expect(unknownType[0]!.message.en).toContain('did you mean "switch"');
    expect(unknownType[0]!.message.zh).toContain('未知的节点类型');

    const configs = byCode(p, 'invalid-config').map((x) => x.at).sort();
    expect(configs).toEqual(['nodes[0].config.outputs', 'nodes[2].config.rules[0].value']);
    const value = byCode(p, 'invalid-config').find((x) => x.at === 'nodes[2].config.rules[0].value')!;
    expect(value.message.en).toContain('expected a number');
    expect(value.message.zh).toContain('应为数字');
    expect(value.nodeId).toBe('c');

    expect(byCode(p, 'duplicate-node-id').map((x) => x.at)).toEqual(['nodes[3].id']);
    expect(byCode(p, 'duplicate-edge-id').map((x) => x.at)).toEqual(['edges[4].id']);
    expect(byCode(p, 'edge-unknown-node').map((x) => x.at)).toEqual(['edges[0].target']);
    const port = byCode(p, 'edge-unknown-port');
    expect(port.map((x) => x.at)).toEqual(['edges[1].sourcePort']);
    expect(port[0]!.message.en).toContain('has no output port "nope"; it has: out, error');

    const cycle = byCode(p, 'undeclared-cycle');
    expect(cycle).toHaveLength(1);
    expect(cycle[0]!.message.en).toMatch(/cycle (d → e → d|e → d → e)/);
    expect(cycle[0]!.at).toBe('edges[2]');
  });

  it('accepts a cycle closed by a declared feedback edge', () => {
    const result = validateFlow(fixture('feedback-loop.json'), registry);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses a schemaVersion newer than this build supports', () => {
    const result = validateFlow(fixture('newer-schema.json'), registry);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'schema-version-newer', at: 'schemaVersion' });
  });

  it('names missing top-level fields by path', () => {
    const result = validateFlow({ schemaVersion: 1, nodes: [] }, registry);
    expect(result.ok).toBe(false);
    expect(result.problems.map((x) => x.at).sort()).toEqual(['id', 'name']);
  });

  it('migrates the config of an older node version step by step', () => {
    // Version 1 had `limit`; version 2 renamed it to `high`; version 3 added `unit`.
    const gauge = defineNode({
      type: 'gauge-test', version: 3, category: 'data', icon: 'g', title: { zh: 'g', en: 'g' }, summary: { zh: 'g', en: 'g' },
      inputs: [port('in', '输入', 'in')], outputs: [port('out', '输出', 'out')],
      config: z.object({ high: z.number(), unit: z.string() }),
      migrations: {
        1: ({ limit, ...rest }) => ({ ...rest, high: limit }),
        2: (c) => ({ ...c, unit: '°C' }),
      },
    }, () => ({}));
    const result = validateFlow({ schemaVersion: 1, id: 'f', name: { zh: 'f', en: 'f' }, nodes: [{ id: 'g', type: 'gauge-test', version: 1, config: { limit: 80 } }] }, createNodeRegistry([gauge]));
    expect(result.problems).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    expect(result.flow.nodes[0]!.config).toEqual({ high: 80, unit: '°C' });
    expect(result.flow.flow.nodes[0]).toMatchObject({ version: 3, config: { high: 80, unit: '°C' } });
  });

  it('migrates documents through each schema step and refuses gaps', () => {
    const table = { kind: 'flow', current: 3, steps: { 1: (d: Record<string, unknown>) => ({ ...d, edges: d.links, links: undefined }), 2: (d: Record<string, unknown>) => ({ ...d, settings: {} }) } };
    const done = migrateDocument({ schemaVersion: 1, links: [1] }, table);
    expect(done).toMatchObject({ ok: true, from: 1, doc: { schemaVersion: 3, edges: [1], settings: {} } });
    const gap = migrateDocument({ schemaVersion: 1 }, { kind: 'flow', current: 3, steps: { 2: (d: Record<string, unknown>) => d } });
    expect(gap.ok).toBe(false);
    if (!gap.ok) expect(gap.problems[0]!.message.en).toBe('no migration from flow schemaVersion 1 to 2');
    const missing = migrateDocument({ id: 'x' }, table);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems[0]!.at).toBe('schemaVersion');
  });

  it('rejects a node version newer than its type', () => {
    const newer = validateFlow({ schemaVersion: 1, id: 'f', name: { zh: 'f', en: 'f' }, nodes: [{ id: 'r', type: 'rule', version: 9, config: {} }], edges: [] }, registry);
    expect(newer.ok).toBe(false);
    expect(newer.problems[0]).toMatchObject({ code: 'node-version-newer', at: 'nodes[0].version' });
  });
});
