import { z } from 'zod';
import type { Text } from '../model';
import { TextSchema } from '../model';
import type { Store } from '../store/store';

/**
 * Shift and day reports, from the site's history: what the OEE node recorded per device
 * (through a `history` node: `oee.availability` … `oee.good`, `oee.runMs`, `oee.plannedMs`,
 * `oee.stop.idle|fault|offline|plannedStop`) and an energy counter (kWh).
 */
export const ReportSpecSchema = z.object({
  title: TextSchema.optional(),
  /** Devices in the report, in order; default: every device with an `<oeePrefix>oee` series. */
  devices: z.array(z.string().min(1)).max(1000).optional(),
  oeePrefix: z.string().max(100).default('oee.'),
  /** A meter's running total (e.g. kWh): per device, or one site meter when `device` is given. */
  energy: z.object({ tag: z.string().min(1), device: z.string().min(1).optional(), unit: z.string().max(20).default('kWh') }).optional(),
  /** The unit output is counted in. */
  unit: z.string().max(20).default('pcs'),
  shifts: z.array(z.object({ name: z.string().min(1).max(40), start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) })).min(1).max(6)
    .default([{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }]),
  /** Site time: China has no daylight saving, so an offset is enough. */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
});
export type ReportSpec = z.infer<typeof ReportSpecSchema>;

export type ReportStore = Pick<Store, 'querySeries' | 'queryRollups' | 'listSeries'>;

export interface ReportFigures {
  readonly total: number;
  readonly good: number;
  readonly availability: number | null;
  readonly performance: number | null;
  readonly quality: number | null;
  readonly oee: number | null;
  readonly runMs: number;
  readonly plannedMs: number;
  /** Downtime by cause, ms. */
  readonly stopMs: { readonly fault: number; readonly idle: number; readonly offline: number; readonly plannedStop: number };
  readonly energy: number | null;
  readonly energyPerUnit: number | null;
}

export interface ReportRow extends ReportFigures {
  readonly device: string;
}

export interface Report {
  readonly title?: Text;
  /** `YYYY-MM-DD`: the production day, from the first shift's start. */
  readonly date: string;
  /** A shift's index, or `day`. */
  readonly period: number | 'day';
  readonly from: number;
  readonly to: number;
  readonly shifts: readonly { readonly name: string; readonly from: number; readonly to: number }[];
  readonly unit: string;
  readonly energyUnit: string | null;
  readonly rows: readonly ReportRow[];
  readonly total: ReportFigures;
}

const STOPS = ['fault', 'idle', 'offline', 'plannedStop'] as const;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Shift windows of a production day: shift i starts at its time, on the first such time after shift i−1. */
export function shiftWindows(spec: ReportSpec, date: string): { name: string; from: number; to: number }[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnight = Date.UTC(y, m - 1, d) - spec.utcOffsetMinutes * 60_000;
  const starts: number[] = [];
  for (const s of spec.shifts) {
    let t = midnight + minutesOf(s.start) * 60_000;
    const prev = starts[starts.length - 1];
    while (prev !== undefined && t <= prev) t += 86_400_000;
    starts.push(t);
  }
  const end = starts[0]! + 86_400_000;
  return spec.shifts.map((s, i) => ({ name: s.name, from: starts[i]!, to: starts[i + 1] ?? end }));
}

/** The production day a time falls in (a night shift after midnight belongs to the day before). */
export function productionDate(spec: ReportSpec, at: number): string {
  const local = new Date(at + spec.utcOffsetMinutes * 60_000);
  const date = local.toISOString().slice(0, 10);
  return at < shiftWindows(spec, date)[0]!.from ? new Date(local.getTime() - 86_400_000).toISOString().slice(0, 10) : date;
}

/** The last value of a series in (from, to]: the OEE node's figures at the window's end. */
function lastValue(store: ReportStore, device: string, tag: string, from: number, to: number): number | null {
  try {
    const answer = store.querySeries({ device, tag, from: from + 1, to: to + 1, maxPoints: 4 });
    for (let i = answer.points.length - 1; i >= 0; i--) {
      const v = answer.points[i]!.value;
      if (v !== null && answer.points[i]!.quality !== 'bad') return v;
    }
    return null;
  } catch {
    return null;
  }
}

/** How much a running total grew in [from, to); a drop is a meter reset, counted from zero. */
function increase(store: ReportStore, device: string, tag: string, from: number, to: number): number | null {
  let rows;
  try {
    rows = store.queryRollups({ device, tag, level: '1m', from, to, limit: 100_000 });
  } catch {
    return null;
  }
  if (rows.length === 0) return null;
  let sum = 0;
  let prev: number | undefined;
  for (const r of rows) {
    if (prev !== undefined) sum += r.first >= prev ? r.first - prev : r.first;
    sum += r.last >= r.first ? r.last - r.first : r.last;
    prev = r.last;
  }
  return sum;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

function combine(parts: readonly ReportFigures[], energyTotal: number | null): ReportFigures {
  const total = parts.reduce((a, p) => a + p.total, 0);
  const good = parts.reduce((a, p) => a + p.good, 0);
  const runMs = parts.reduce((a, p) => a + p.runMs, 0);
  const plannedMs = parts.reduce((a, p) => a + p.plannedMs, 0);
  // Performance weighs each part by its run time: Σ(P·run) / Σrun is ideal time over run time.
  const weighted = parts.reduce((a, p) => a + (p.performance ?? 0) * p.runMs, 0);
  const availability = ratio(runMs, plannedMs);
  const performance = ratio(weighted, runMs);
  const quality = ratio(good, total);
  const stopMs = Object.fromEntries(STOPS.map((k) => [k, parts.reduce((a, p) => a + p.stopMs[k], 0)])) as unknown as ReportFigures['stopMs'];
  return {
    total, good, availability, performance, quality,
    oee: availability !== null && performance !== null && quality !== null ? availability * performance * quality : null,
    runMs, plannedMs, stopMs,
    energy: energyTotal,
    energyPerUnit: energyTotal !== null && total > 0 ? energyTotal / total : null,
  };
}

function deviceShift(store: ReportStore, spec: ReportSpec, device: string, from: number, to: number): ReportFigures {
  const get = (tag: string) => lastValue(store, device, `${spec.oeePrefix}${tag}`, from, to);
  const total = get('total') ?? 0;
  const good = get('good') ?? total;
  const runMs = get('runMs') ?? 0;
  const energy = spec.energy && spec.energy.device === undefined ? increase(store, device, spec.energy.tag, from, to) : null;
  const availability = get('availability');
  const performance = get('performance');
  const quality = get('quality');
  return {
    total, good, availability, performance, quality,
    oee: get('oee'),
    runMs,
    plannedMs: get('plannedMs') ?? 0,
    stopMs: { fault: get('stop.fault') ?? 0, idle: get('stop.idle') ?? 0, offline: get('stop.offline') ?? 0, plannedStop: get('stop.plannedStop') ?? 0 },
    energy,
    energyPerUnit: energy !== null && total > 0 ? energy / total : null,
  };
}

/** A shift's (or the whole production day's) report: one row per device and the total. */
export function buildReport(store: ReportStore, spec: ReportSpec, date: string, period: number | 'day'): Report {
  const windows = shiftWindows(spec, date);
  const chosen = period === 'day' ? windows : [windows[period]!];
  const devices = spec.devices ?? [...new Set(store.listSeries().filter((s) => s.tag === `${spec.oeePrefix}oee`).map((s) => s.device))].sort();
  const rows: ReportRow[] = devices.map((device) => {
    const parts = chosen.map((w) => deviceShift(store, spec, device, w.from, w.to));
    const energy = parts.every((p) => p.energy === null) ? null : parts.reduce((a, p) => a + (p.energy ?? 0), 0);
    return { device, ...combine(parts, energy) };
  });
  const from = chosen[0]!.from;
  const to = chosen[chosen.length - 1]!.to;
  let siteEnergy: number | null;
  if (spec.energy?.device !== undefined) {
    siteEnergy = chosen.reduce<number | null>((a, w) => {
      const e = increase(store, spec.energy!.device!, spec.energy!.tag, w.from, w.to);
      return e === null ? a : (a ?? 0) + e;
    }, null);
  } else {
    siteEnergy = rows.every((r) => r.energy === null) ? null : rows.reduce((a, r) => a + (r.energy ?? 0), 0);
  }
  return {
    ...(spec.title ? { title: spec.title } : {}),
    date, period, from, to,
    shifts: windows,
    unit: spec.unit,
    energyUnit: spec.energy ? spec.energy.unit : null,
    rows,
    total: combine(rows, siteEnergy),
  };
}

const CSV_HEAD: Record<'zh' | 'en', string[]> = {
  zh: ['设备', '产量', '良品', '时间开动率', '性能开动率', '合格品率', 'OEE', '运行时间(h)', '故障停机(min)', '待机(min)', '离线(min)', '计划停机(min)', '能耗', '单位能耗'],
  en: ['Device', 'Output', 'Good', 'Availability', 'Performance', 'Quality', 'OEE', 'Run time (h)', 'Fault (min)', 'Idle (min)', 'Offline (min)', 'Planned stop (min)', 'Energy', 'Energy per unit'],
};

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const num = (v: number | null, digits: number) => (v === null ? '' : v.toFixed(digits));

/**
 * The report as CSV for a spreadsheet: a UTF-8 byte order mark so Excel on a Chinese Windows
 * reads the characters, ratios as fractions (format them as % in the sheet), times in h/min.
 */
export function reportCsv(report: Report, lang: 'zh' | 'en'): string {
  const head = CSV_HEAD[lang].map((h, i) => (i === 12 && report.energyUnit ? `${h} (${report.energyUnit})` : i === 13 && report.energyUnit ? `${h} (${report.energyUnit}/${report.unit})` : h));
  const line = (name: string, f: ReportFigures) => [
    name, String(f.total), String(f.good), num(f.availability, 4), num(f.performance, 4), num(f.quality, 4), num(f.oee, 4),
    (f.runMs / 3_600_000).toFixed(2), (f.stopMs.fault / 60_000).toFixed(1), (f.stopMs.idle / 60_000).toFixed(1), (f.stopMs.offline / 60_000).toFixed(1), (f.stopMs.plannedStop / 60_000).toFixed(1),
    num(f.energy, 2), num(f.energyPerUnit, 4),
  ].map(cell).join(',');
  const period = report.period === 'day' ? (lang === 'zh' ? '全天' : 'day') : report.shifts[report.period]!.name;
  return `\uFEFF${[
    cell(`${report.date} ${period}`),
    head.map(cell).join(','),
    ...report.rows.map((r) => line(r.device, r)),
    line(lang === 'zh' ? '合计' : 'Total', report.total),
  ].join('\r\n')}\r\n`;
}
