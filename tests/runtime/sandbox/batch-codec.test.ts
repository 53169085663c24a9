import { describe, expect, it } from 'vitest';
import { createMessage } from '../../../runtime/model';
import { decodeResult, encodeBatch } from '../../../runtime/sandbox/batch-codec';

const at = 1_700_000_000_000;

describe('batch codec', () => {
  it('sends finite numeric payloads as float64 and everything else as JSON', () => {
    const numeric = encodeBatch([createMessage({ payload: 1.5, topic: 't' }, at), createMessage({ payload: -2, topic: 't' }, at + 5)]);
    expect(Array.from(numeric.payloads!)).toEqual([1.5, -2]);
    expect(JSON.parse(numeric.json)).toMatchObject({ n: 2, t0: at, td: [0, 5], tp: ['t'], ti: null, pl: null, q: null });

    const mixed = encodeBatch([createMessage({ payload: 1 }, at), createMessage({ payload: Number.NaN }, at)]);
    expect(mixed.payloads).toBeNull();
    expect(JSON.parse(mixed.json).pl).toEqual([1, null]);
  });

  it('indexes topics, devices and qualities only when they vary', () => {
    const b = encodeBatch([
      createMessage({ payload: 'a', topic: 'x', device: 'm1' }, at),
      createMessage({ payload: 'b', topic: 'y', quality: 'bad' }, at),
      createMessage({ payload: 'c', topic: 'x', device: 'm1', quality: 'uncertain' }, at),
    ]);
    expect(JSON.parse(b.json)).toMatchObject({ tp: ['x', 'y'], ti: [0, 1, 0], dv: ['m1', null], di: [0, 1, 0], q: [0, 1, 2] });
  });

  it('rebuilds outputs from the input and the fields the rule changed', () => {
    const inputs = [createMessage({ payload: 1, topic: 't', device: 'm1' }, at), createMessage({ payload: 2, topic: 't', device: 'm2' }, at)];
    const body = JSON.stringify({
      out: { s: [0, 1, 1], p: [0, 1, 0], y: null, x: [1, 1, 'renamed', 1, 2, 0, 2, 3, 'bad', 2, 0, 42] },
      f: [], l: [['info', 'hi']], ld: 2,
    });
    const r = decodeResult(body, new Float64Array([10, 20, 30]), inputs, ['out', 'alarm'], at + 1);
    expect(r.outputs).toEqual([
      { port: 'out', message: { ts: at, topic: 't', device: 'm1', payload: 10, quality: 'good' } },
      { port: 'alarm', message: { ts: at, topic: 'renamed', payload: 20, quality: 'good' } },
      { port: 'out', message: { ts: 42, topic: 't', device: 'm2', payload: 30, quality: 'bad' } },
    ]);
    expect(r.outputs.every((o) => Object.isFrozen(o.message))).toBe(true);
    expect(r.logs).toEqual([{ level: 'info', text: 'hi' }, { level: 'warn', text: '2 more log lines of this batch were dropped' }]);
  });
});
