import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openLibrary } from '../../../runtime/cli/library-options';
import { copySampleInstance } from '../../../runtime/library/copy-sample';
import type { Template } from '../../../runtime/model';

const { registry, profiles, library } = openLibrary({});
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const weavingSample = JSON.parse(read('examples/weaving-sample/instance.json'));
const valveSample = JSON.parse(read('examples/valve-sample/instance.json'));
const template = (ref: string): Template => library!.get(ref)!;
const copy = (sample: { template: string }, request: Parameters<typeof copySampleInstance>[2]) =>
  copySampleInstance(sample, template(sample.template), request, profiles, registry);

describe('copySampleInstance', () => {
  it("makes the enterprise's own copy: its name, site, parameter values and 40 looms, the sample's local changes kept", () => {
    const result = copy(weavingSample, {
      enterprise: '绍兴某织造厂', site: 'shaoxing-1', set: ['ratedSpeed=650', 'efficiencyTarget=0.8', 'stopAlarmDelay=10min'],
      devicesCsv: read('tests/fixtures/copy-sample/shaoxing-mill.csv'),
    });
    expect(result.ok, JSON.stringify(result.problems)).toBe(true);
    if (!result.ok) return;
    expect(result.instance).toMatchObject({ enterprise: '绍兴某织造厂', site: 'shaoxing-1', template: 'weaving-waterjet@1.2.0', scenarios: ['energy-per-metre'] });
    expect(result.instance.parameters).toMatchObject({ ratedSpeed: 650, efficiencyTarget: 0.8, stopAlarmDelay: '10min', weftDensity: 24 });
    expect(result.instance.devices.looms).toHaveLength(40);
    expect(result.instance.devices.looms![39]).toEqual({ name: 'loom-40', host: '192.168.10.22', port: 502, unitId: 12 });
    expect(result.instance.devices.meters).toEqual([{ name: 'meter-main', host: '192.168.10.30', port: 502, unitId: 1 }]);
    expect(result.instance.overrides).toEqual(weavingSample.overrides);
    expect(result.keptGroups).toEqual([]);
  });

  it("never carries the sample firm's uplink consent over", () => {
    const result = copy({ ...weavingSample, uplink: { endpoints: [], streams: [] } }, { enterprise: 'E', site: 'e-1' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.instance.uplink).toBeUndefined();
  });

  it('keeps the groups a CSV for one group leaves out, and says so', () => {
    const result = copy(weavingSample, { enterprise: 'E', site: 'e-1', deviceGroup: 'looms', devicesCsv: 'name,host,port,unitId\nloom-a,192.168.1.20,502,1\n' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.instance.devices.looms).toEqual([{ name: 'loom-a', host: '192.168.1.20', port: 502, unitId: 1 }]);
    expect(result.keptGroups).toEqual(['meters']);
  });

  it('reads each --set as its parameter type and tells every bad one at once', () => {
    const result = copy(weavingSample, { enterprise: 'E', site: 'e-1', set: ['ratedSpeed=fast', 'efficiencyTarget=1.5', 'colour=red', 'oops'] });
    expect(result.ok).toBe(false);
    const messages = result.problems.map((p) => p.message.en);
    expect(messages).toContain('--set ratedSpeed=fast: expected a whole number, got "fast"');
    expect(messages.some((m) => m.includes('"efficiencyTarget"') && m.includes('at most 1, got 1.5'))).toBe(true);
    expect(messages.some((m) => m.startsWith('--set colour=red: template weaving-waterjet@1.2.0 has no parameter "colour"'))).toBe(true);
    expect(messages).toContain('--set oops: write it as key=value, like ratedSpeed=650');
  });

  it('refuses a device list with two looms on one unit id, naming both lines', () => {
    const result = copy(weavingSample, { enterprise: 'E', site: 'e-1', deviceGroup: 'looms', devicesCsv: read('tests/fixtures/copy-sample/duplicate-unit.csv') });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.message.en)).toEqual([
      'CSV line 4, column "unitId": unit id 2 on 192.168.10.20:502 is used twice (already at CSV line 3, column "unitId"): two devices on one line cannot share a unit id',
    ]);
  });

  it("refuses a CSV loom on the sample's meter address (devices of both groups checked together)", () => {
    const meter = weavingSample.devices.meters[0];
    const result = copy(weavingSample, { enterprise: 'E', site: 'e-1', deviceGroup: 'looms', devicesCsv: `name,host,port,unitId\nloom-a,${meter.host},${meter.port},${meter.unitId}\n` });
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.code).toBe('duplicate-unit-id');
  });

  it('leaves out the sample\'s changes inside an X scenario the copy does not run', () => {
    expect(valveSample.scenarios).toContain('test-pass-rate');
    const result = copy(valveSample, { enterprise: 'E', site: 'e-1', scenarios: [] });
    expect(result.ok, JSON.stringify(result.problems)).toBe(true);
    if (!result.ok) return;
    expect(result.instance.scenarios).toEqual([]);
    expect(result.droppedOverrides.length).toBeGreaterThan(0);
    expect(result.droppedOverrides.every((o) => o.path.startsWith('/scenarios/test-pass-rate/'))).toBe(true);
    expect(result.instance.overrides).toHaveLength(valveSample.overrides.length - result.droppedOverrides.length);
  });
});
