/** The columns a device CSV may have (as the instance format names them). */
export type DeviceCsvField = 'name' | 'host' | 'port' | 'unitId' | 'serial' | 'baudRate' | 'parity' | 'dataBits' | 'stopBits' | 'protocol' | 'byteOrder' | 'intervalMs' | 'timeoutMs' | 'pipeline' | 'group';

/** Header words a spreadsheet may use for each column, compared folded (see {@link deviceCsvField}). */
export const DEVICE_CSV_ALIASES: Readonly<Record<DeviceCsvField, readonly string[]>> = {
  name: ['name', '名称', '设备名', '设备名称', '设备'],
  host: ['host', 'ip', 'address', '地址', 'ip地址', '主机'],
  port: ['port', '端口'],
  unitId: ['unitid', 'unit', 'slave', 'slaveid', '从站', '从站地址', '站号'],
  serial: ['serial', 'serialport', '串口'],
  baudRate: ['baudrate', 'baud', '波特率'],
  parity: ['parity', '校验', '校验位'],
  dataBits: ['databits', '数据位'],
  stopBits: ['stopbits', '停止位'],
  protocol: ['protocol', '协议'],
  byteOrder: ['byteorder', '字节序'],
  intervalMs: ['intervalms', 'interval', '轮询周期', '轮询周期ms'],
  timeoutMs: ['timeoutms', 'timeout', '超时', '超时ms'],
  pipeline: ['pipeline'],
  group: ['group', 'devicegroup', '设备组'],
};

// Spreadsheets write "Unit ID", "unit_id", "从站地址(1-247)"… : case, spaces, "_", "-" and brackets do not count.
const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s_\-()（）]/g, '');
const byAlias = new Map<string, DeviceCsvField>(Object.entries(DEVICE_CSV_ALIASES).flatMap(([f, words]) => words.map((w) => [fold(w), f as DeviceCsvField] as const)));

/** The column a header cell names, or undefined for an unknown one. */
export function deviceCsvField(header: string): DeviceCsvField | undefined {
  return byAlias.get(fold(header));
}
