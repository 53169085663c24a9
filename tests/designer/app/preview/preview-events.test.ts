import { describe, expect, it } from 'vitest';
import { INITIAL_VIEW, MAX_ENTRIES, entryCounts, previewReducer, visibleEntries } from '../../../../designer/app/preview/preview-events';
import type { PreviewAction, PreviewView } from '../../../../designer/app/preview/preview-events';
import type { PreviewInfo } from '../../../../designer/app/preview/preview-types';

const info: PreviewInfo = {
  id: 'pv_1', replaced: null, source: { kind: 'template', template: 'weaving-waterjet@1.4.0' }, scenarios: ['loom-status', 'stop-alarms'],
  parameters: {}, speed: 60, behaviour: 'steady', startedAt: '2026-11-02T00:00:00.000Z', idleStopMs: 600_000, events: '/api/previews/pv_1/events',
  nodes: [{ flowId: 'stop-alarms', nodeId: 'read', type: 'modbus-read', scenario: 'stop-alarms', inputs: [], outputs: ['out', 'health'] }],
  devices: [{ name: 'looms-01', group: 'looms', profile: 'loom-controller', tags: [] }],
};
const stats = (out: number, state = 'running') => ({ flowId: 'stop-alarms', nodeId: 'read', type: 'modbus-read', state, in: 0, out, errors: 0, dropped: 0, queued: 0, meanMs: 0.2, p99Ms: 1 });
const device = (state: string) => ({ name: 'looms-01', group: 'looms', health: 'online', state, scripted: { state: null, tags: {}, offline: false }, values: { state: 1 } });
const message = (id: number, nodeId = 'read') => ({ type: 'event', event: 'message', id, data: { flowId: 'stop-alarms', nodeId, port: 'out', at: 1000 + id, msg: { ts: 1000 + id, topic: 'looms-01', payload: { state: 1 }, device: 'looms-01', quality: 'good' } } }) as const;
const run = (actions: readonly PreviewAction[], from: PreviewView = INITIAL_VIEW) => actions.reduce(previewReducer, from);

describe('preview event reducer', () => {
  it('starts from the start answer, then takes the snapshot, stats and device states of the stream', () => {
    const v = run([
      { type: 'starting' },
      { type: 'started', info },
      { type: 'event', event: 'preview', data: { ...info, clock: { now: 5, speed: 60, effectiveSpeed: 60 }, stats: [stats(0, 'starting')], deviceStates: [device('running')], alarms: { active: [], recent: [] } } },
      { type: 'event', event: 'stats', data: { clock: { now: 65, speed: 60, effectiveSpeed: 59 }, nodes: [stats(4)] } },
      { type: 'event', event: 'devices', data: { at: 65, devices: [device('fault')] } },
    ]);
    expect(v.status).toBe('running');
    expect(v.info?.id).toBe('pv_1');
    expect(v.clock).toEqual({ now: 65, speed: 60, effectiveSpeed: 59 });
    expect(v.stats['stop-alarms/read']).toMatchObject({ out: 4, state: 'running' });
    expect(v.devices['looms-01']!.state).toBe('fault');
  });

  it('lists messages, debug entries, logs, node states and errors per node; replays after a reconnect are ignored', () => {
    const v = run([
      { type: 'started', info },
      { type: 'event', event: 'stats', data: { clock: { now: 1, speed: 1, effectiveSpeed: 1 }, nodes: [stats(1)] } },
      message(1),
      { type: 'event', event: 'debug', id: 2, data: { flowId: 'stop-alarms', nodeId: 'dbg', at: 2, data: { ts: 2, topic: 't', device: 'looms-01', quality: 'good', value: 42 } } },
      { type: 'event', event: 'log', id: 3, data: { flowId: 'stop-alarms', nodeId: 'rule', at: 3, data: 'hello' } },
      { type: 'event', event: 'node-state', id: 4, data: { flowId: 'stop-alarms', nodeId: 'read', state: 'warning', text: 'slow', at: 4 } },
      { type: 'event', event: 'node-error', id: 5, data: { flowId: 'stop-alarms', nodeId: 'rule', error: 'boom', at: 5 } },
      message(1),
      message(3),
    ]);
    expect(v.entries.map((e) => `${e.kind}:${e.nodeId}`)).toEqual(['message:read', 'debug:dbg', 'log:rule', 'node-state:read', 'node-error:rule']);
    expect(v.entries[1]).toMatchObject({ value: 42, topic: 't', device: 'looms-01' });
    expect(v.entries[3]!.value).toBe('warning · slow');
    // The badge follows a node-state event before the next stats.
    expect(v.stats['stop-alarms/read']!.state).toBe('warning');
    expect(v.lastEventId).toBe(5);
    expect(visibleEntries(v.entries, { flowId: 'stop-alarms', nodeId: 'rule' }).map((e) => e.kind)).toEqual(['node-error', 'log']);
    expect(entryCounts(v.entries)).toEqual({ 'stop-alarms/read': 2, 'stop-alarms/dbg': 1, 'stop-alarms/rule': 2 });
  });

  it('pauses (counting what it leaves out), clears, and keeps at most MAX_ENTRIES', () => {
    let v = run([{ type: 'started', info }, message(1), { type: 'pause', paused: true }, message(2), message(3)]);
    expect(v.entries.length).toBe(1);
    expect(v.missedWhilePaused).toBe(2);
    v = run([{ type: 'pause', paused: false }, message(4)], v);
    expect(v.entries.map((e) => e.id)).toEqual([1, 4]);
    expect(v.missedWhilePaused).toBe(0);
    expect(run([{ type: 'clear' }], v).entries).toEqual([]);
    const many = run(Array.from({ length: MAX_ENTRIES + 20 }, (_, i) => message(i + 1)), run([{ type: 'started', info }]));
    expect(many.entries.length).toBe(MAX_ENTRIES);
    expect(many.entries[0]!.id).toBe(21);
  });

  it('takes a batch of stream events as if one by one', () => {
    const one = run([{ type: 'started', info }, message(1), message(2), message(2), message(3)]);
    const batched = run([{ type: 'started', info }, { type: 'batch', actions: [message(1), message(2), message(2), message(3)] }]);
    expect(batched).toEqual(one);
  });

  it('keeps active alarms by code and device, and the log of transitions', () => {
    const alarm = (event: 'raised' | 'cleared', device: string, id: number) => ({ type: 'event', event: 'alarm', id, data: { event, code: 'loom-stop', device, severity: 'warning', value: 1, limit: 0.5, at: id, source: 'stop-alarms/stop-alarm' } }) as const;
    const v = run([{ type: 'started', info }, alarm('raised', 'looms-01', 1), alarm('raised', 'looms-02', 2), alarm('cleared', 'looms-01', 3)]);
    expect(Object.keys(v.activeAlarms)).toEqual(['loom-stop/looms-02']);
    expect(v.alarmLog.map((a) => `${a.event}:${a.device}`)).toEqual(['raised:looms-01', 'raised:looms-02', 'cleared:looms-01']);
  });

  it('stops on the stopped event, takes a scripted device\'s answer, and starts clean again', () => {
    let v = run([{ type: 'started', info }, message(1), { type: 'device', device: device('fault') }]);
    expect(v.devices['looms-01']!.state).toBe('fault');
    v = run([{ type: 'stopping' }, { type: 'event', event: 'stopped', data: { reason: 'deleted', at: 9 } }], v);
    expect(v.status).toBe('stopped');
    expect(v.stopped?.reason).toBe('deleted');
    v = run([{ type: 'connection', up: false }], v);
    expect(v.disconnected).toBe(true);
    const again = run([{ type: 'starting' }], v);
    expect(again).toMatchObject({ status: 'starting', entries: [], stats: {}, lastEventId: 0, stopped: undefined });
  });
});
