import { describe, expect, it } from 'vitest';
import type { ApiErrorDetail } from '../../../../designer/app/api';
import { addRow, checkRows, csvTemplate, devicesForRequest, editRow, placeApiProblems, tableFromCsv, tableFromDevices } from '../../../../designer/app/instances/device-table';
import { valveTemplate } from './fixtures';

const groups = valveTemplate().deviceGroups;
const keys = groups.map((g) => g.key);
const detail = (path: (string | number)[], zh: string): ApiErrorDetail => ({ at: path.join('.'), path, message: { zh, en: zh } });

describe('device table', () => {
  it('reads a CSV with Chinese headers, quoted cells and blank lines, keeping each row\'s file line', () => {
    const csv = '\uFEFF名称,地址,端口,从站地址,设备组\n\ncnc-01,192.168.1.21,502,1,cnc\n"cnc-02","192.168.1.22",,2,cnc\nbench-01,192.168.1.30,502,1,benches\n';
    const { table, problems } = tableFromCsv(csv, keys, undefined, 'a.csv');
    expect(problems).toEqual([]);
    expect(table.rows.map((r) => [r.line, r.group, r.name, r.host, r.port, r.unitId])).toEqual([
      [3, 'cnc', 'cnc-01', '192.168.1.21', '502', '1'],
      [4, 'cnc', 'cnc-02', '192.168.1.22', '', '2'],
      [5, 'benches', 'bench-01', '192.168.1.30', '502', '1'],
    ]);
    expect(table.csv?.columns).toMatchObject({ name: '名称', host: '地址', unitId: '从站地址', group: '设备组' });
    // Unchanged, the CSV text itself goes to the studio; after an edit, the rows per group.
    expect(devicesForRequest(table)).toEqual({ devices: csv });
    const edited = editRow(table, table.rows[1]!.id, { port: '503' });
    expect(edited.csv).toBeUndefined();
    expect(devicesForRequest(edited)).toEqual({
      devices: {
        cnc: [{ name: 'cnc-01', host: '192.168.1.21', port: 502, unitId: 1 }, { name: 'cnc-02', host: '192.168.1.22', port: 503, unitId: 2 }],
        benches: [{ name: 'bench-01', host: '192.168.1.30', port: 502, unitId: 1 }],
      },
    });
  });

  it('reports a CSV syntax error by line (an unclosed quote) and keeps serial line settings', () => {
    const { problems } = tableFromCsv('name,host,group\ncnc-01,"192.168.1.21,cnc\n', keys);
    expect(problems[0]?.line).toBe(2);
    const serial = tableFromCsv('name,serial,baudRate,parity,unitId,group\nb-1,/dev/ttyS0,19200,even,3,benches\n', keys).table;
    expect(devicesForRequest(editRow(serial, 1, {})).devices).toEqual({ benches: [{ name: 'b-1', unitId: 3, serial: { path: '/dev/ttyS0', baudRate: 19200, parity: 'even' } }] });
  });

  it('puts the studio\'s problems on the cell they name: CSV line and column, or group and row', () => {
    const { table } = tableFromCsv('名称,地址,端口,从站地址,设备组\ncnc-01,192.168.1.300,502,1,cnc\ncnc-02,192.168.1.22,502,1,cnc\n', keys);
    const placed = placeApiProblems(table, [
      detail(['devices', 'csv', 2, '地址'], 'CSV 第 2 行 “地址” 列：不是有效的 IPv4 地址'),
      detail(['devices', 'cnc', 1, 'unitId'], '与 cnc-01 地址相同'),
      detail(['devices', 'benches'], '设备组 “benches” 应有 1～20 台设备'),
      detail(['devices', 'csv', 9], 'CSV 第 9 行：多余'),
      detail(['parameters', 'x'], '不是设备'),
    ]);
    expect(placed.cells.get(table.rows[0]!.id)?.get('host')?.[0]?.zh).toContain('第 2 行');
    expect(placed.cells.get(table.rows[1]!.id)?.get('unitId')).toHaveLength(1);
    expect(placed.groups.get('benches')).toHaveLength(1);
    expect(placed.other).toHaveLength(1);
  });

  it('checks rows in the browser: the device schema, names and Modbus addresses used twice, group sizes', () => {
    let table = tableFromDevices({ cnc: [{ name: 'cnc-01', host: '10.0.0.1', unitId: 1 }, { name: 'cnc-01', host: '10.0.0.1', port: 502, unitId: 1 }] });
    table = addRow(table, 'benches');
    const problems = checkRows(table, groups);
    const [a, b, c] = table.rows;
    expect(problems.cells.get(a!.id)).toBeUndefined();
    expect(problems.cells.get(b!.id)?.get('name')?.[0]?.zh).toContain('重复');
    expect(problems.cells.get(b!.id)?.get('unitId')?.[0]?.zh).toContain('同一个 Modbus 地址');
    // An empty row: no name, neither host nor serial.
    expect([...problems.cells.get(c!.id)!.keys()].sort()).toEqual(['host', 'name']);
    expect(problems.groups.size).toBe(0);
    expect(checkRows(tableFromDevices({ cnc: [] }), groups).groups.get('benches')?.[0]?.zh).toContain('1～20');
  });

  it('offers a CSV template with a group column when the template has several groups', () => {
    expect(csvTemplate(groups).split('\n')[0]).toBe('name,host,port,unitId,group');
  });
});
