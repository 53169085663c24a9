import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../nodes/sdk';
import { ReportSpecSchema, buildReport, productionDate, reportCsv, shiftWindows } from '../../runtime/server/dashboard-report';
import type { Store } from '../../runtime/store/store';
import { createStore } from '../../runtime/store/store';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const spec = ReportSpecSchema.parse({ energy: { tag: 'energy' } });
const H = 3_600_000;
// 2025-01-06 08:00 in China is midnight UTC.
const EARLY = Date.UTC(2025, 0, 6, 0, 0);
const MID = EARLY + 8 * H;

function figures(device: string, at: number, f: Record<string, number>): SeriesPoint[] {
  return Object.entries(f).map(([tag, value]) => ({ device, tag: `oee.${tag}`, ts: at, value, quality: 'good' as const }));
}

function shopStore(): Store {
  const store = createStore({ file: join(mkdtempSync(join(tmpdir(), 'kaiwu-report-')), 'kaiwu.db') });
  stores.push(store);
  // Running figures during the shift, then the final ones the OEE node sends at the shift's end.
  store.write(figures('m1', EARLY + 2 * H, { availability: 0.5, performance: 0.5, quality: 0.5, oee: 0.125, total: 10, good: 5, runMs: H, plannedMs: 2 * H }));
  store.write(figures('m1', MID, { availability: 0.9, performance: 0.8, quality: 0.95, oee: 0.684, total: 1000, good: 950, runMs: 25_920_000, plannedMs: 28_800_000, 'stop.fault': 1_800_000, 'stop.idle': 1_080_000 }));
  store.write(figures('m1', MID + 8 * H, { availability: 0.5, performance: 1, quality: 1, oee: 0.5, total: 800, good: 800, runMs: 14_400_000, plannedMs: 28_800_000, 'stop.offline': 14_400_000 }));
  store.write(figures('m2', MID, { availability: 1, performance: 0.9, quality: 1, oee: 0.9, total: 600, good: 600, runMs: 28_800_000, plannedMs: 28_800_000 }));
  const meter = (device: string, points: [number, number][]) => store.write(points.map(([ts, value]) => ({ device, tag: 'energy', ts, value, quality: 'good' as const })));
  meter('m1', [[EARLY, 100], [EARLY + 4 * H, 125], [MID - 60_000, 150], [MID, 150], [MID + 8 * H - 60_000, 190]]);
  meter('m2', [[EARLY, 5000], [MID - 60_000, 5030]]);
  store.flush();
  return store;
}

describe('shift report', () => {
  it('cuts a production day into its shifts; a night after midnight belongs to the day before', () => {
    const w = shiftWindows(spec, '2025-01-06');
    expect(w).toEqual([
      { name: '早班', from: EARLY, to: MID },
      { name: '中班', from: MID, to: MID + 8 * H },
      { name: '夜班', from: MID + 8 * H, to: MID + 16 * H },
    ]);
    expect(productionDate(spec, MID + 15 * H)).toBe('2025-01-06');
    expect(productionDate(spec, EARLY + 1)).toBe('2025-01-06');
    expect(productionDate(spec, EARLY - 1)).toBe('2025-01-05');
  });

  it("a shift's report has each machine's output, OEE and its factors, downtime by cause and energy per unit", () => {
    const r = buildReport(shopStore(), spec, '2025-01-06', 0);
    expect(r.rows.map((x) => x.device)).toEqual(['m1', 'm2']);
    expect(r.rows[0]).toMatchObject({ total: 1000, good: 950, availability: 0.9, performance: 0.8, quality: 0.95, stopMs: { fault: 1_800_000, idle: 1_080_000, offline: 0, plannedStop: 0 }, energy: 50 });
    expect(r.rows[0]!.oee).toBeCloseTo(0.684);
    expect(r.rows[0]!.energyPerUnit).toBeCloseTo(0.05);
    expect(r.rows[1]).toMatchObject({ total: 600, energy: 30 });
    expect(r.total.total).toBe(1600);
    expect(r.total.energy).toBe(80);
    expect(r.total.energyPerUnit).toBeCloseTo(0.05);
    expect(r.total.availability).toBeCloseTo((25_920_000 + 28_800_000) / 57_600_000);
  });

  it('the day adds the shifts up: availability over planned time, performance weighed by run time', () => {
    const r = buildReport(shopStore(), spec, '2025-01-06', 'day');
    const m1 = r.rows[0]!;
    expect(m1.total).toBe(1800);
    expect(m1.good).toBe(1750);
    expect(m1.availability).toBeCloseTo(0.7);
    expect(m1.performance).toBeCloseTo((0.8 * 25_920_000 + 14_400_000) / 40_320_000);
    expect(m1.quality).toBeCloseTo(1750 / 1800);
    expect(m1.oee).toBeCloseTo(m1.availability! * m1.performance! * m1.quality!);
    expect(m1.stopMs.offline).toBe(14_400_000);
    expect(m1.energy).toBe(90);
  });

  it('exports CSV a Chinese Excel opens right: byte order mark, headers in the language, a total line', () => {
    const csv = reportCsv(buildReport(shopStore(), spec, '2025-01-06', 0), 'zh');
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(lines[0]).toBe('2025-01-06 早班');
    expect(lines[1]).toBe('设备,产量,良品,时间开动率,性能开动率,合格品率,OEE,运行时间(h),故障停机(min),待机(min),离线(min),计划停机(min),能耗 (kWh),单位能耗 (kWh/pcs)');
    expect(lines[2]).toBe('m1,1000,950,0.9000,0.8000,0.9500,0.6840,7.20,30.0,18.0,0.0,0.0,50.00,0.0500');
    expect(lines.at(-1)).toMatch(/^合计,1600,1550,/);
    expect(reportCsv(buildReport(shopStore(), spec, '2025-01-06', 'day'), 'en').split('\r\n')[0]).toBe('\uFEFF2025-01-06 day');
  });
});
