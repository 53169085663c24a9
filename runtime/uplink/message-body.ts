import type { Message } from '../model';
import type { OutboundRow } from '../store/outbound-queue';

/** A message as the platform receives it, without its id (the queue row gives that). */
export function messageBody(msg: Message, stream: string, granularity: string): string {
  return JSON.stringify({
    stream,
    granularity,
    device: msg.device ?? null,
    tag: msg.topic,
    ts: msg.ts,
    value: msg.payload === undefined ? null : msg.payload,
    quality: msg.quality,
  });
}

/** The id a receiver drops duplicates by: unique for good (queue ids are never reused). */
export function messageId(site: string, row: Pick<OutboundRow, 'endpoint' | 'id'>): string {
  return `${site}:${row.endpoint}:${row.id}`;
}

/** The row's body with its id first. */
export function withId(row: OutboundRow, site: string): string {
  return `{"id":${JSON.stringify(messageId(site, row))},${row.body.slice(1)}`;
}

/** Characters MQTT reserves in topics (+, #) or that split levels inside a name (/) become "_". */
function level(value: string): string {
  return value.replace(/[+#/]/g, '_').split(String.fromCharCode(0)).join('_') || '_';
}

/** The topic of a message from an endpoint's template: {site}, {device}, {tag}, {stream}. */
export function topicFor(template: string, v: { site: string; device: string; tag: string; stream: string }): string {
  return template.replace(/\{(site|device|tag|stream)\}/g, (_, k: keyof typeof v) => level(v[k]));
}
