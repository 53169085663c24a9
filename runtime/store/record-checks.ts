import type { AlarmRecord, SiteEvent } from '../../nodes/sdk';

const SEVERITIES = new Set(['info', 'warning', 'critical']);

const isText = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { zh?: unknown }).zh === 'string' && typeof (v as { en?: unknown }).en === 'string';
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);
const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number';
const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * Why an alarm transition cannot be stored, or undefined when it can. Checked on arrival: a
 * record the table would refuse must not sit in the buffer and fail every flush after it.
 */
export function alarmProblem(a: AlarmRecord): string | undefined {
  if (a === null || typeof a !== 'object') return 'not an object';
  if (a.event !== 'raised' && a.event !== 'cleared') return `event must be "raised" or "cleared", not ${JSON.stringify(a.event)}`;
  if (typeof a.code !== 'string' || a.code === '') return 'code must be a non-empty string';
  if (!SEVERITIES.has(a.severity)) return `severity must be info, warning or critical, not ${JSON.stringify(a.severity)}`;
  if (!isTime(a.at)) return 'at must be a time in ms';
  if (typeof a.source !== 'string') return 'source must be a string';
  if (!optional(a.device, isString) || !optional(a.kind, isString)) return 'device and kind must be strings';
  if (!optional(a.value, isNumber) || !optional(a.limit, isNumber)) return 'value and limit must be numbers';
  if (!optional(a.text, isText)) return 'text must be { zh, en }';
  return undefined;
}

/** Why an event cannot be stored, or undefined when it can. */
export function eventProblem(e: SiteEvent): string | undefined {
  if (e === null || typeof e !== 'object') return 'not an object';
  if (typeof e.kind !== 'string' || e.kind === '') return 'kind must be a non-empty string';
  if (typeof e.source !== 'string') return 'source must be a string';
  if (!isTime(e.at)) return 'at must be a time in ms';
  if (e.data !== undefined && (e.data === null || typeof e.data !== 'object' || Array.isArray(e.data))) return 'data must be an object';
  return undefined;
}
