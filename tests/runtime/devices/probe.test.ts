import { describe, expect, it } from 'vitest';
import { interpretations, parseExpectation, rankInterpretations } from '../../../runtime/devices/probe';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

describe('probe interpretations', () => {
  it('reads the expectation an engineer types', () => {
    expect(parseExpectation('voltage≈220')).toEqual({ name: 'voltage', low: 209, high: 231, target: 220 });
    expect(parseExpectation('≈50±1')).toEqual({ low: 49, high: 51, target: 50 });
    expect(parseExpectation('220±10%')).toEqual({ low: 198, high: 242, target: 220 });
    expect(parseExpectation('count:0..10000')).toEqual({ name: 'count', low: 0, high: 10000, target: 5000 });
    expect(parseExpectation('温度≈185')).toMatchObject({ name: '温度', target: 185 });
    expect(parseExpectation('about 220')).toHaveProperty('error');
  });

  it('finds a word-swapped float at the right address among every reading', () => {
    // 231.4 as float32 CDAB at register 101, read from 100.
    const bytes = hex('0000 6666 4367 0000 0000 0000');
    const list = interpretations(bytes, 100, 101);
    expect(list.some((x) => x.type === 'float64' && x.shift === 1)).toBe(true);
    const best = rankInterpretations(list, parseExpectation('voltage≈230') as never)[0]!;
    expect(best).toMatchObject({ type: 'float32', order: 'CDAB', shift: 0, scale: 1 });
    expect(best.scaled).toBeCloseTo(231.4, 3);
  });

  it('finds a scaled integer one register off (a manual counting from 1)', () => {
    // 2203 (220.3 V × 10) at register 41, the manual said 40 (which holds something else).
    const bytes = hex('0000 1234 089b 0000');
    const best = rankInterpretations(interpretations(bytes, 39, 40), parseExpectation('≈220') as never)[0]!;
    expect(best).toMatchObject({ type: 'int16', shift: 1, scale: 0.1, scaled: 220.3 });
  });
});
