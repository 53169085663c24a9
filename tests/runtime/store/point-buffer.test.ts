import { describe, expect, it } from 'vitest';
import { PointBuffer } from '../../../runtime/store/point-buffer';

function fill(buf: PointBuffer, from: number, to: number) {
  for (let i = from; i < to; i++) buf.push(i % 3, 1000 + i, i * 1.5, 0);
}

describe('PointBuffer', () => {
  it('hands out the oldest points first and keeps them until discarded', () => {
    const buf = new PointBuffer(8);
    fill(buf, 0, 5);
    const p = buf.peek(3);
    expect([...p.ts]).toEqual([1000, 1001, 1002]);
    expect(buf.length).toBe(5);
    buf.discard(3);
    expect([...buf.peek(10).ts]).toEqual([1003, 1004]);
  });

  it('drops the oldest and counts them when full', () => {
    const buf = new PointBuffer(4);
    fill(buf, 0, 7);
    expect(buf.length).toBe(4);
    expect(buf.dropped).toBe(3);
    expect([...buf.peek(4).ts]).toEqual([1003, 1004, 1005, 1006]);
  });

  it('reads a range that wraps around the ring in order', () => {
    const buf = new PointBuffer(5);
    fill(buf, 0, 4);
    buf.discard(3);
    fill(buf, 4, 8); // occupies positions 3, 4, 0, 1, 2
    const p = buf.peek(5);
    expect([...p.ts]).toEqual([1003, 1004, 1005, 1006, 1007]);
    expect([...p.value]).toEqual([4.5, 6, 7.5, 9, 10.5]);
    expect([...p.series]).toEqual([0, 1, 2, 0, 1]);
  });

  it('removes the points a purge covers, keeping the others in order', () => {
    const buf = new PointBuffer(6);
    fill(buf, 0, 3);
    buf.discard(2);
    fill(buf, 3, 8);
    expect(buf.removeWhere((s, ts) => s === 1 || ts === 1006)).toBe(3);
    expect([...buf.peek(10).ts]).toEqual([1002, 1003, 1005]);
  });
});
