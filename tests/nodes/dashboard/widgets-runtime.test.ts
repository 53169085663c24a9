import { afterEach, describe, expect, it } from 'vitest';
import { alarmList } from '../../../nodes/dashboard/alarm-list/runtime';
import { barChart } from '../../../nodes/dashboard/bar-chart/runtime';
import type { DeviceGridView } from '../../../nodes/dashboard/device-grid/runtime';
import { deviceGrid } from '../../../nodes/dashboard/device-grid/runtime';
import { gauge } from '../../../nodes/dashboard/gauge/runtime';
import type { LineChartView } from '../../../nodes/dashboard/line-chart/runtime';
import { lineChart } from '../../../nodes/dashboard/line-chart/runtime';
import type { StateTimelineView } from '../../../nodes/dashboard/state-timeline/runtime';
import { stateTimeline } from '../../../nodes/dashboard/state-timeline/runtime';
import type { StatView } from '../../../nodes/dashboard/stat/runtime';
import { stat } from '../../../nodes/dashboard/stat/runtime';
import type { TableView } from '../../../nodes/dashboard/table/runtime';
import { table } from '../../../nodes/dashboard/table/runtime';
import { text } from '../../../nodes/dashboard/text/runtime';
import { createVirtualClock } from '../../../runtime/engine/clock';
import type { WidgetHarness } from './harness';
import { T0, widgetHarness } from './harness';

const open: WidgetHarness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.engine.stop()));
});

async function harness(...args: Parameters<typeof widgetHarness>) {
  const h = await widgetHarness(...args);
  open.push(h);
  return h;
}

describe('gauge', () => {
  it("shows the latest value of its device; bad data shows as no value", async () => {
    const h = await harness(gauge, { property: 'payload.temp', device: 'm1' });
    await h.send({ device: 'm1', payload: { temp: 218.5 } }, { device: 'm2', payload: { temp: 999 } });
    expect(h.snapshot().view).toMatchObject({ value: 218.5, device: 'm1', quality: 'good' });
    await h.send({ device: 'm1', quality: 'bad', payload: null });
    expect(h.snapshot().view).toMatchObject({ value: null, quality: 'bad' });
  });

  it('sends a busy signal as a few merged updates, and a page replaying them sees what a fresh page sees', async () => {
    const h = await harness(gauge, { refreshMs: 500 });
    for (let i = 0; i < 100; i++) {
      await h.send({ payload: i });
      await h.advance(10);
    }
    await h.advance(1_000);
    // 100 values over a second at 500 ms: the first at once, then one per interval.
    expect(h.events.length).toBeLessThanOrEqual(4);
    expect(h.replayed()).toEqual(h.snapshot().view);
    expect(h.snapshot().view).toMatchObject({ value: 99 });
  });
});

describe('stat', () => {
  it('keeps a sparkline over its trend span, sampled, whatever the message rate', async () => {
    const h = await harness(stat, { trendMs: 60_000, refreshMs: 50 });
    for (let i = 0; i < 600; i++) {
      await h.send({ payload: i });
      await h.advance(200);
    }
    const view = h.snapshot<StatView>().view;
    expect(view.value).toBe(599);
    expect(view.trend!.length).toBeLessThanOrEqual(61);
    expect(view.trend!.length).toBeGreaterThan(50);
    // Oldest first, spanning about the trend span.
    const [first] = view.trend!;
    const last = view.trend![view.trend!.length - 1]!;
    expect(last[0] - first![0]).toBeGreaterThanOrEqual(58_000);
  });
});

describe('line chart', () => {
  it('keeps each series to its device and the live window', async () => {
    const h = await harness(lineChart, {
      windowMs: 10_000,
      series: [{ key: 'a', property: 'payload.t', device: 'm1' }, { key: 'b', property: 'payload.t', device: 'm2' }],
    });
    for (let i = 0; i < 30; i++) {
      await h.send({ device: 'm1', payload: { t: i } }, { device: 'm2', payload: { t: -i } }, { device: 'm3', payload: { t: 5 } });
      await h.advance(1_000);
    }
    const view = h.snapshot<LineChartView>().view;
    expect(view.data!.a!.map((p) => p[1])).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(view.data!.b![0]![1]).toBe(-20);
    expect(Object.keys(view.data!)).toEqual(['a', 'b']);
  });

  it('draws a gap for bad data, and a replaying page agrees with a fresh one within the window', async () => {
    const h = await harness(lineChart, { windowMs: 60_000, refreshMs: 300 });
    await h.send({ payload: 1 }, { payload: 2, quality: 'bad' }, { payload: 3 });
    await h.advance(1_000);
    expect(h.snapshot<LineChartView>().view.data!.value!.map((p) => p[1])).toEqual([1, null, 3]);
    expect(h.replayed()).toEqual(h.snapshot().view);
  });
});

describe('bar chart', () => {
  it('has a bar per device in the listed order, others after them', async () => {
    const h = await harness(barChart, { fields: [{ property: 'payload.n' }], categories: ['m1', 'm2'] });
    await h.send({ device: 'm3', payload: { n: 7 } }, { device: 'm2', payload: { n: 5 } }, { device: 'm2', payload: { n: 6 } });
    expect(h.snapshot().view).toEqual({ categories: ['m1', 'm2', 'm3'], values: [[null, 6, 7]] });
  });

  it('groups OEE results per shift', async () => {
    const h = await harness(barChart, { groupBy: 'shift', fields: [{ property: 'payload.oee' }, { property: 'payload.availability' }] });
    await h.send({ payload: { shift: '早班', oee: 0.7, availability: 0.8 } }, { payload: { shift: '中班', oee: 0.65, availability: 0.9 } });
    expect(h.snapshot().view).toEqual({ categories: ['早班', '中班'], values: [[0.7, 0.65], [0.8, 0.9]] });
  });
});

describe('table', () => {
  it('keeps one row per device, updated in place', async () => {
    const h = await harness(table, { columns: [{ property: 'device', label: 'd' }, { property: 'payload.n', label: 'n' }] });
    await h.send({ device: 'm1', payload: { n: 1 } }, { device: 'm2', payload: { n: 2 } }, { device: 'm1', payload: { n: 3 } });
    const rows = h.snapshot<TableView>().view.rows!;
    expect(Object.values(rows).map((r) => r.cells)).toEqual([['m1', 3], ['m2', 2]]);
  });

  it('as a log keeps the newest rows only', async () => {
    const h = await harness(table, { rowKey: 'none', maxRows: 3, columns: [{ property: 'payload', label: 'v' }] });
    for (let i = 1; i <= 5; i++) {
      await h.send({ payload: i });
      await h.advance(1);
    }
    expect(h.snapshot<TableView>().view.log!.map((r) => r.cells[0])).toEqual([3, 4, 5]);
  });
});

describe('state timeline', () => {
  it('records a segment each time a machine changes state; bad data is offline', async () => {
    const h = await harness(stateTimeline, { devices: ['m1', 'm2'] });
    const states = [1, 1, 2, 2, 0, 1];
    for (const s of states) {
      await h.send({ device: 'm1', payload: { state: s } });
      await h.advance(60_000);
    }
    await h.send({ device: 'm2', quality: 'bad', payload: null });
    const view = h.snapshot<StateTimelineView>().view;
    expect(view.devices).toEqual(['m1', 'm2']);
    expect(view.segments.m1).toEqual([[T0, 'running'], [T0 + 120_000, 'fault'], [T0 + 240_000, 'idle'], [T0 + 300_000, 'running']]);
    expect(view.segments.m2).toEqual([[T0 + 360_000, 'offline']]);
  });

  it('marks a silent machine offline from when it went quiet', async () => {
    const h = await harness(stateTimeline, { offlineAfterMs: 10_000 });
    await h.send({ device: 'm1', payload: { state: 1 } });
    await h.advance(30_000);
    expect(h.snapshot<StateTimelineView>().view.segments.m1).toEqual([[T0, 'running'], [T0 + 10_000, 'offline']]);
  });

  it('starts over at a shift start, from the state each machine is in', async () => {
    const h = await harness(stateTimeline, {});
    await h.send({ device: 'm1', payload: { state: 2 } });
    await h.advance(5_000);
    await h.sendTo('reset', { payload: { shift: '中班' } });
    const view = h.snapshot<StateTimelineView>().view;
    expect(view).toMatchObject({ mode: 'shift', from: T0 + 5_000, shift: '中班', segments: { m1: [[T0 + 5_000, 'fault']] } });
    expect(h.replayed()).toEqual(view);
  });

  it('keeps the shift drawn across a redeploy or a restart', async () => {
    const kv = new Map<string, unknown>();
    const clock = createVirtualClock(T0);
    const first = await widgetHarness(stateTimeline, {}, { kv, clock });
    await first.sendTo('reset', { payload: { shift: '早班' } });
    await first.send({ device: 'm1', payload: { state: 1 } });
    await first.advance(60_000);
    await first.send({ device: 'm1', payload: { state: 0 } });
    await first.engine.stop();
    const second = await harness(stateTimeline, {}, { kv, clock });
    expect(second.snapshot<StateTimelineView>().view.segments.m1).toEqual([[T0, 'running'], [T0 + 60_000, 'idle']]);
  });
});

describe('device grid', () => {
  it('shows each machine with its state, since when, and its values', async () => {
    const h = await harness(deviceGrid, { devices: ['m1', 'm2'], fields: [{ property: 'payload.rpm', label: 'rpm' }] });
    await h.send({ device: 'm1', payload: { state: 1, rpm: 620, article: 'TC45' } });
    await h.advance(30_000);
    await h.send({ device: 'm1', payload: { state: 1, rpm: 610, article: 'TC45' } });
    const view = h.snapshot<DeviceGridView>().view;
    expect(view.devices).toEqual(['m1', 'm2']);
    expect(view.tiles.m1).toMatchObject({ state: 'running', since: T0, values: [610], detail: { state: 1, rpm: 610, article: 'TC45' } });
    expect(view.tiles.m2).toEqual({ values: [null], detail: {} });
  });
});

describe('alarm list and text', () => {
  it('the alarm list tells open pages that alarms changed', async () => {
    const h = await harness(alarmList, {});
    await h.send({ payload: { event: 'raised' } }, { payload: { event: 'cleared' } });
    expect(h.snapshot().view).toEqual({ transitions: 2, changedAt: T0 });
  });

  it('the text keeps the latest value for its placeholder', async () => {
    const h = await harness(text, { property: 'payload.n', device: 'm1' });
    await h.send({ device: 'm1', payload: { n: 42 } }, { device: 'm2', payload: { n: 7 } });
    expect(h.snapshot().view).toMatchObject({ value: 42 });
  });
});
