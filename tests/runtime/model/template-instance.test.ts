import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import { defineNode, port, z } from '../../../nodes/sdk';
import type { DeviceProfile, InstanceInput, Template } from '../../../runtime/model';
import { DeviceGroupSchema, DeviceProfileSchema, InstanceSchema, applyUpgrade, checkTemplate, planUpgrade, resolveInstance } from '../../../runtime/model';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/templates/${name}`, import.meta.url), 'utf8'));
const profile = DeviceProfileSchema.parse(fixture('test-oven.profile.json'));
const profiles = (id: string): DeviceProfile | undefined => (id === 'test-oven' ? profile : undefined);
// A node that takes a device group, as device-reading nodes do.
const deviceList = defineNode({
  type: 'device-list', version: 1, category: 'device', icon: 'd', title: { zh: '设备', en: 'Devices' }, summary: { zh: '测试', en: 'test' },
  inputs: [], outputs: [port('out', '输出', 'out')], config: z.object({ devices: DeviceGroupSchema }),
}, () => ({}));
const catalog = createNodeRegistry([deviceList]);

function template(name: string): Template {
  const r = checkTemplate(fixture(name), catalog, profiles);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 1));
  return r.template;
}

const v12 = template('oven-1.2.0.json');
const v13 = template('oven-1.3.0.json');

const instance = (over: Partial<InstanceInput> = {}): InstanceInput => ({
  schemaVersion: 1,
  template: 'oven-watch@1.2.0',
  enterprise: '湖州某涂装厂',
  site: 'huzhou-paint-1',
  scenarios: ['energy', 'report'],
  parameters: { highC: 240, shiftLead: '李师傅' },
  devices: { ovens: [{ name: 'oven-1', host: '192.168.1.21', unitId: 1 }, { name: 'oven-2', host: '192.168.1.22', unitId: 2 }] },
  overrides: [],
  ...over,
});

describe('templates and their copies', () => {
  it('resolves a copy: parameters filled, device groups expanded with their profile, chosen scenarios only', () => {
    const r = resolveInstance(v12, instance({ scenarios: ['energy'] }), profiles, catalog);
    expect(r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.content.scenarios).toEqual(['overheat', 'energy']);
    expect(r.content.parameters).toEqual({ highC: 240, onDelay: 30_000, shiftLead: '李师傅' });
    const overheat = r.content.flows[0] as { nodes: { id: string; config: Record<string, unknown> }[] };
    expect(overheat.nodes.find((n) => n.id === 'alarm')!.config).toMatchObject({ high: 240, onDelayMs: 30_000 });
    const devices = overheat.nodes.find((n) => n.id === 'read')!.config.devices as { name: string; profile: { id: string } }[];
    expect(devices.map((d) => [d.name, d.profile.id])).toEqual([['oven-1', 'test-oven'], ['oven-2', 'test-oven']]);
    expect(r.content.devices).toEqual([expect.objectContaining({ group: 'ovens', profile: 'test-oven' })]);
  });

  it('is deterministic: the same copy resolves to the same JSON', () => {
    const a = resolveInstance(v12, instance(), profiles, catalog);
    const b = resolveInstance(v12, JSON.parse(JSON.stringify(instance())), profiles, catalog);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('rejects a parameter of the wrong type or out of range, an unknown one, and a missing required one', () => {
    const r = resolveInstance(v12, instance({ parameters: { highC: 999, onDelay: 'soon', colour: 'red' } }), profiles, catalog);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.at])).toEqual([
      ['unknown-parameter', 'parameters.colour'],
      ['invalid-parameter', 'parameters.highC'],
      ['invalid-parameter', 'parameters.onDelay'],
      ['missing-parameter', 'parameters.shiftLead'],
    ]);
    expect(r.problems[1]!.message.en).toBe('parameter "highC" (High limit) must be at most 400 °C, got 999 °C');
    expect(r.problems[1]!.message.zh).toBe('参数 “highC”（超温上限）不能大于 400 °C，实际是 999 °C');
  });

  it('rejects bad device entries and duplicate names with their place in the list', () => {
    const r = resolveInstance(v12, instance({ devices: { ovens: [{ name: 'oven-1', host: '10.0.0.1', unitId: 1 }, { name: 'oven-1', host: '10.0.0.2', unitId: 2 }, { name: 'oven-3', unitId: 3 }] } }), profiles, catalog);
    expect(r.problems.map((p) => [p.code, p.at])).toEqual([
      ['duplicate-device', 'devices.ovens[1].name'],
      ['invalid-device', 'devices.ovens[2].host'],
    ]);
  });

  it('refuses a template referring to a parameter or device group it does not declare', () => {
    const raw = fixture('oven-1.2.0.json') as { scenarios: { flow: { nodes: { config: Record<string, unknown> }[] } }[] };
    raw.scenarios[0]!.flow.nodes[1]!.config.low = { $param: 'lowC' };
    raw.scenarios[0]!.flow.nodes[0]!.config.devices = { $deviceGroup: 'kilns' };
    const r = checkTemplate(raw, catalog, profiles);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.at])).toEqual([
      ['unknown-device-group', 'scenarios[0].flow.nodes[0].config.devices'],
      ['unknown-parameter', 'scenarios[0].flow.nodes[1].config.low'],
    ]);
    expect(r.problems[1]!.message.zh).toBe('引用了不存在的参数 “lowC”');
  });

  it('applies the site\'s own changes by id', () => {
    const r = resolveInstance(v12, instance({ overrides: [
      { op: 'set', path: '/scenarios/overheat/flow/nodes/alarm/config/hysteresis', value: 4 },
      { op: 'remove', path: '/scenarios/overheat/dashboard/widgets/temps' },
    ] }), profiles, catalog);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect((r.content.flows[0] as { nodes: { id: string; config: { hysteresis?: number } }[] }).nodes.find((n) => n.id === 'alarm')!.config.hysteresis).toBe(4);
    expect((r.content.dashboards[0] as { widgets: { id: string }[] }).widgets.map((w) => w.id)).toEqual(['alarms']);
  });
});

describe('upgrading a copy (three-way merge)', () => {
  const customised = InstanceSchema.parse(instance({
    overrides: [
      // A changed threshold the template also changed: a real conflict.
      { op: 'set', path: '/scenarios/overheat/flow/nodes/alarm/config/hysteresis', value: 3 },
      // An extra node in an X scenario: the template did not touch it.
      { op: 'add', path: '/scenarios/energy/flow/nodes/note', value: { id: 'note', type: 'debug', version: 1, config: {} } },
      // A removed widget the template changed: a conflict.
      { op: 'remove', path: '/scenarios/overheat/dashboard/widgets/temps' },
    ],
  }));

  it('lets baseline changes flow in, keeps local ones, and lists every conflict with both sides', () => {
    const plan = planUpgrade(v12, v13, customised);
    expect(plan.from).toBe('oven-watch@1.2.0');
    expect(plan.to).toBe('oven-watch@1.3.0');
    expect(plan.templateChanges.map((c) => c.path)).toEqual(expect.arrayContaining([
      '/scenarios/overheat/flow/nodes/alarm/config/severity',
      '/scenarios/overheat/flow/nodes/stats',
      '/scenarios/report',
    ]));
    expect(plan.kept.map((o) => o.path)).toEqual(['/scenarios/energy/flow/nodes/note']);
    expect(plan.conflicts.map((c) => [c.kind, c.path])).toEqual([
      ['change', '/scenarios/overheat/flow/nodes/alarm/config/hysteresis'],
      ['change', '/scenarios/overheat/dashboard/widgets/temps'],
      ['scenario', '/scenarios/report'],
    ]);
    expect(plan.conflicts[0]!.template.en).toBe('the new version sets /scenarios/overheat/flow/nodes/alarm/config/hysteresis to 5');
    expect(plan.conflicts[0]!.site.en).toBe('this site sets /scenarios/overheat/flow/nodes/alarm/config/hysteresis to 3');
    expect(plan.newParameters).toEqual(['energyUnit']);
  });

  it('applies nothing until every conflict has a choice, then resolves on the new version', () => {
    const plan = planUpgrade(v12, v13, customised);
    expect(() => applyUpgrade(plan, customised, v13, { c1: 'site' })).toThrow('need a choice');
    expect(() => applyUpgrade(plan, customised, v13, { c1: 'site', c2: 'template', c3: 'site' })).toThrow('need a choice');
    const upgraded = applyUpgrade(plan, customised, v13, { c1: 'site', c2: 'template', c3: 'template' });
    expect(upgraded.template).toBe('oven-watch@1.3.0');
    expect(upgraded.scenarios).toEqual(['energy']);
    const r = resolveInstance(v13, upgraded, profiles, catalog);
    expect(r.problems).toEqual([]);
    if (!r.ok) return;
    const alarm = (r.content.flows[0] as { nodes: { id: string; config: Record<string, unknown> }[] }).nodes.find((n) => n.id === 'alarm')!;
    expect(alarm.config).toMatchObject({ hysteresis: 3, severity: 'critical', high: 240 });
    expect((r.content.flows[1] as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(['tick', 'sum', 'note']);
    expect((r.content.dashboards[0] as { widgets: { id: string; w: number }[] }).widgets).toEqual([expect.objectContaining({ id: 'alarms' }), expect.objectContaining({ id: 'temps', w: 12 })]);
  });

  it('refuses to resolve a copy against the wrong template version', () => {
    const r = resolveInstance(v13, customised, profiles, catalog);
    expect(r.problems[0]).toMatchObject({ code: 'wrong-template', at: 'template' });
  });
});
