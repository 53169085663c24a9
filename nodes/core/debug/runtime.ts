import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import { debugDefinition } from './definition';

/** One line of the debug panel. */
export interface DebugEntry {
  readonly ts: number;
  readonly topic: string;
  readonly device?: string;
  readonly quality: Message['quality'];
  /** The whole message, or the value at the configured property. */
  readonly value: unknown;
}

/** A live `debug` event: an entry, plus how many entries were not pushed since the last one. */
export interface DebugEvent extends DebugEntry {
  readonly skipped?: number;
}

const WINDOW_MS = 1000;

export const debug = defineNode(debugDefinition, (config, ctx) => {
  // An inactive node takes no onMessage, so the engine discards its input at once.
  if (!config.active) return { inspect: (): DebugEntry[] => [] };

  const ring: DebugEntry[] = [];
  let next = 0;
  let windowStart = -Infinity;
  let sentInWindow = 0;
  let skipped = 0;

  return {
    onMessage(msg: Message) {
      const value = config.wholeMessage ? msg : readPath(msg, config.property);
      const entry: DebugEntry = Object.freeze(msg.device === undefined
        ? { ts: msg.ts, topic: msg.topic, quality: msg.quality, value }
        : { ts: msg.ts, topic: msg.topic, device: msg.device, quality: msg.quality, value });
      if (ring.length < config.bufferSize) ring.push(entry);
      else ring[next] = entry;
      next = (next + 1) % config.bufferSize;

      const now = ctx.clock.now();
      if (now - windowStart >= WINDOW_MS) {
        windowStart = now;
        sentInWindow = 0;
      }
      if (sentInWindow >= config.maxPerSecond) {
        skipped++;
        return;
      }
      sentInWindow++;
      const event: DebugEvent = skipped > 0 ? { ...entry, skipped } : entry;
      skipped = 0;
      ctx.emit('debug', event);
    },

    /** Newest last. */
    inspect(): DebugEntry[] {
      return ring.length < config.bufferSize ? ring.slice() : [...ring.slice(next), ...ring.slice(0, next)];
    },
  };
});
