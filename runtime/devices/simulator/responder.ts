/**
 * A small Modbus server on node:net that answers in the tick a request arrives (modbus-serial's
 * ServerTCP defers every request by a timer, ≥ 1 ms), in Modbus TCP framing or raw RTU framing
 * (a serial line, or a transparent serial-to-Ethernet server), with per-unit fault switches for
 * tests and commissioning drills.
 */
import net from 'node:net';
import type { Area } from '../../model/device-profile';
import { crc16, rtuFrame, rtuRequestLength, tcpFrame } from './frames';
import type { RegisterBank } from './register-bank';

export type MalformedForm = 'wrong-length' | 'wrong-unit' | 'wrong-function' | 'truncated' | 'garbage';
export const MALFORMED_FORMS: readonly MalformedForm[] = ['wrong-length', 'wrong-unit', 'wrong-function', 'truncated', 'garbage'];

/** How a simulated device misbehaves. */
export type Fault =
  | { readonly kind: 'none' }
  /** Never answers. */
  | { readonly kind: 'silent' }
  /** Answers after `delayMs`; with `poison`, a late register answer carries that value in every register (tests use it to prove no late answer is taken for a newer request). */
  | { readonly kind: 'late'; readonly delayMs: number; readonly poison?: number }
  /** Closes the connection when it gets a request. */
  | { readonly kind: 'close' }
  /** Answers with an exception code. */
  | { readonly kind: 'exception'; readonly code: number }
  /** Answers with a broken frame. */
  | { readonly kind: 'malformed'; readonly form: MalformedForm };

export const NO_FAULT: Fault = { kind: 'none' };

export interface SimUnit {
  readonly bank: RegisterBank;
  fault: Fault;
  /** Requests received and answered, for tests and the bench. */
  received: number;
  answered: number;
  /** After a client write changed the bank. */
  onWrite?: (area: Area, start: number, count: number) => void;
}

export type Framing = 'tcp' | 'rtu';

/** Looks up the device behind a unit id; undefined: nobody answers (RTU) or a gateway exception (TCP). */
export type UnitLookup = (unit: number) => SimUnit | undefined;

function exception(fc: number, code: number): Uint8Array {
  return Uint8Array.of(fc | 0x80, code);
}

/** Answers one request PDU from the unit's memory. */
export function answerPdu(unit: SimUnit, pdu: Uint8Array): Uint8Array {
  const fc = pdu[0]!;
  const bank = unit.bank;
  const u16 = (i: number) => (pdu[i]! << 8) | pdu[i + 1]!;
  switch (fc) {
    case 1:
    case 2: {
      if (pdu.length < 5) return exception(fc, 3);
      const start = u16(1);
      const qty = u16(3);
      if (qty < 1 || qty > 2000) return exception(fc, 3);
      const area = fc === 1 ? 'coil' : 'discrete';
      if (!bank.exists(area, start, qty)) return exception(fc, 2);
      const bits = bank.bits(area);
      const n = Math.ceil(qty / 8);
      const out = new Uint8Array(2 + n);
      out[0] = fc;
      out[1] = n;
      for (let i = 0; i < qty; i++) if (bits[start + i]) out[2 + (i >> 3)]! |= 1 << (i & 7);
      return out;
    }
    case 3:
    case 4: {
      if (pdu.length < 5) return exception(fc, 3);
      const start = u16(1);
      const qty = u16(3);
      if (qty < 1 || qty > 125) return exception(fc, 3);
      const area = fc === 3 ? 'holding' : 'input';
      if (!bank.exists(area, start, qty)) return exception(fc, 2);
      const regs = bank.registers(area);
      const out = new Uint8Array(2 + 2 * qty);
      out[0] = fc;
      out[1] = 2 * qty;
      for (let i = 0; i < qty; i++) {
        const v = regs[start + i]!;
        out[2 + 2 * i] = v >> 8;
        out[3 + 2 * i] = v & 0xff;
      }
      return out;
    }
    case 5: {
      const addr = u16(1);
      const v = u16(3);
      if (v !== 0xff00 && v !== 0) return exception(fc, 3);
      if (!bank.exists('coil', addr, 1)) return exception(fc, 2);
      bank.coils[addr] = v === 0xff00 ? 1 : 0;
      unit.onWrite?.('coil', addr, 1);
      return pdu.slice(0, 5);
    }
    case 6: {
      const addr = u16(1);
      if (!bank.exists('holding', addr, 1)) return exception(fc, 2);
      bank.holding[addr] = u16(3);
      unit.onWrite?.('holding', addr, 1);
      return pdu.slice(0, 5);
    }
    case 15: {
      const addr = u16(1);
      const qty = u16(3);
      if (qty < 1 || qty > 1968 || pdu[5] !== Math.ceil(qty / 8)) return exception(fc, 3);
      if (!bank.exists('coil', addr, qty)) return exception(fc, 2);
      for (let i = 0; i < qty; i++) bank.coils[addr + i] = (pdu[6 + (i >> 3)]! >> (i & 7)) & 1;
      unit.onWrite?.('coil', addr, qty);
      return pdu.slice(0, 5);
    }
    case 16: {
      const addr = u16(1);
      const qty = u16(3);
      if (qty < 1 || qty > 123 || pdu[5] !== 2 * qty) return exception(fc, 3);
      if (!bank.exists('holding', addr, qty)) return exception(fc, 2);
      for (let i = 0; i < qty; i++) bank.holding[addr + i] = u16(6 + 2 * i);
      unit.onWrite?.('holding', addr, qty);
      return pdu.slice(0, 5);
    }
    case 22: {
      const addr = u16(1);
      if (!bank.exists('holding', addr, 1)) return exception(fc, 2);
      const and = u16(3);
      const or = u16(5);
      bank.holding[addr] = (bank.holding[addr]! & and) | (or & ~and & 0xffff);
      unit.onWrite?.('holding', addr, 1);
      return pdu.slice(0, 7);
    }
    default:
      return exception(fc, 1);
  }
}

const WRONG_FUNCTION: Record<number, number> = { 1: 2, 2: 1, 3: 4, 4: 3, 5: 6, 6: 5, 15: 16, 16: 15, 22: 23 };

/** A duplex byte stream: a socket, or a pseudo-terminal. */
export interface ByteStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  write(chunk: Uint8Array): unknown;
  destroy(): unknown;
}

/** Garbage that is the same on every run: a per-connection xorshift. */
function garbage(length: number, state: { seed: number }): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    let x = state.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state.seed = x >>> 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Serves Modbus on a byte stream. Answers go out in one write per received chunk, so a
 * pipelining client gets its answers in one segment.
 */
export function attachResponder(stream: ByteStream, framing: Framing, lookup: UnitLookup, options: { gateway?: boolean } = {}): { close(): void } {
  let pending: Buffer | undefined;
  let closed = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const noise = { seed: 0x2545f491 };

  const frame = (transaction: number, unit: number, pdu: Uint8Array) => (framing === 'tcp' ? tcpFrame(transaction, unit, pdu) : rtuFrame(unit, pdu));

  /** Builds the answer to one request, fault applied; undefined: say nothing. */
  function respond(transaction: number, unitId: number, pdu: Uint8Array, out: Buffer[]): void {
    const unit = lookup(unitId);
    if (!unit) {
      // A Modbus TCP gateway says its target did not answer; on a serial line nobody answers.
      if (framing === 'tcp' && options.gateway) out.push(frame(transaction, unitId, exception(pdu[0]!, 11)));
      return;
    }
    unit.received++;
    const fault = unit.fault;
    switch (fault.kind) {
      case 'silent':
        return;
      case 'close':
        closed = true;
        stream.destroy();
        return;
      case 'exception':
        unit.answered++;
        out.push(frame(transaction, unitId, exception(pdu[0]!, fault.code)));
        return;
      case 'late': {
        let answer = answerPdu(unit, pdu);
        if (fault.poison !== undefined && (answer[0] === 3 || answer[0] === 4)) {
          answer = Uint8Array.from(answer);
          for (let i = 2; i + 1 < answer.length; i += 2) {
            answer[i] = (fault.poison >> 8) & 0xff;
            answer[i + 1] = fault.poison & 0xff;
          }
        }
        const bytes = frame(transaction, unitId, answer);
        const t = setTimeout(() => {
          timers.delete(t);
          if (!closed) {
            unit.answered++;
            stream.write(bytes);
          }
        }, fault.delayMs);
        timers.add(t);
        return;
      }
      case 'malformed': {
        unit.answered++;
        const answer = answerPdu(unit, pdu);
        switch (fault.form) {
          case 'wrong-length': {
            // A well-framed answer with one value fewer than asked for.
            const fc = answer[0]!;
            if (fc <= 4 && answer.length > 3) {
              const cut = fc <= 2 ? 1 : 2;
              const short = Uint8Array.from(answer.subarray(0, answer.length - cut));
              short[1] = answer[1]! - cut;
              out.push(frame(transaction, unitId, short));
            } else out.push(frame(transaction, unitId, answer.subarray(0, Math.max(1, answer.length - 2))));
            return;
          }
          case 'wrong-unit':
            out.push(frame(transaction, (unitId + 1) & 0xff, answer));
            return;
          case 'wrong-function': {
            const other = Uint8Array.from(answer);
            other[0] = WRONG_FUNCTION[answer[0]! & 0x7f] ?? 0x41;
            out.push(frame(transaction, unitId, other));
            return;
          }
          case 'truncated': {
            const whole = frame(transaction, unitId, answer);
            out.push(whole.subarray(0, Math.max(1, whole.length >> 1)));
            return;
          }
          case 'garbage':
            out.push(garbage(frame(transaction, unitId, answer).length, noise));
            return;
        }
        return;
      }
      case 'none':
        unit.answered++;
        out.push(frame(transaction, unitId, answerPdu(unit, pdu)));
        return;
    }
  }

  stream.on('data', (chunk: Buffer) => {
    if (closed) return;
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    const out: Buffer[] = [];
    let at = 0;
    if (framing === 'tcp') {
      while (buf.length - at >= 8) {
        const len = buf.readUInt16BE(at + 4);
        if (buf.readUInt16BE(at + 2) !== 0 || len < 2 || len > 254) {
          // Not Modbus: a real device drops the connection.
          closed = true;
          stream.destroy();
          return;
        }
        if (buf.length - at < 6 + len) break;
        respond(buf.readUInt16BE(at), buf[at + 6]!, buf.subarray(at + 7, at + 6 + len), out);
        if (closed) return;
        at += 6 + len;
      }
    } else {
      while (buf.length - at >= 4) {
        const len = rtuRequestLength(buf, at);
        if (len === 0) break;
        if (len < 0 || (len > 0 && buf.length - at >= len && crc16(buf, at, at + len) !== 0)) {
          at++; // resynchronise on the next byte, as a serial device does after noise
          continue;
        }
        if (buf.length - at < len) break;
        respond(0, buf[at]!, buf.subarray(at + 1, at + len - 2), out);
        if (closed) return;
        at += len;
      }
    }
    if (at < buf.length) pending = Buffer.from(buf.subarray(at));
    if (out.length === 1) stream.write(out[0]!);
    else if (out.length > 1) stream.write(Buffer.concat(out));
  });

  return {
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export interface ModbusServer {
  readonly host: string;
  readonly port: number;
  readonly framing: Framing;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
  /** Drops every open connection but keeps listening. */
  dropConnections(): void;
  readonly connections: number;
}

/** Listens on host:port (0 picks a free port) and serves every connection with {@link attachResponder}. */
export function serveModbus(options: { host?: string; port?: number; framing: Framing; lookup: UnitLookup; gateway?: boolean }): Promise<ModbusServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    const r = attachResponder(socket, options.framing, options.lookup, options.gateway === undefined ? {} : { gateway: options.gateway });
    socket.on('error', () => {});
    socket.on('close', () => {
      r.close();
      sockets.delete(socket);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      const address = server.address() as net.AddressInfo;
      resolve({
        host,
        port: address.port,
        framing: options.framing,
        get connections() {
          return sockets.size;
        },
        dropConnections() {
          for (const s of sockets) s.destroy();
        },
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
