import type { DeviceGroupDef, Text } from '../../../runtime/model';
import { DeviceEntrySchema, zodProblems } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { parseCsv } from '../../../runtime/library/csv';
import { deviceCsvField } from '../../../runtime/library/device-csv-columns';
import { detailPath } from '../library/ui/api-problems';

/** The fields the table edits; everything else of an entry rides along in `extra`. */
export const DEVICE_FIELDS = ['name', 'host', 'port', 'unitId', 'serial'] as const;
export type DeviceField = (typeof DEVICE_FIELDS)[number];

export interface DeviceRow {
  /** Stable for React keys and edits. */
  readonly id: number;
  readonly group: string;
  readonly name: string;
  readonly host: string;
  readonly port: string;
  readonly unitId: string;
  /** A serial port path (RTU); a whole serial line from a CSV or the sample stays in `extra`. */
  readonly serial: string;
  readonly extra: Readonly<Record<string, unknown>>;
  /** The CSV line the row came from. */
  readonly line?: number;
}

export interface CsvSource {
  readonly text: string;
  readonly fileName?: string;
  /** The header text of each field's column, to find the row cell a CSV problem names. */
  readonly columns: Readonly<Record<string, string>>;
  /** For a CSV without a group column on a template with several groups. */
  readonly deviceGroup?: string;
}

/**
 * The devices being edited: rows per device group, and the CSV they came from while they are
 * still exactly what it said (then the CSV text goes to the studio, which reports problems by
 * line and column; after an edit the rows go as JSON and problems come by row).
 */
export interface DeviceTable {
  readonly rows: readonly DeviceRow[];
  readonly csv?: CsvSource;
  readonly nextId: number;
}

export const emptyTable = (): DeviceTable => ({ rows: [], nextId: 1 });

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** An instance's devices (per group) as rows. */
export function tableFromDevices(devices: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>): DeviceTable {
  let id = 1;
  const rows: DeviceRow[] = [];
  for (const [group, entries] of Object.entries(devices)) {
    for (const e of entries) {
      const { name, host, port, unitId, serial, ...extra } = e;
      const path = typeof serial === 'string' ? serial : '';
      rows.push({ id: id++, group, name: str(name), host: str(host), port: str(port), unitId: str(unitId), serial: path, extra: typeof serial === 'object' && serial !== null ? { ...extra, serial } : extra });
    }
  }
  return { rows, nextId: id };
}

const INTEGER_EXTRA = new Set(['intervalMs', 'timeoutMs', 'pipeline']);
const SERIAL_LINE = new Set(['baudRate', 'parity', 'dataBits', 'stopBits']);

/** A problem the browser finds in a CSV before the studio sees it (syntax: an unclosed quote …). */
export interface CsvProblem {
  readonly line: number;
  readonly column?: string;
  readonly message: Text;
}

/**
 * Reads a device CSV into rows for the preview table, with the same parser (and so the same line
 * numbers) as the studio. The studio checks the content; here only what keeps a row from showing.
 */
export function tableFromCsv(text: string, groups: readonly string[], deviceGroup?: string, fileName?: string): { table: DeviceTable; problems: CsvProblem[] } {
  const { records, errors } = parseCsv(text);
  const problems: CsvProblem[] = errors.map((e) => ({ line: e.line, message: { zh: `第 ${e.column} 个字符处${e.message.zh}`, en: `at character ${e.column}: ${e.message.en}` } }));
  const header = records[0];
  const columns: Record<string, string> = {};
  const fields = (header?.cells ?? []).map((cell) => {
    const f = deviceCsvField(cell);
    if (f && columns[f] === undefined) columns[f] = cell;
    return f;
  });
  const single = deviceGroup ?? (groups.length === 1 ? groups[0] : undefined);
  let id = 1;
  const rows: DeviceRow[] = records.slice(1).map((r) => {
    const values: Record<string, string> = {};
    r.cells.forEach((cell, i) => {
      const f = fields[i];
      if (f && cell !== '' && values[f] === undefined) values[f] = cell;
    });
    const extra: Record<string, unknown> = {};
    const line: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(values)) {
      if (DEVICE_FIELDS.includes(f as DeviceField) || f === 'group') continue;
      const typed = INTEGER_EXTRA.has(f) || (SERIAL_LINE.has(f) && f !== 'parity') ? (/^\d+$/.test(v) ? Number(v) : v) : v;
      if (SERIAL_LINE.has(f)) line[f] = typed;
      else extra[f] = typed;
    }
    if (Object.keys(line).length > 0) extra.serial = { path: values.serial ?? '', ...line };
    return {
      id: id++, group: values.group ?? single ?? '', name: values.name ?? '', host: values.host ?? '', port: values.port ?? '', unitId: values.unitId ?? '',
      serial: Object.keys(line).length > 0 ? '' : values.serial ?? '', extra, line: r.line,
    };
  });
  return { table: { rows, nextId: id, csv: { text, columns, ...(fileName ? { fileName } : {}), ...(deviceGroup ? { deviceGroup } : {}) } }, problems };
}

/** A row as an instance's device entry (numbers typed; text that is no number stays text for the checks to name). */
export function entryOf(row: DeviceRow): Record<string, unknown> {
  const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
  const entry: Record<string, unknown> = { name: row.name.trim() };
  if (row.host.trim() !== '') entry.host = row.host.trim();
  if (row.port.trim() !== '') entry.port = num(row.port);
  if (row.unitId.trim() !== '') entry.unitId = num(row.unitId);
  if (row.serial.trim() !== '') entry.serial = row.serial.trim();
  return { ...entry, ...row.extra };
}

/** The rows as the instance format: entries per device group. */
export function devicesOf(table: DeviceTable): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const row of table.rows) (out[row.group] ??= []).push(entryOf(row));
  return out;
}

/** What a save sends: the CSV text while the rows are what it said, else the rows per group. */
export function devicesForRequest(table: DeviceTable): { devices: string | Record<string, unknown[]>; deviceGroup?: string } {
  if (table.csv) return { devices: table.csv.text, ...(table.csv.deviceGroup ? { deviceGroup: table.csv.deviceGroup } : {}) };
  return { devices: devicesOf(table) };
}

/** Changes a row; the table stops being "the CSV as it was". */
export function editRow(table: DeviceTable, id: number, change: Partial<Pick<DeviceRow, DeviceField | 'group'>>): DeviceTable {
  return { rows: table.rows.map((r) => (r.id === id ? { ...r, ...change } : r)), nextId: table.nextId };
}

export function addRow(table: DeviceTable, group: string): DeviceTable {
  const row: DeviceRow = { id: table.nextId, group, name: '', host: '', port: '', unitId: '', serial: '', extra: {} };
  return { rows: [...table.rows, row], nextId: table.nextId + 1 };
}

export function removeRow(table: DeviceTable, id: number): DeviceTable {
  return { rows: table.rows.filter((r) => r.id !== id), nextId: table.nextId };
}

/** Problems of rows and groups: per row id and field ('row' for the row as a whole), per group, and the rest. */
export interface DeviceProblems {
  readonly cells: ReadonlyMap<number, ReadonlyMap<string, readonly Text[]>>;
  readonly groups: ReadonlyMap<string, readonly Text[]>;
  readonly other: readonly Text[];
}

class Collector {
  cells = new Map<number, Map<string, Text[]>>();
  groups = new Map<string, Text[]>();
  other: Text[] = [];
  cell(row: number, field: string, message: Text) {
    const m = this.cells.get(row) ?? new Map<string, Text[]>();
    m.set(field, [...(m.get(field) ?? []), message]);
    this.cells.set(row, m);
  }
  group(key: string, message: Text) {
    this.groups.set(key, [...(this.groups.get(key) ?? []), message]);
  }
  done(): DeviceProblems {
    return { cells: this.cells, groups: this.groups, other: this.other };
  }
}

const fieldOf = (f: unknown): string => (DEVICE_FIELDS.includes(f as DeviceField) || f === 'group' ? String(f) : 'row');

/**
 * What the browser can tell about the rows before the studio does: each entry against the device
 * schema of runtime/model, names used twice, two devices on one Modbus address, and group sizes
 * against the template.
 */
export function checkRows(table: DeviceTable, groups: readonly DeviceGroupDef[]): DeviceProblems {
  const c = new Collector();
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  const keys = new Set(groups.map((g) => g.key));
  table.rows.forEach((row, i) => {
    if (!keys.has(row.group)) c.cell(row.id, 'group', { zh: `模板没有设备组 “${row.group}”`, en: `the template has no device group "${row.group}"` });
    const entry = entryOf(row);
    const parsed = DeviceEntrySchema.safeParse({ ...entry, profile: 'group' }, { reportInput: true });
    if (!parsed.success) for (const p of zodProblems(parsed.error, [], 'invalid-device')) c.cell(row.id, fieldOf(p.path[0]), p.message);
    const name = row.name.trim();
    if (name !== '') {
      const first = names.get(name);
      if (first !== undefined) c.cell(row.id, 'name', { zh: `设备名 “${name}” 与第 ${first + 1} 行重复`, en: `device name "${name}" is also on row ${first + 1}` });
      else names.set(name, i);
    }
    const where = row.host.trim() !== '' ? `${row.host.trim()}:${row.port.trim() || '502'}` : row.serial.trim();
    if (where !== '') {
      const key = `${where}#${row.unitId.trim() || '1'}`;
      const first = addresses.get(key);
      if (first !== undefined) c.cell(row.id, 'unitId', { zh: `与第 ${first + 1} 行是同一个 Modbus 地址（${where}，从站 ${row.unitId.trim() || '1'}）`, en: `the same Modbus address as row ${first + 1} (${where}, unit ${row.unitId.trim() || '1'})` });
      else addresses.set(key, i);
    }
  });
  for (const g of groups) {
    const n = table.rows.filter((r) => r.group === g.key).length;
    if (n < g.min || n > g.max) c.group(g.key, { zh: `应有 ${g.min}～${g.max} 台，现有 ${n} 台`, en: `needs ${g.min} to ${g.max} devices, has ${n}` });
  }
  return c.done();
}

/**
 * Puts the studio's device problems where they belong in the table: `devices.csv[line][column]`
 * on the cell of that CSV line and column, `devices.<group>[i].<field>` on the i-th row of the
 * group, `devices.<group>` on the group; anything else in `other`.
 */
export function placeApiProblems(table: DeviceTable, details: readonly ApiErrorDetail[]): DeviceProblems {
  const c = new Collector();
  const columnField = new Map(Object.entries(table.csv?.columns ?? {}).map(([f, header]) => [header, f]));
  for (const d of details) {
    const path = detailPath(d);
    if (path[0] === 'deviceGroup') {
      c.other.push(d.message);
      continue;
    }
    if (path[0] !== 'devices') continue;
    if (path[1] === 'csv' && typeof path[2] === 'number') {
      const row = table.rows.find((r) => r.line === path[2]);
      const column = path[3] === undefined ? undefined : String(path[3]);
      if (row) c.cell(row.id, column === undefined ? 'row' : fieldOf(columnField.get(column) ?? column), d.message);
      else c.other.push(d.message);
      continue;
    }
    if (typeof path[1] === 'string' && typeof path[2] === 'number') {
      const row = table.rows.filter((r) => r.group === path[1])[path[2]];
      if (row) c.cell(row.id, fieldOf(path[3]), d.message);
      else c.other.push(d.message);
      continue;
    }
    if (typeof path[1] === 'string' && path.length === 2) {
      c.group(path[1], d.message);
      continue;
    }
    c.other.push(d.message);
  }
  return c.done();
}

/** A header line (and one example) for a template's device CSV. */
export function csvTemplate(groups: readonly DeviceGroupDef[]): string {
  const several = groups.length > 1;
  const header = several ? 'name,host,port,unitId,group' : 'name,host,port,unitId';
  const examples = groups.map((g, i) => `${g.key}-01,192.168.1.${21 + i},502,1${several ? `,${g.key}` : ''}`);
  return `${[header, ...examples].join('\n')}\n`;
}
