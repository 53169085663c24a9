import { describe, expect, it } from 'vitest';
import { modbusReadConfig } from '../../../../nodes/devices/modbus-read/definition';
import { modbusRead } from '../../../../nodes/devices/modbus-read/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([modbusRead]);
const problems = (config: Record<string, unknown>) =>
  validateFlow(flowOf('f', [{ id: 'r', type: 'modbus-read', config }]), registry).problems.map((p) => ({ at: p.at, en: p.message.en, zh: p.message.zh }));

describe('modbus-read config', () => {
  it('fills the defaults, and device entries theirs', () => {
    expect(modbusReadConfig.parse({ devices: [{ name: 'm1', host: '10.0.0.5', profile: 'chint-dtsu666' }] })).toEqual({
      devices: [{ name: 'm1', host: '10.0.0.5', unitId: 1, profile: 'chint-dtsu666' }],
      tags: [],
      output: 'snapshot',
      report: 'change',
      deadbands: {},
    });
  });

  it('says where a device entry is wrong', () => {
    const found = problems({
      devices: [
        { name: 'm1', host: '10.0.0.5', serial: '/dev/ttyUSB0', profile: 'p' },
        { name: 'm2', serial: '/dev/ttyUSB0', unitId: 0, profile: 'p' },
        { name: 'm2', host: '10.0.0.6', port: 70000, profile: 'p' },
        { name: 'm4', profile: 'p' },
      ],
      tags: ['a', 'a'],
    });
    expect(found.map((p) => p.at)).toEqual([
      'nodes[0].config.devices[0].serial',
      'nodes[0].config.devices[1].unitId',
      'nodes[0].config.devices[2].port',
      'nodes[0].config.devices[3].host',
      'nodes[0].config.devices[2].name',
      'nodes[0].config.tags[1]',
    ]);
    expect(found[1]).toMatchObject({ en: 'an RTU unit id is 1 to 247, got 0', zh: 'RTU 从站地址为 1～247，实际为 0' });
    expect(found[4]!.en).toBe('duplicate device name "m2" (already used by [1])');
  });
});
