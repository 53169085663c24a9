import { isIP } from 'node:net';
import type { JsonPath, Problem, Text } from '../model';
import { problem } from '../model';

/** Why a host is not a usable address, or undefined when it is one. */
export function hostProblem(host: string): Text | undefined {
  if (isIP(host) !== 0) return undefined;
  if (/^[\d.]+$/.test(host)) {
    const parts = host.split('.');
    const bad = parts.find((p) => p === '' || Number(p) > 255 || (p.length > 1 && p.startsWith('0')));
    if (parts.length !== 4) return { zh: `“${host}” 不是有效的 IPv4 地址（应为四段数字，如 192.168.1.20）`, en: `"${host}" is not a valid IPv4 address (four numbers, like 192.168.1.20)` };
    return { zh: `“${host}” 不是有效的 IPv4 地址（“${bad}” 不在 0～255 之间）`, en: `"${host}" is not a valid IPv4 address ("${bad}" is not 0 to 255)` };
  }
  const labels = host.split('.');
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (host.length > 253 || labels.some((l) => !label.test(l))) {
    return { zh: `“${host}” 既不是 IP 地址也不是有效的主机名`, en: `"${host}" is neither an IP address nor a valid host name` };
  }
  return undefined;
}

export interface DeviceLike {
  readonly name?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
  readonly serial?: unknown;
  readonly unitId?: unknown;
}

/** Where a device field is, for the message: a JSON path, and words that say where in the input. */
export type Locate = (group: string, index: number, field: string) => { path: JsonPath; where: Text; extra?: Record<string, unknown> };

export const jsonLocate: Locate = (group, index, field) => ({ path: ['devices', group, index, field], where: { zh: `devices.${group}[${index}].${field}：`, en: `devices.${group}[${index}].${field}: ` } });

/**
 * What the schema does not see: hosts that are no address, and two devices that would answer to
 * the same Modbus address (same host and port, or same serial line, and the same unit id) or
 * carry the same name anywhere on the site.
 */
export function deviceProblems(devices: Readonly<Record<string, readonly DeviceLike[]>>, locate: Locate = jsonLocate): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, { group: string; index: number }>();
  const addresses = new Map<string, { group: string; index: number }>();
  const at = (group: string, index: number, field: string, code: string, text: Text) => {
    const l = locate(group, index, field);
    problems.push({ ...problem(code, l.path, { zh: `${l.where.zh}${text.zh}`, en: `${l.where.en}${text.en}` }), ...l.extra });
  };
  const other = (o: { group: string; index: number }, field: string) => locate(o.group, o.index, field).where;
  for (const [group, list] of Object.entries(devices)) {
    list.forEach((d, index) => {
      if (typeof d.host === 'string') {
        const bad = hostProblem(d.host);
        if (bad) at(group, index, 'host', 'invalid-address', bad);
      }
      if (typeof d.name === 'string') {
        const first = names.get(d.name);
        if (first) {
          const w = other(first, 'name');
          at(group, index, 'name', 'duplicate-device', { zh: `设备名 “${d.name}” 重复（${w.zh.replace(/：$/, '')}已使用）`, en: `device name "${d.name}" is used twice (already at ${w.en.replace(/: $/, '')})` });
        } else names.set(d.name, { group, index });
      }
      const unit = typeof d.unitId === 'number' ? d.unitId : 1;
      const line = typeof d.host === 'string' ? `${d.host.toLowerCase()}:${typeof d.port === 'number' ? d.port : 502}`
        : typeof d.serial === 'string' ? d.serial
          : typeof d.serial === 'object' && d.serial !== null && typeof (d.serial as { path?: unknown }).path === 'string' ? (d.serial as { path: string }).path : undefined;
      if (line === undefined) return;
      const key = `${line}#${unit}`;
      const first = addresses.get(key);
      if (first) {
        const w = other(first, 'unitId');
        at(group, index, 'unitId', 'duplicate-unit-id', {
          zh: `从站地址 ${unit} 在 ${line} 上重复（${w.zh.replace(/：$/, '')}已使用）：同一线路上两台设备不能用同一个从站地址`,
          en: `unit id ${unit} on ${line} is used twice (already at ${w.en.replace(/: $/, '')}): two devices on one line cannot share a unit id`,
        });
      } else addresses.set(key, { group, index });
    });
  }
  return problems;
}
