import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import type { MachineState } from '../machine-state';
import { stateOf } from '../machine-state';
import { createWidgetPublisher, deviceNames } from '../widget-kit';
import { set } from '../widget-patch';
import type { PatchOp } from '../widget-patch';
import { deviceGridDefinition } from './definition';

export interface DeviceTile {
  readonly state?: MachineState;
  /** When the device entered its state. */
  readonly since?: number;
  /** Its last message. */
  readonly ts?: number;
  readonly quality?: Message['quality'];
  /** Parallel to the configured fields. */
  readonly values: readonly unknown[];
  /** The scalar fields of its last payload, for the detail view. */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

export interface DeviceGridView {
  readonly devices: readonly string[];
  readonly tiles: Readonly<Record<string, DeviceTile>>;
}

/** Fields shown in the detail view; a payload larger than this is cut short. */
const DETAIL_FIELDS = 40;

function detailOf(payload: unknown): Record<string, string | number | boolean | null> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return typeof payload === 'object' && payload !== null ? {} : { payload: payload as string | number | boolean | null };
  }
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, v] of Object.entries(payload)) {
    if (n >= DETAIL_FIELDS) break;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[k] = v;
      n++;
    }
  }
  return out;
}

export const deviceGrid = defineNode(deviceGridDefinition, (config, ctx) => {
  const names = deviceNames(config.devices);
  const tiles = new Map<string, DeviceTile>(names.map((n) => [n, { values: config.fields.map(() => null), detail: {} }]));
  const out = createWidgetPublisher(ctx, config.refreshMs, { devices: names, tiles: Object.fromEntries(tiles) });
  let timer: unknown;

  function put(name: string, tile: DeviceTile, ops: PatchOp[]) {
    if (!tiles.has(name)) {
      tiles.set(name, tile);
      ops.push(set(['devices'], [...tiles.keys()]));
    } else {
      tiles.set(name, tile);
    }
    ops.push(set(['tiles', name], tile));
  }

  function silence() {
    const limit = config.offlineAfterMs!;
    const now = ctx.clock.now();
    const ops: PatchOp[] = [];
    for (const [name, tile] of tiles) {
      if (tile.ts !== undefined && tile.state !== 'offline' && now - tile.ts >= limit) put(name, { ...tile, state: 'offline', since: tile.ts + limit }, ops);
    }
    out.update(ops);
    timer = ctx.clock.setTimeout(silence, Math.min(limit, 5_000));
  }

  return {
    start() {
      if (config.offlineAfterMs !== undefined) timer = ctx.clock.setTimeout(silence, Math.min(config.offlineAfterMs, 5_000));
    },
    onBatch(msgs) {
      const ops: PatchOp[] = [];
      for (const msg of msgs) {
        const name = msg.device ?? '';
        const before = tiles.get(name);
        const state = stateOf(msg, config.stateProperty, config.stateMap) ?? before?.state;
        const since = state !== before?.state ? msg.ts : before?.since;
        put(name, {
          ...(state === undefined ? {} : { state }),
          ...(since === undefined ? {} : { since }),
          ts: msg.ts,
          quality: msg.quality,
          values: config.fields.map((f) => readPath(msg, f.property) ?? null),
          detail: detailOf(msg.payload),
        }, ops);
      }
      out.update(ops);
    },
    stop() {
      if (timer !== undefined) ctx.clock.clearTimeout(timer);
    },
    inspect: () => out.snapshot(),
  };
});
