export type Quality = 'good' | 'bad' | 'uncertain';
export const QUALITIES: readonly Quality[] = ['good', 'bad', 'uncertain'];

/**
 * What flows along an edge. Messages are frozen: a node that wants a different message makes
 * a new one (see `deriveMessage`), so one message can go to many targets without copies.
 */
export interface Message {
  readonly ts: number;
  readonly topic: string;
  readonly payload: unknown;
  readonly device?: string;
  readonly quality: Quality;
}

export interface MessageFields {
  ts?: number;
  topic?: string;
  payload?: unknown;
  device?: string | undefined;
  quality?: Quality;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else if (!ArrayBuffer.isView(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
}

/** Builds a frozen message; `now` supplies `ts` when the fields do not. */
export function createMessage(fields: MessageFields, now: number): Message {
  const payload = fields.payload;
  if (typeof payload === 'object') deepFreeze(payload);
  const msg: Message = fields.device === undefined
    ? { ts: fields.ts ?? now, topic: fields.topic ?? '', payload, quality: fields.quality ?? 'good' }
    : { ts: fields.ts ?? now, topic: fields.topic ?? '', payload, device: fields.device, quality: fields.quality ?? 'good' };
  return Object.freeze(msg);
}

/** A new message that keeps every field of `base` except those given. */
export function deriveMessage(base: Message, fields: MessageFields): Message {
  const device = 'device' in fields ? fields.device : base.device;
  const payload = 'payload' in fields ? fields.payload : base.payload;
  if (typeof payload === 'object') deepFreeze(payload);
  const msg: Message = device === undefined
    ? { ts: fields.ts ?? base.ts, topic: fields.topic ?? base.topic, payload, quality: fields.quality ?? base.quality }
    : { ts: fields.ts ?? base.ts, topic: fields.topic ?? base.topic, payload, device, quality: fields.quality ?? base.quality };
  return Object.freeze(msg);
}

export function isQuality(value: unknown): value is Quality {
  return value === 'good' || value === 'bad' || value === 'uncertain';
}
