/**
 * Modbus framing for the simulator: RTU frames (unit, PDU, CRC-16) and TCP frames (MBAP header,
 * unit, PDU). Pure byte work, so the responder can answer in the same tick a request arrives.
 */

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** Modbus CRC-16 (poly 0xA001, init 0xFFFF); sent low byte first. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Appends unit and CRC to a PDU. */
export function rtuFrame(unit: number, pdu: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(pdu.length + 3);
  out[0] = unit;
  out.set(pdu, 1);
  const crc = crc16(out, 0, pdu.length + 1);
  out[pdu.length + 1] = crc & 0xff;
  out[pdu.length + 2] = crc >> 8;
  return out;
}

/** Prepends the MBAP header (transaction, protocol 0, length) and unit to a PDU. */
export function tcpFrame(transaction: number, unit: number, pdu: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(pdu.length + 7);
  out.writeUInt16BE(transaction, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pdu.length + 1, 4);
  out[6] = unit;
  out.set(pdu, 7);
  return out;
}

/**
 * The length of the RTU request frame starting at `at`, or 0 when more bytes are needed, or -1
 * when the function code is not one a request can have (the caller skips a byte to resync).
 */
export function rtuRequestLength(buf: Uint8Array, at: number): number {
  if (buf.length - at < 2) return 0;
  const fc = buf[at + 1]!;
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return 8;
    case 15:
    case 16:
      if (buf.length - at < 7) return 0;
      return 9 + buf[at + 6]!;
    case 22:
      return 10;
    default:
      return -1;
  }
}
