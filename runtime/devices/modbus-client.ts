/**
 * The one place that touches modbus-serial: opens a Modbus TCP, RTU-over-TCP or serial RTU
 * connection and performs single requests on it.
 *
 * What modbus-serial 8.0 does, checked against its source, and what this file adds:
 * - No timeout unless one is set: every request here sets one.
 * - Requests on a serial port are not serialised by the library (one transaction slot is
 *   reused); the caller (line.ts) sends one at a time.
 * - The RTU ports keep unmatched bytes in an internal buffer across requests and scan it for
 *   the next expected unit + function code; a late reply to a timed-out request is then taken
 *   as the answer to the next request with the same shape. This file exposes `lastRxAt` and
 *   `discardInput()` so the line can wait for silence after a timeout and empty that buffer
 *   before each request.
 * - A pending request is never failed when the connection closes (only its timer does); this
 *   file fails it at once.
 * - Modbus TCP frames are cut by the MBAP length; a device that lies about it desynchronises
 *   the stream. Any protocol error is reported as such so the line reconnects.
 * - Answers are checked for the size asked for: a short or long byte count is a protocol error,
 *   never a shorter list of values.
 * - The RTU-over-TCP port clears its expectation after handing a frame on; answers are passed
 *   to the caller on a microtask so the next request is never sent from inside that hand-off.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type ModbusRTU from 'modbus-serial';
import type { Area, SerialLine } from '../model/device-profile';
import type { Text } from '../model/text';

export type Endpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'rtu-over-tcp'; readonly host: string; readonly port: number }
  | ({ readonly kind: 'serial' } & SerialLine);

export function describeEndpoint(e: Endpoint): string {
  if (e.kind === 'serial') return `${e.path} ${e.baudRate} ${e.dataBits}${e.parity[0]!.toUpperCase()}${e.stopBits}`;
  return `${e.kind === 'tcp' ? 'tcp' : 'rtu+tcp'}://${e.host}:${e.port}`;
}

export function endpointKey(e: Endpoint): string {
  return e.kind === 'serial' ? `serial:${e.path}` : `${e.kind}:${e.host}:${e.port}`;
}

/** Serial lines and transparent serial servers carry one request at a time and need draining. */
export function isRtu(e: Endpoint): boolean {
  return e.kind !== 'tcp';
}

export type ModbusErrorKind = 'timeout' | 'exception' | 'protocol' | 'connection';

const EXCEPTIONS: Record<number, Text> = {
  1: { zh: '非法功能码', en: 'illegal function' },
  2: { zh: '非法数据地址', en: 'illegal data address' },
  3: { zh: '非法数据值', en: 'illegal data value' },
  4: { zh: '从站设备故障', en: 'server device failure' },
  5: { zh: '确认（稍后再取）', en: 'acknowledge' },
  6: { zh: '从站设备忙', en: 'server device busy' },
  8: { zh: '存储奇偶校验错误', en: 'memory parity error' },
  10: { zh: '网关路径不可用', en: 'gateway path unavailable' },
  11: { zh: '网关目标设备无响应', en: 'gateway target device failed to respond' },
};

/** A failed request, with why in both languages. */
export class ModbusError extends Error {
  constructor(readonly kind: ModbusErrorKind, readonly text: Text, readonly code?: number) {
    super(text.en);
    this.name = 'ModbusError';
  }
}

export function timeoutError(ms: number): ModbusError {
  return new ModbusError('timeout', { zh: `${ms} ms 内无应答`, en: `no answer within ${ms} ms` });
}

export function exceptionError(code: number): ModbusError {
  const what = EXCEPTIONS[code] ?? { zh: '未知异常', en: 'unknown exception' };
  return new ModbusError('exception', { zh: `设备返回异常码 ${code}（${what.zh}）`, en: `device answered exception ${code} (${what.en})` }, code);
}

function protocolError(en: string, zh: string): ModbusError {
  return new ModbusError('protocol', { zh: `应答格式错误：${zh}`, en: `malformed answer: ${en}` });
}

function connectionError(why: string): ModbusError {
  return new ModbusError('connection', { zh: `连接失败：${why}`, en: `connection failed: ${why}` });
}

const CLOSED = () => new ModbusError('connection', { zh: '连接已断开', en: 'connection closed' });

/** Maps modbus-serial's errors (plain objects with name/errno/message) onto our kinds. */
function classify(err: unknown, timeoutMs: number): ModbusError {
  if (err instanceof ModbusError) return err;
  const e = (err ?? {}) as { name?: string; errno?: string; message?: string; modbusCode?: number };
  if (typeof e.modbusCode === 'number') return exceptionError(e.modbusCode);
  if (e.errno === 'ETIMEDOUT' || e.name === 'TransactionTimedOutError') return timeoutError(timeoutMs);
  const msg = e.message ?? String(err);
  if (/CRC error|Data length error|Unexpected data error/.test(msg)) return protocolError(msg, msg.replace('CRC error', 'CRC 校验错误').replace('Data length error', '长度错误').replace('Unexpected data error', '意外数据'));
  if (msg === 'Port Not Open') return CLOSED();
  return connectionError(msg);
}

type Callback<T> = (err: ModbusError | null, value?: T) => void;

interface RawRead {
  buffer?: Buffer;
  data?: unknown[];
}

/** The modbus-serial port fields this file relies on; checked when a connection opens. */
interface PortInternals {
  _client?: EventEmitter;
  _buffer?: Buffer;
  _clientRcvData?: Buffer;
}

export interface ModbusClient {
  readonly endpoint: Endpoint;
  readonly open: boolean;
  /** performance.now() of the last byte received. */
  readonly lastRxAt: number;
  /** Input registers or holding registers: resolves with 2 × count bytes in wire order. */
  readRegisters(unit: number, area: 'input' | 'holding', start: number, count: number, timeoutMs: number, cb: Callback<Uint8Array>): void;
  /** Coils or discrete inputs: resolves with `count` booleans. */
  readBits(unit: number, area: 'coil' | 'discrete', start: number, count: number, timeoutMs: number, cb: Callback<boolean[]>): void;
  writeCoil(unit: number, address: number, value: boolean, timeoutMs: number, cb: Callback<void>): void;
  /** One register with FC6, more with FC16; `bytes` in wire order. */
  writeRegisters(unit: number, address: number, bytes: Uint8Array, timeoutMs: number, cb: Callback<void>): void;
  /** FC22: sets or clears bits of one register without touching the others. */
  maskWrite(unit: number, address: number, andMask: number, orMask: number, timeoutMs: number, cb: Callback<void>): void;
  /** RTU: forgets bytes received but not yet matched to a request. */
  discardInput(): void;
  /** TCP: bytes of an unfinished frame (a desynchronised stream when no request waits). */
  pendingBytes(): number;
  onClose(listener: (why: ModbusError) => void): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly connectTimeoutMs?: number;
}

// modbus-serial (with serialport and its native binding) is loaded at the first connection, not
// with the runtime: a flow without Modbus devices never pays for it (~5 MB of resident memory).
let modbusRTU: typeof ModbusRTU | undefined;
function loadModbusRTU(): typeof ModbusRTU {
  return (modbusRTU ??= createRequire(import.meta.url)('modbus-serial') as typeof ModbusRTU);
}

/** Opens a connection; rejects with a ModbusError of kind `connection`. */
export function openModbusClient(endpoint: Endpoint, options: OpenOptions = {}): Promise<ModbusClient> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const Client = loadModbusRTU();
  const client = new Client();
  // Without a listener a serial error event would throw.
  client.on('error', () => {});
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      destroy(client);
      reject(connectionError(`no connection within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    const opened = (err: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        destroy(client);
        const e = err as { message?: string; code?: string };
        reject(connectionError(e.code ?? e.message ?? String(err)));
        return;
      }
      try {
        resolve(wrap(client, endpoint));
      } catch (wrapErr) {
        destroy(client);
        reject(wrapErr instanceof ModbusError ? wrapErr : connectionError(String(wrapErr)));
      }
    };
    try {
      if (endpoint.kind === 'tcp') void client.connectTCP(endpoint.host, { port: endpoint.port }, opened);
      else if (endpoint.kind === 'rtu-over-tcp') void client.connectTelnet(endpoint.host, { port: endpoint.port }, opened);
      else {
        void client.connectRTUBuffered(endpoint.path, {
          baudRate: endpoint.baudRate,
          parity: endpoint.parity,
          dataBits: endpoint.dataBits,
          stopBits: endpoint.stopBits,
        }, opened);
      }
    } catch (err) {
      opened(err ?? new Error('connect failed'));
    }
  });
}

function destroy(client: ModbusRTU): void {
  try {
    const port = (client as unknown as { _port?: { destroy?: unknown } })._port;
    if (port && typeof port.destroy === 'function') client.destroy(() => {});
    else if (port) client.close(() => {});
  } catch {
    // Already gone.
  }
}

function wrap(client: ModbusRTU, endpoint: Endpoint): ModbusClient {
  const port = (client as unknown as { _port: PortInternals })._port;
  const socket = port._client;
  if (!socket || typeof socket.on !== 'function' || (isRtu(endpoint) && !Buffer.isBuffer(port._buffer))) {
    // The drain guarantee rests on these fields; refuse rather than poll without it.
    throw connectionError('unsupported modbus-serial version (port internals changed)');
  }
  let open = true;
  let lastRxAt = performance.now();
  const inFlight = new Set<() => void>();
  const closeListeners: ((why: ModbusError) => void)[] = [];
  socket.on('data', () => {
    lastRxAt = performance.now();
  });
  const onClosed = () => {
    if (!open) return;
    open = false;
    const why = CLOSED();
    for (const fail of [...inFlight]) fail();
    inFlight.clear();
    for (const l of closeListeners) l(why);
  };
  client.on('close', onClosed);

  /** Runs one request: sets its timeout, settles once, and fails fast when the connection drops. */
  function request<R, T>(timeoutMs: number, cb: Callback<T>, send: (next: (err: unknown, res: R) => void) => void, accept: (res: R) => T | ModbusError): void {
    if (!open) {
      cb(CLOSED());
      return;
    }
    let settled = false;
    const fail = () => {
      if (settled) return;
      settled = true;
      cb(CLOSED());
    };
    inFlight.add(fail);
    client.setTimeout(timeoutMs);
    try {
      send((err, res) => {
        if (settled) return;
        settled = true;
        inFlight.delete(fail);
        let value: T | ModbusError;
        if (err) value = classify(err, timeoutMs);
        else {
          try {
            value = accept(res);
          } catch (e) {
            value = protocolError(String(e), String(e));
          }
        }
        // Answers are handed on after modbus-serial has finished with the frame: its RTU-over-TCP
        // port resets the expected unit/function/length *after* emitting a frame, so a request
        // sent from inside this callback would have its expectation wiped and time out.
        queueMicrotask(() => {
          if (value instanceof ModbusError) cb(value);
          else cb(null, value);
        });
      });
    } catch (err) {
      if (!settled) {
        settled = true;
        inFlight.delete(fail);
        cb(classify(err, timeoutMs));
      }
    }
  }

  return {
    endpoint,
    get open() {
      return open;
    },
    get lastRxAt() {
      return lastRxAt;
    },
    readRegisters(unit, area, start, count, timeoutMs, cb) {
      request<RawRead, Uint8Array>(timeoutMs, cb, (next) => {
        if (area === 'holding') client.writeFC3(unit, start, count, next as never);
        else client.writeFC4(unit, start, count, next as never);
      }, (res) => {
        const buf = res?.buffer;
        if (!buf || buf.length !== 2 * count) {
          return protocolError(`expected ${2 * count} bytes, got ${buf?.length ?? 0}`, `应为 ${2 * count} 字节，实际 ${buf?.length ?? 0} 字节`);
        }
        return buf;
      });
    },
    readBits(unit, area, start, count, timeoutMs, cb) {
      request<RawRead, boolean[]>(timeoutMs, cb, (next) => {
        if (area === 'coil') client.writeFC1(unit, start, count, next as never);
        else client.writeFC2(unit, start, count, next as never);
      }, (res) => {
        const buf = res?.buffer;
        const bytes = Math.ceil(count / 8);
        if (!buf || buf.length !== bytes || !Array.isArray(res.data)) {
          return protocolError(`expected ${bytes} bytes, got ${buf?.length ?? 0}`, `应为 ${bytes} 字节，实际 ${buf?.length ?? 0} 字节`);
        }
        return (res.data as boolean[]).slice(0, count);
      });
    },
    writeCoil(unit, address, value, timeoutMs, cb) {
      request<{ address?: number; state?: boolean }, void>(timeoutMs, cb, (next) => client.writeFC5(unit, address, value, next as never), (res) => {
        if (res?.address !== address || res.state !== value) return protocolError('write echo differs', '写入回显不一致');
        return undefined;
      });
    },
    writeRegisters(unit, address, bytes, timeoutMs, cb) {
      const words = bytes.length / 2;
      if (words === 1) {
        const value = (bytes[0]! << 8) | bytes[1]!;
        request<{ address?: number; value?: number }, void>(timeoutMs, cb, (next) => client.writeFC6(unit, address, value, next as never), (res) => {
          if (res?.address !== address || res.value !== value) return protocolError('write echo differs', '写入回显不一致');
          return undefined;
        });
        return;
      }
      request<{ address?: number; length?: number }, void>(timeoutMs, cb, (next) => client.writeFC16(unit, address, Buffer.from(bytes) as unknown as number[], next as never), (res) => {
        if (res?.address !== address || res.length !== words) return protocolError('write echo differs', '写入回显不一致');
        return undefined;
      });
    },
    maskWrite(unit, address, andMask, orMask, timeoutMs, cb) {
      request<{ address?: number }, void>(timeoutMs, cb, (next) => client.writeFC22(unit, address, andMask, orMask, next as never), (res) => {
        if (res?.address !== address) return protocolError('write echo differs', '写入回显不一致');
        return undefined;
      });
    },
    discardInput() {
      if (Buffer.isBuffer(port._buffer)) port._buffer = Buffer.alloc(0);
    },
    pendingBytes() {
      return port._clientRcvData?.length ?? port._buffer?.length ?? 0;
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      onClosed();
      destroy(client);
      return Promise.resolve();
    },
  };
}

/** The register (or bit) area a read goes to; exported for the probe and tests. */
export function isBitArea(area: Area): area is 'coil' | 'discrete' {
  return area === 'coil' || area === 'discrete';
}
