import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import { createWidgetPublisher } from '../widget-kit';
import { append, set } from '../widget-patch';
import type { PatchOp } from '../widget-patch';
import { tableDefinition } from './definition';

export interface TableRow {
  readonly key: string;
  readonly ts: number;
  readonly quality: Message['quality'];
  /** Parallel to the configured columns; objects are shown as JSON. */
  readonly cells: readonly unknown[];
}

export interface TableView {
  /** Keyed rows, in the order they first appeared. */
  readonly rows?: Readonly<Record<string, TableRow>>;
  /** `rowKey: none`: the latest messages, oldest first. */
  readonly log?: readonly TableRow[];
}

const FIELDS = new Set(['device', 'topic', 'ts', 'quality']);

export const table = defineNode(tableDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs);
  const keys: string[] = [];

  const cellOf = (msg: Message, property: string) => {
    const value = FIELDS.has(property) ? (msg as unknown as Record<string, unknown>)[property] : readPath(msg, property);
    return value === undefined ? null : value;
  };

  return {
    onBatch(msgs) {
      const ops: PatchOp[] = [];
      const log: TableRow[] = [];
      for (const msg of msgs) {
        const key = config.rowKey === 'device' ? msg.device ?? '' : config.rowKey === 'topic' ? msg.topic : String(msg.ts);
        const row: TableRow = { key, ts: msg.ts, quality: msg.quality, cells: config.columns.map((c) => cellOf(msg, c.property)) };
        if (config.rowKey === 'none') {
          log.push(row);
          continue;
        }
        if (!keys.includes(key)) {
          if (keys.length >= config.maxRows) continue;
          keys.push(key);
        }
        ops.push(set(['rows', key], row));
      }
      if (log.length > 0) ops.push(append(['log'], log, config.maxRows));
      out.update(ops);
    },
    inspect: () => out.snapshot(),
  };
});
