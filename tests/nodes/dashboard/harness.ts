import { createRegistry } from '../../../nodes/registry';
import type { AnyNodeType } from '../../../nodes/sdk';
import type { WidgetEvent, WidgetSnapshot, View } from '../../../nodes/dashboard/widget-patch';
import { applyPatch } from '../../../nodes/dashboard/widget-patch';
import type { Engine } from '../../../runtime/engine/engine';
import { createEngine } from '../../../runtime/engine/engine';
import type { VirtualClock } from '../../../runtime/engine/clock';
import { createVirtualClock } from '../../../runtime/engine/clock';
import type { MessageFields } from '../../../runtime/model';
import { flowOf } from '../../helpers/flow';

export const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);

export interface WidgetHarness {
  readonly engine: Engine;
  readonly clock: VirtualClock;
  /** Every `widget` event, in order. */
  readonly events: WidgetEvent[];
  send(...fields: MessageFields[]): Promise<void>;
  sendTo(port: string, ...fields: MessageFields[]): Promise<void>;
  advance(ms: number): Promise<void>;
  /** What `inspect()` gives a page that opens now. */
  snapshot<V = View>(): WidgetSnapshot<V>;
  /** What a browser that loaded the first snapshot and applied every event has now. */
  replayed(): View;
}

/** One widget node in a real engine with a virtual clock; `state` persists node state across deploys like a store would. */
export async function widgetHarness(type: AnyNodeType, config: Record<string, unknown>, options: { kv?: Map<string, unknown>; clock?: VirtualClock } = {}): Promise<WidgetHarness> {
  const clock = options.clock ?? createVirtualClock(T0);
  const kv = options.kv ?? new Map<string, unknown>();
  const engine = createEngine({
    registry: createRegistry([type]),
    clock,
    stateStore: { kvGet: (scope, key) => kv.get(`${scope}|${key}`), kvSet: (scope, key, value) => void kv.set(`${scope}|${key}`, value) },
  });
  const events: WidgetEvent[] = [];
  engine.subscribe((e) => {
    if (e.type === 'node-event' && e.kind === 'widget') events.push(e.data as WidgetEvent);
  });
  await engine.deploy(flowOf('f', [{ id: 'w', type: type.definition.type, config }]));
  const first = engine.inspect('f', 'w') as WidgetSnapshot;
  const sendTo = async (port: string, ...all: MessageFields[]) => {
    for (const fields of all) engine.inject('f', 'w', fields, port);
    await engine.idle();
  };
  return {
    engine,
    clock,
    events,
    send: (...all) => sendTo(type.definition.inputs[0]!.name, ...all),
    sendTo,
    advance: (ms) => clock.advance(ms, () => engine.idle()),
    snapshot: <V = View>() => engine.inspect('f', 'w') as WidgetSnapshot<V>,
    replayed: () => events.filter((e) => e.seq > first.seq).reduce((v, e) => applyPatch(v, e.patch), first.view),
  };
}
