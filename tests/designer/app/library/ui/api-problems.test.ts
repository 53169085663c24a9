import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../../designer/app/api';
import { detailPath, detailsUnder, parseAt } from '../../../../../designer/app/library/ui/api-problems';

describe('API problems', () => {
  it('reads a detail\'s place the way the request body is shaped, with or without "body."', () => {
    expect(parseAt('devices.csv[2].host')).toEqual(['devices', 'csv', 2, 'host']);
    expect(parseAt('devices["地址"][0]')).toEqual(['devices', '地址', 0]);
    expect(detailPath({ at: 'body.parameters.x', message: { zh: '', en: '' } })).toEqual(['parameters', 'x']);
    expect(detailPath({ at: 'ignored', path: ['body', 'site'], message: { zh: '', en: '' } })).toEqual(['site']);
  });

  it('finds the details at or under a field', () => {
    const e = new ApiError(422, 'invalid-instance', { zh: '错', en: 'wrong' }, [
      { at: 'parameters.speed', path: ['parameters', 'speed'], message: { zh: 'a', en: 'a' } },
      { at: 'parameters.speedLimit', path: ['parameters', 'speedLimit'], message: { zh: 'b', en: 'b' } },
      { at: 'devices.csv[3].host', path: ['devices', 'csv', 3, 'host'], message: { zh: 'c', en: 'c' } },
    ]);
    expect(detailsUnder(e, ['parameters', 'speed']).map((d) => d.message.zh)).toEqual(['a']);
    expect(detailsUnder(e, ['devices', 'csv', 3]).map((d) => d.message.zh)).toEqual(['c']);
    expect(detailsUnder(undefined, ['x'])).toEqual([]);
  });
});
