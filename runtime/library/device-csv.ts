import type { Problem, Text } from '../model';
import { DeviceEntrySchema, problem, zodProblems } from '../model';
import { parseCsv } from './csv';
import type { DeviceCsvField } from './device-csv-columns';
import { DEVICE_CSV_ALIASES, deviceCsvField } from './device-csv-columns';
import type { Locate } from './device-checks';
import { deviceProblems, jsonLocate } from './device-checks';

type Field = DeviceCsvField;
const ALIASES = DEVICE_CSV_ALIASES;
const INTEGER_FIELDS: ReadonlySet<Field> = new Set(['port', 'unitId', 'baudRate', 'dataBits', 'stopBits', 'intervalMs', 'timeoutMs', 'pipeline']);
const SERIAL_LINE_FIELDS: ReadonlySet<Field> = new Set(['baudRate', 'parity', 'dataBits', 'stopBits']);

export interface CsvDevices {
  /** Entries per device group, as an instance holds them (no profile: the group gives it). */
  readonly devices: Record<string, Record<string, unknown>[]>;
  /** The CSV line of each entry, by `group/index`, to say where a later problem came from. */
  readonly lines: ReadonlyMap<string, number>;
  readonly problems: Problem[];
  /** Where a field of an entry read from the CSV is, by line and header cell (for later checks). */
  readonly locate: Locate;
}

const where = (line: number, column?: string): Text => (column === undefined
  ? { zh: `CSV 第 ${line} 行：`, en: `CSV line ${line}: ` }
  : { zh: `CSV 第 ${line} 行 “${column}” 列：`, en: `CSV line ${line}, column "${column}": ` });

function csvProblem(code: string, line: number, column: string | undefined, text: Text): Problem {
  return { ...problem(code, column === undefined ? ['devices', 'csv', line] : ['devices', 'csv', line, column], { zh: `${where(line, column).zh}${text.zh}`, en: `${where(line, column).en}${text.en}` }), line, ...(column === undefined ? {} : { column }) } as Problem;
}

/**
 * Reads a device list from CSV text with a header line: `name,host,port,unitId` for Modbus TCP,
 * `name,serial,unitId[,baudRate,parity,dataBits,stopBits]` for RTU, optionally `group` when the
 * template has more than one device group (Chinese headers such as 名称、地址、端口、从站地址 work
 * too). Every problem names its line and column; nothing is returned half-read.
 */
export function devicesFromCsv(text: string, groups: readonly string[], defaultGroup: string | undefined): CsvDevices {
  const { records, errors } = parseCsv(text);
  const problems: Problem[] = errors.map((e) => csvProblem('csv-syntax', e.line, undefined, { zh: `第 ${e.column} 个字符处${e.message.zh}`, en: `at character ${e.column}, ${e.message.en}` }));
  const header = records[0];
  if (!header) {
    if (problems.length === 0) problems.push(problem('csv-empty', ['devices'], { zh: 'CSV 没有内容：第一行应为表头，如 name,host,port,unitId', en: 'the CSV is empty: the first line is the header, like name,host,port,unitId' }));
    return { devices: {}, lines: new Map(), problems, locate: jsonLocate };
  }
  const columns: (Field | undefined)[] = header.cells.map((cell) => deviceCsvField(cell));
  header.cells.forEach((cell, i) => {
    if (columns[i] === undefined) {
      problems.push(csvProblem('csv-unknown-column', header.line, cell, {
        zh: `不认识的列（可用：${Object.keys(ALIASES).join('、')}）`,
        en: `unknown column (known: ${Object.keys(ALIASES).join(', ')})`,
      }));
    }
  });
  const seen = new Map<Field, number>();
  columns.forEach((f, i) => {
    if (f === undefined) return;
    if (seen.has(f)) problems.push(csvProblem('csv-duplicate-column', header.line, header.cells[i], { zh: `与第 ${seen.get(f)! + 1} 列重复`, en: `the same as column ${seen.get(f)! + 1}` }));
    else seen.set(f, i);
  });
  if (!seen.has('name')) problems.push(csvProblem('csv-missing-column', header.line, undefined, { zh: '缺少 name（名称）列', en: 'the name column is missing' }));
  if (!seen.has('host') && !seen.has('serial')) problems.push(csvProblem('csv-missing-column', header.line, undefined, { zh: '缺少 host（地址）或 serial（串口）列', en: 'neither a host nor a serial column' }));
  if (!seen.has('group') && defaultGroup === undefined) {
    problems.push(csvProblem('csv-missing-column', header.line, undefined, {
      zh: `模板有多个设备组（${groups.join('、')}），请加 group 列或指定 deviceGroup`,
      en: `the template has several device groups (${groups.join(', ')}): add a group column or give deviceGroup`,
    }));
  }
  if (problems.length > 0) return { devices: {}, lines: new Map(), problems, locate: jsonLocate };

  const devices: Record<string, Record<string, unknown>[]> = {};
  const lines = new Map<string, number>();
  const origin = new Map<string, { line: number; header: Map<string, string> }>();
  const headerOf = new Map<string, string>(columns.map((f, i) => [f!, header.cells[i]!]));
  for (const record of records.slice(1)) {
    if (record.cells.length !== header.cells.length) {
      problems.push(csvProblem('csv-cell-count', record.line, undefined, { zh: `有 ${record.cells.length} 个字段，表头有 ${header.cells.length} 个`, en: `${record.cells.length} fields, the header has ${header.cells.length}` }));
      continue;
    }
    const entry: Record<string, unknown> = {};
    const line: Record<string, unknown> = {};
    let group = defaultGroup;
    let bad = false;
    record.cells.forEach((cell, i) => {
      const f = columns[i]!;
      if (cell === '') return;
      if (f === 'group') {
        group = cell;
        return;
      }
      let value: unknown = cell;
      if (INTEGER_FIELDS.has(f)) {
        if (!/^\+?\d{1,9}$/.test(cell)) {
          problems.push(csvProblem('csv-not-a-number', record.line, header.cells[i], { zh: `应为整数，实际是 “${cell}”`, en: `must be a whole number, got "${cell}"` }));
          bad = true;
          return;
        }
        value = Number(cell);
      }
      if (SERIAL_LINE_FIELDS.has(f)) line[f] = value;
      else entry[f] = value;
    });
    if (Object.keys(line).length > 0) entry.serial = { path: entry.serial, ...line };
    if (group === undefined || !groups.includes(group)) {
      problems.push(csvProblem('csv-unknown-group', record.line, headerOf.get('group'), {
        zh: `模板没有设备组 “${group ?? ''}”（有：${groups.join('、')}）`, en: `the template has no device group "${group ?? ''}" (it has: ${groups.join(', ')})`,
      }));
      continue;
    }
    if (bad) continue;
    // The profile comes from the device group; a placeholder lets the entry schema check the rest.
    const parsed = DeviceEntrySchema.safeParse({ ...entry, profile: 'group' }, { reportInput: true });
    if (!parsed.success) {
      for (const p of zodProblems(parsed.error, [], 'invalid-device')) {
        const field = String(p.path[0] ?? '');
        const column = headerOf.get(field === 'serial' && typeof p.path[1] === 'string' && headerOf.has(p.path[1]) ? p.path[1] : field) ?? field;
        problems.push(csvProblem('invalid-device', record.line, column || undefined, p.message));
      }
      continue;
    }
    const list = devices[group] ??= [];
    lines.set(`${group}/${list.length}`, record.line);
    origin.set(`${group}/${list.length}`, { line: record.line, header: headerOf });
    list.push(entry);
  }
  const locate: Locate = (group, index, field) => {
    const o = origin.get(`${group}/${index}`)!;
    const column = o.header.get(field) ?? field;
    return { path: ['devices', 'csv', o.line, column], where: where(o.line, column), extra: { line: o.line, column } };
  };
  problems.push(...deviceProblems(devices, locate));
  if (records.length === 1) problems.push(problem('csv-empty', ['devices'], { zh: 'CSV 只有表头，没有设备', en: 'the CSV has a header but no devices' }));
  // Line order reads like the file; problems of one line keep the order they were found in.
  const lineOf = (p: Problem) => (p as { line?: number }).line ?? 0;
  problems.sort((a, b) => lineOf(a) - lineOf(b));
  return problems.length > 0 ? { devices: {}, lines: new Map(), problems, locate: jsonLocate } : { devices, lines, problems, locate };
}

/** A resolver problem about a device that came from the CSV, with that CSV line named. */
export function withCsvLine(p: Problem, lines: ReadonlyMap<string, number> | undefined): Problem {
  if (!lines || p.path[0] !== 'devices' || typeof p.path[1] !== 'string' || typeof p.path[2] !== 'number') return p;
  const line = lines.get(`${p.path[1]}/${p.path[2]}`);
  if (line === undefined) return p;
  return { ...p, message: { zh: `CSV 第 ${line} 行：${p.message.zh}`, en: `CSV line ${line}: ${p.message.en}` }, line } as Problem;
}
