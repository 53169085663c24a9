/**
 * Checks a test's expectations against what its run saw: the alarm list, the messages of the
 * watched nodes, the history, the simulated counters. Each result says what was expected and
 * what happened, in Chinese and English, so a failing test explains itself.
 */
import type { AlarmRecord, DeviceValue, Message } from '../../nodes/sdk';
import { readPath } from '../../nodes/sdk';
import type { AlarmExpectation, Expectation, HistoryExpectation, NoAlarmExpectation, OutputExpectation, TestTime } from '../model/template';
import { testTimeMs } from '../model/template';
import type { Text } from '../model/text';
import type { ProbedMessage } from './output-probe';

export interface ExpectationResult {
  /** Index in the test's `expect`; -1 for the run's own checks (no node errors). */
  readonly index: number;
  readonly kind: Expectation['kind'] | 'node-errors';
  readonly passed: boolean;
  /** What the expectation is about. */
  readonly title: Text;
  readonly expected: Text;
  readonly actual: Text;
}

/** A point of the history as the store answers. */
export interface HistoryPoint {
  readonly ts: number;
  readonly value: number | null;
}

/** What a run saw, for the checks. */
export interface RunRecord {
  readonly start: number;
  readonly end: number;
  readonly alarms: readonly AlarmRecord[];
  /** Messages of watched nodes, by scenario key. */
  outputs(scenario: string, node: string): readonly ProbedMessage[];
  /** The output ports of a watched node (but `error`). */
  ports(scenario: string, node: string): readonly string[];
  history(device: string, tag: string, from: number, to: number): readonly HistoryPoint[];
  /** A tracked device tag's value at a time, as last polled. */
  valueAt(device: string, tag: string, at: number): DeviceValue | undefined;
}

const ms = (t: TestTime | undefined, fallback: number): number => (t === undefined ? fallback : testTimeMs(t) ?? fallback);

/** `2h10min`, `45s`, `0`: an offset from the test's start. */
export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return '0';
  const sign = offsetMs < 0 ? '-' : '';
  let rest = Math.abs(Math.round(offsetMs));
  const d = Math.floor(rest / 86_400_000);
  rest -= d * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  return sign + [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}min` : '', s ? `${Number(s.toFixed(3))}s` : ''].join('');
}

function show(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (value === undefined) return '—';
  return JSON.stringify(value) ?? String(value);
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

function sameJson(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= tolerance + 1e-9 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i], tolerance));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance));
  }
  return a === b;
}

interface Window {
  readonly from: number;
  readonly to: number;
}

function windowOf(e: { from?: TestTime; to?: TestTime }, run: RunRecord): Window {
  return { from: run.start + ms(e.from, 0), to: run.start + ms(e.to, run.end - run.start) };
}

function windowText(w: Window, run: RunRecord): Text {
  const whole = w.from === run.start && w.to === run.end;
  if (whole) return text('全程', 'over the whole run');
  return text(`${formatOffset(w.from - run.start)}～${formatOffset(w.to - run.start)}`, `from ${formatOffset(w.from - run.start)} to ${formatOffset(w.to - run.start)}`);
}

/** count/min/max against a number of things; none given means at least one. */
function countCheck(e: { count?: number; min?: number; max?: number }, n: number, defaultMin: boolean): { passed: boolean; expected: Text } | undefined {
  const parts: Text[] = [];
  let passed = true;
  if (e.count !== undefined) {
    parts.push(text(`恰好 ${e.count} 个`, `exactly ${e.count}`));
    passed &&= n === e.count;
  }
  if (e.min !== undefined) {
    parts.push(text(`至少 ${e.min} 个`, `at least ${e.min}`));
    passed &&= n >= e.min;
  }
  if (e.max !== undefined) {
    parts.push(text(`至多 ${e.max} 个`, `at most ${e.max}`));
    passed &&= n <= e.max;
  }
  if (parts.length === 0) {
    if (!defaultMin) return undefined;
    parts.push(text('至少 1 个', 'at least 1'));
    passed = n >= 1;
  }
  return { passed, expected: text(parts.map((p) => p.zh).join('，'), parts.map((p) => p.en).join(', ')) };
}

function alarmMatches(a: AlarmRecord, e: { code?: string; device?: string }): boolean {
  return (e.code === undefined || a.code === e.code) && (e.device === undefined || a.device === e.device);
}

function describeAlarm(a: AlarmRecord, run: RunRecord): string {
  return `${a.event} ${a.code}${a.device ? `@${a.device}` : ''}${a.value === undefined ? '' : `=${show(a.value)}`} ${formatOffset(a.at - run.start)}`;
}

function checkAlarm(e: AlarmExpectation, index: number, run: RunRecord): ExpectationResult {
  const w = windowOf(e, run);
  const event = e.event;
  const matching = run.alarms.filter((a) => a.event === event && alarmMatches(a, e) && (e.value === undefined || a.value === e.value) && a.at >= w.from && a.at <= w.to);
  const c = countCheck(e, matching.length, true)!;
  const qualifiers = [e.device, e.value === undefined ? undefined : `值 ${e.value}`].filter((x) => x !== undefined);
  const qualifiersEn = [e.device, e.value === undefined ? undefined : `value ${e.value}`].filter((x) => x !== undefined);
  const what = `${e.code}${qualifiers.length ? `（${qualifiers.join('，')}）` : ''}`;
  const whatEn = `${e.code}${qualifiersEn.length ? ` (${qualifiersEn.join(', ')})` : ''}`;
  const wt = windowText(w, run);
  const title = e.title ?? text(`报警 ${what}${event === 'raised' ? '发生' : '解除'}，${wt.zh}`, `alarm ${whatEn} ${event} ${wt.en}`);
  // When it fails, the nearby transitions of the same code say what happened instead.
  const related = run.alarms.filter((a) => alarmMatches(a, { code: e.code })).slice(0, 6).map((a) => describeAlarm(a, run));
  const seen = `${matching.length}${matching.length ? `：${matching.slice(0, 3).map((a) => describeAlarm(a, run)).join('；')}` : ''}`;
  const seenEn = `${matching.length}${matching.length ? `: ${matching.slice(0, 3).map((a) => describeAlarm(a, run)).join('; ')}` : ''}`;
  const context = c.passed || related.length === 0 ? { zh: '', en: '' } : { zh: `（该代码的报警：${related.join('；')}）`, en: ` (alarms of this code: ${related.join('; ')})` };
  return {
    index, kind: 'alarm', passed: c.passed, title,
    expected: c.expected,
    actual: text(`${seen}${context.zh}`, `${seenEn}${context.en}`),
  };
}

function checkNoAlarm(e: NoAlarmExpectation, index: number, run: RunRecord): ExpectationResult {
  const w = windowOf(e, run);
  const raised = run.alarms.filter((a) => a.event === 'raised' && alarmMatches(a, e) && a.at >= w.from && a.at <= w.to);
  const wt = windowText(w, run);
  const what = `${e.code ?? '（任何代码）'}${e.device ? `（${e.device}）` : ''}`;
  const whatEn = `${e.code ?? 'any'}${e.device ? ` (${e.device})` : ''}`;
  return {
    index, kind: 'no-alarm', passed: raised.length === 0,
    title: e.title ?? text(`不发生报警 ${what}，${wt.zh}`, `no alarm ${whatEn} ${wt.en}`),
    expected: text('0 个', 'none'),
    actual: text(`${raised.length}${raised.length ? `：${raised.slice(0, 3).map((a) => describeAlarm(a, run)).join('；')}` : ''}`, `${raised.length}${raised.length ? `: ${raised.slice(0, 3).map((a) => describeAlarm(a, run)).join('; ')}` : ''}`),
  };
}

interface Candidate {
  readonly value: unknown;
  readonly ts: number;
  readonly device?: string;
  /** The counter increase this value should match, when asked. */
  readonly counter?: number | undefined;
}

interface ValueSpec {
  readonly equals?: unknown;
  readonly between?: readonly [number, number];
  readonly tolerance?: number;
  readonly pick: 'last' | 'first' | 'every' | 'any';
  readonly matchesCounter?: { readonly tag: string; readonly scale: number };
}

function hasValueCheck(e: ValueSpec): boolean {
  return e.equals !== undefined || e.between !== undefined || e.matchesCounter !== undefined;
}

/** Checks values by `pick`; returns undefined when the expectation checks no value. */
function valueCheck(e: ValueSpec, candidates: readonly Candidate[], run: RunRecord): { passed: boolean; expected: Text; actual: Text } | undefined {
  if (!hasValueCheck(e)) return undefined;
  const tolerance = e.tolerance ?? 0;
  const parts: Text[] = [];
  if (e.equals !== undefined) parts.push(text(`= ${show(e.equals)}${tolerance ? ` ± ${show(tolerance)}` : ''}`, `= ${show(e.equals)}${tolerance ? ` ± ${show(tolerance)}` : ''}`));
  if (e.between) parts.push(text(`在 ${show(e.between[0])}～${show(e.between[1])} 之间`, `between ${show(e.between[0])} and ${show(e.between[1])}`));
  if (e.matchesCounter) {
    const scale = e.matchesCounter.scale === 1 ? '' : ` × ${show(e.matchesCounter.scale)}`;
    parts.push(text(`= 计数器 ${e.matchesCounter.tag} 的增量${scale}${tolerance ? ` ± ${show(tolerance)}` : ''}`, `= the rise of counter ${e.matchesCounter.tag}${scale}${tolerance ? ` ± ${show(tolerance)}` : ''}`));
  }
  const pickText: Record<ValueSpec['pick'], Text> = {
    last: text('最后一个值', 'the last value'),
    first: text('第一个值', 'the first value'),
    every: text('每个值', 'every value'),
    any: text('至少一个值', 'at least one value'),
  };
  const expected = text(`${pickText[e.pick].zh}${parts.map((p) => p.zh).join('，且')}`, `${pickText[e.pick].en} ${parts.map((p) => p.en).join(' and ')}`);
  const ok = (c: Candidate): boolean => {
    if (e.equals !== undefined && !sameJson(c.value, e.equals, tolerance)) return false;
    if (e.between && !(typeof c.value === 'number' && c.value >= e.between[0] && c.value <= e.between[1])) return false;
    if (e.matchesCounter && !(typeof c.value === 'number' && typeof c.counter === 'number' && Math.abs(c.value - c.counter) <= tolerance + 1e-9 * Math.max(1, Math.abs(c.counter)))) return false;
    return true;
  };
  const describe = (c: Candidate) => `${show(c.value)}${c.counter === undefined && !e.matchesCounter ? '' : `（${e.matchesCounter!.tag}: ${show(c.counter)}）`}${c.device ? `@${c.device}` : ''} ${formatOffset(c.ts - run.start)}`;
  const describeEn = (c: Candidate) => `${show(c.value)}${c.counter === undefined && !e.matchesCounter ? '' : ` (${e.matchesCounter!.tag}: ${show(c.counter)})`}${c.device ? `@${c.device}` : ''} ${formatOffset(c.ts - run.start)}`;
  if (candidates.length === 0) return { passed: false, expected, actual: text('没有值', 'no value') };
  switch (e.pick) {
    case 'last':
    case 'first': {
      const c = e.pick === 'last' ? candidates.at(-1)! : candidates[0]!;
      return { passed: ok(c), expected, actual: text(describe(c), describeEn(c)) };
    }
    case 'every': {
      const bad = candidates.filter((c) => !ok(c));
      return bad.length === 0
        ? { passed: true, expected, actual: text(`${candidates.length} 个值都符合`, `all ${candidates.length} values do`) }
        : { passed: false, expected, actual: text(`${candidates.length} 个中 ${bad.length} 个不符合：${bad.slice(0, 3).map(describe).join('；')}`, `${bad.length} of ${candidates.length} do not: ${bad.slice(0, 3).map(describeEn).join('; ')}`) };
    }
    case 'any': {
      const good = candidates.find(ok);
      return good
        ? { passed: true, expected, actual: text(describe(good), describeEn(good)) }
        : { passed: false, expected, actual: text(`${candidates.length} 个值都不符合，最后一个：${describe(candidates.at(-1)!)}`, `none of ${candidates.length} does; the last: ${describeEn(candidates.at(-1)!)}`) };
    }
  }
}

function numberAt(msg: Message, path: string): number | undefined {
  const v = readPath(msg, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function checkOutput(e: OutputExpectation, index: number, run: RunRecord): ExpectationResult {
  const w = windowOf(e, run);
  // Without a port: `out` when the node has one (a rule's other ports, a reader's health), else every port.
  const port = e.port ?? (run.ports(e.scenario, e.node).includes('out') ? 'out' : undefined);
  const all = run.outputs(e.scenario, e.node).filter((p) => port === undefined || p.port === port);
  const messages = all.filter((p) => {
    const m = p.msg;
    if (m.ts < w.from || m.ts > w.to) return false;
    if (e.device !== undefined && m.device !== e.device) return false;
    return Object.entries(e.where ?? {}).every(([path, value]) => sameJson(readPath(m, path), value, 0));
  });
  const wt = windowText(w, run);
  const where = e.where ? ` ${JSON.stringify(e.where)}` : '';
  const title = e.title ?? text(
    `场景 ${e.scenario} 节点 ${e.node}${e.port ? `.${e.port}` : ''}${e.device ? `（${e.device}）` : ''}${where}的 ${e.path}，${wt.zh}`,
    `${e.path} of node ${e.node}${e.port ? `.${e.port}` : ''} in scenario ${e.scenario}${e.device ? ` (${e.device})` : ''}${where} ${wt.en}`,
  );
  // The counter's rise over each message's own window: payload.start … payload.end, or since
  // the same device's previous message (of the node, before filtering).
  const counters = new Map<Message, number>();
  if (e.matchesCounter) {
    const previous = new Map<string, number>();
    for (const { msg: m } of all) {
      if (m.device === undefined) continue;
      const from = numberAt(m, 'payload.start') ?? previous.get(m.device) ?? run.start;
      const to = numberAt(m, 'payload.end') ?? m.ts;
      const a = run.valueAt(m.device, e.matchesCounter.tag, from);
      const b = run.valueAt(m.device, e.matchesCounter.tag, to);
      if (typeof a === 'number' && typeof b === 'number') counters.set(m, (b - a) * e.matchesCounter.scale);
      previous.set(m.device, m.ts);
    }
  }
  const candidates: Candidate[] = messages.map(({ msg: m }) => ({
    value: readPath(m, e.path),
    ts: m.ts,
    ...(m.device === undefined ? {} : { device: m.device }),
    counter: counters.get(m),
  }));
  return combine(index, 'output', title, countCheck(e, messages.length, !hasValueCheck(e)), valueCheck(e, candidates, run), messages.length, all.length);
}

function checkHistory(e: HistoryExpectation, index: number, run: RunRecord): ExpectationResult {
  const w = windowOf(e, run);
  const points = run.history(e.device, e.tag, w.from, w.to);
  const wt = windowText(w, run);
  const title = e.title ?? text(`历史数据 ${e.device} / ${e.tag}，${wt.zh}`, `history ${e.device} / ${e.tag} ${wt.en}`);
  const candidates: Candidate[] = points.filter((p) => p.value !== null).map((p) => ({ value: p.value, ts: p.ts, device: e.device }));
  return combine(index, 'history', title, countCheck(e, points.length, !hasValueCheck(e)), valueCheck(e, candidates, run), points.length, points.length);
}

function combine(index: number, kind: 'output' | 'history', title: Text, count: { passed: boolean; expected: Text } | undefined, value: { passed: boolean; expected: Text; actual: Text } | undefined, n: number, total: number): ExpectationResult {
  const expected = [count?.expected, value?.expected].filter((t): t is Text => t !== undefined);
  const unit = kind === 'output' ? text('条消息', 'messages') : text('个数据点', 'points');
  const actualCount = text(`${n} ${unit.zh}${total !== n ? `（筛选前 ${total}）` : ''}`, `${n} ${unit.en}${total !== n ? ` (${total} before filtering)` : ''}`);
  const actual = [actualCount, value?.actual].filter((t): t is Text => t !== undefined);
  return {
    index,
    kind,
    passed: (count?.passed ?? true) && (value?.passed ?? true),
    title,
    expected: text(expected.map((t) => t.zh).join('；'), expected.map((t) => t.en).join('; ')),
    actual: text(actual.map((t) => t.zh).join('；'), actual.map((t) => t.en).join('; ')),
  };
}

export function checkExpectation(e: Expectation, index: number, run: RunRecord): ExpectationResult {
  switch (e.kind) {
    case 'alarm':
      return checkAlarm(e, index, run);
    case 'no-alarm':
      return checkNoAlarm(e, index, run);
    case 'output':
      return checkOutput(e, index, run);
    case 'history':
      return checkHistory(e, index, run);
  }
}
