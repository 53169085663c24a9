import type { RuleBatchResult, RuleOutput } from '../../nodes/sdk';
import type { Message, Quality } from '../model';
import { createMessage, deriveMessage } from '../model';

const QUALITY_CODE: Record<Quality, number> = { good: 0, bad: 1, uncertain: 2 };

export interface EncodedBatch {
  readonly json: string;
  /** All payloads as float64 when every one is a finite number; then the JSON has none. */
  readonly payloads: Float64Array | null;
}

/**
 * Encodes a batch as JSON columns (one parse in the guest builds every message) with numeric
 * payloads as a Float64Array, which is what makes a sandboxed rule cost about a microsecond.
 */
export function encodeBatch(msgs: readonly Message[]): EncodedBatch {
  const n = msgs.length;
  // Times as offsets from the first: short numbers parse faster in the guest.
  const t0 = n > 0 ? msgs[0]!.ts : 0;
  const td = new Array<number>(n);
  const pl = new Array<unknown>(n);
  const topics = new Map<string, number>();
  const devices = new Map<string | null, number>();
  const ti = new Array<number>(n);
  const di = new Array<number>(n);
  let q: number[] | null = null;
  let numeric = n > 0;
  for (let i = 0; i < n; i++) {
    const m = msgs[i]!;
    td[i] = m.ts - t0;
    const p = m.payload;
    pl[i] = p === undefined ? null : p;
    if (numeric && !(typeof p === 'number' && Number.isFinite(p))) numeric = false;
    let t = topics.get(m.topic);
    if (t === undefined) topics.set(m.topic, (t = topics.size));
    ti[i] = t;
    const dev = m.device ?? null;
    let d = devices.get(dev);
    if (d === undefined) devices.set(dev, (d = devices.size));
    di[i] = d;
    if (m.quality !== 'good') {
      q ??= new Array<number>(n).fill(0);
      q[i] = QUALITY_CODE[m.quality];
    }
  }
  const json = JSON.stringify({
    n,
    t0,
    td,
    tp: [...topics.keys()],
    ti: topics.size > 1 ? ti : null,
    dv: [...devices.keys()],
    di: devices.size > 1 ? di : null,
    q,
    pl: numeric ? null : pl,
  });
  return { json, payloads: numeric ? Float64Array.from(pl as number[]) : null };
}

interface OutputColumns {
  /** Input index each output came from; null when output k came from input k. */
  s: number[] | null;
  /** Port index per output; null when every output went to the first port. */
  p: number[] | null;
  /** Payloads; null when they came as a Float64Array. */
  y: unknown[] | null;
  /** [output, field (0 ts, 1 topic, 2 device, 3 quality), value] for fields that differ from the input. */
  x: unknown[];
}

export interface GuestResult {
  out: OutputColumns;
  f: (number | string)[];
  l: [RuleBatchResult['logs'][number]['level'], string][];
  ld: number;
}

/** Rebuilds frozen messages from the guest's output columns; absent fields come from the input. */
export function decodeResult(body: string, numbers: Float64Array | null, inputs: readonly Message[], ports: readonly string[], now: number): RuleBatchResult {
  const r = JSON.parse(body) as GuestResult;
  const { s, p, x } = r.out;
  const y: ArrayLike<unknown> = r.out.y ?? numbers ?? [];
  const changed = new Map<number, { ts?: number; topic?: string; device?: string | 0; quality?: Quality }>();
  for (let j = 0; j < x.length; j += 3) {
    const k = x[j] as number;
    const entry = changed.get(k) ?? {};
    const field = x[j + 1] as number;
    if (field === 0) entry.ts = x[j + 2] as number;
    else if (field === 1) entry.topic = x[j + 2] as string;
    else if (field === 2) entry.device = x[j + 2] as string | 0;
    else entry.quality = x[j + 2] as Quality;
    changed.set(k, entry);
  }
  const firstPort = ports[0]!;
  const count = r.out.y?.length ?? numbers?.length ?? s?.length ?? 0;
  const outputs: RuleOutput[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const base = inputs[s === null ? k : s[k]!]!;
    const c = changed.get(k);
    const message = c === undefined
      ? deriveMessage(base, { payload: y[k] })
      : createMessage({
          ts: c.ts ?? base.ts,
          topic: c.topic ?? base.topic,
          payload: y[k],
          device: c.device === undefined ? base.device : c.device === 0 ? undefined : c.device,
          quality: c.quality ?? base.quality,
        }, now);
    outputs[k] = { port: p === null ? firstPort : ports[p[k]!]!, message };
  }
  const failures: { message: Message; error: string }[] = [];
  for (let k = 0; k < r.f.length; k += 2) failures.push({ message: inputs[r.f[k] as number]!, error: r.f[k + 1] as string });
  const logs = r.l.map(([level, text]) => ({ level, text }));
  if (r.ld > 0) logs.push({ level: 'warn', text: `${r.ld} more log lines of this batch were dropped` });
  return { outputs, failures, logs };
}
