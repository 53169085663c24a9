import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../runtime/library/csv';
import { hostProblem } from '../../../runtime/library/device-checks';
import { devicesFromCsv } from '../../../runtime/library/device-csv';

describe('CSV as spreadsheets write it', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, CRLF, a BOM, and skips blank lines', () => {
    const text = '\uFEFFname,note\r\n"loom-1","车间A, 东侧"\r\n\r\nloom-2,"他说 ""停机""\n第二行"\nloom-3 , plain \n';
    const { records, errors } = parseCsv(text);
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, cells: ['name', 'note'] },
      { line: 2, cells: ['loom-1', '车间A, 东侧'] },
      { line: 4, cells: ['loom-2', '他说 "停机"\n第二行'] },
      { line: 6, cells: ['loom-3', 'plain'] },
    ]);
  });

  it('takes semicolons or tabs when the header has no comma (some Excel locales)', () => {
    expect(parseCsv('name;host\nloom-1;10.0.0.1').records[1]!.cells).toEqual(['loom-1', '10.0.0.1']);
    expect(parseCsv('name\thost\nloom-1\t10.0.0.1').records[1]!.cells).toEqual(['loom-1', '10.0.0.1']);
  });

  it('reports quoting mistakes with their line and column', () => {
    expect(parseCsv('name,host\nlo"om,10.0.0.1\n"loom-2"x,10.0.0.2\n').errors.map((e) => [e.line, e.column, e.message.en])).toEqual([
      [3, 1, 'characters after a closing quote; a quote inside a field is written as two quotes ""'],
      [3, 1, 'unclosed quote (the field starting here runs to the end of the file)'],
    ]);
    expect(parseCsv('name,host\nloom-1,"10.0.0.1\nloom-2,10.0.0.2\n').errors).toEqual([{ line: 2, column: 8, message: expect.objectContaining({ zh: expect.stringContaining('引号没有闭合') }) }]);
  });
});

describe('device lists from CSV', () => {
  it('makes Modbus TCP and RTU entries, per device group when a group column is there', () => {
    const r = devicesFromCsv([
      'group,name,host,port,unitId,serial,baudRate,parity',
      'looms,loom-1,192.168.1.21,502,1,,,',
      'looms,loom-2,192.168.1.21,502,2,,,',
      'meters,meter-1,,,3,/dev/ttyUSB0,19200,even',
    ].join('\n'), ['looms', 'meters'], undefined);
    expect(r.problems).toEqual([]);
    expect(r.devices).toEqual({
      looms: [{ name: 'loom-1', host: '192.168.1.21', port: 502, unitId: 1 }, { name: 'loom-2', host: '192.168.1.21', port: 502, unitId: 2 }],
      meters: [{ name: 'meter-1', unitId: 3, serial: { path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even' } }],
    });
    expect(r.lines.get('meters/0')).toBe(4);
  });

  it('says what is wrong with the header before reading rows', () => {
    const r = devicesFromCsv('name,ip,colour\nloom-1,10.0.0.1,red', ['looms', 'meters'], undefined);
    expect(r.problems.map((p) => p.message.en)).toEqual([
      'CSV line 1, column "colour": unknown column (known: name, host, port, unitId, serial, baudRate, parity, dataBits, stopBits, protocol, byteOrder, intervalMs, timeoutMs, pipeline, group)',
      'CSV line 1: the template has several device groups (looms, meters): add a group column or give deviceGroup',
    ]);
  });

  it('reports every bad row with its line and column, and returns no devices', () => {
    const r = devicesFromCsv([
      'name,host,port,unitId',
      'loom-1,10.0.0.1,502,1',
      'loom-1,10.0.0.2,502,1',
      '9loom,10.0.0.3,502,1',
      'loom-4,10.0.0.4,502',
      'loom-5,bad_host!,502,1',
      'loom-6,10.0.0.1,502,1',
    ].join('\n'), ['looms'], 'looms');
    expect(r.devices).toEqual({});
    expect(r.problems.map((p) => [(p as { line?: number }).line, (p as { column?: string }).column, p.code])).toEqual([
      [3, 'name', 'duplicate-device'],
      [4, 'name', 'invalid-device'],
      [5, undefined, 'csv-cell-count'],
      [6, 'host', 'invalid-address'],
      [7, 'unitId', 'duplicate-unit-id'],
    ]);
    expect(r.problems[0]!.message.zh).toBe('CSV 第 3 行 “name” 列：设备名 “loom-1” 重复（CSV 第 2 行 “name” 列已使用）');
  });

  it('knows an address from a host name', () => {
    expect(hostProblem('192.168.1.21')).toBeUndefined();
    expect(hostProblem('plc-7.workshop.local')).toBeUndefined();
    expect(hostProblem('fe80::1')).toBeUndefined();
    expect(hostProblem('192.168.1')?.en).toBe('"192.168.1" is not a valid IPv4 address (four numbers, like 192.168.1.20)');
    expect(hostProblem('10.0.0.256')?.zh).toBe('“10.0.0.256” 不是有效的 IPv4 地址（“256” 不在 0～255 之间）');
    expect(hostProblem('my plc')?.en).toBe('"my plc" is neither an IP address nor a valid host name');
  });
});
